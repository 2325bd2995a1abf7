import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

/**
 * Encrypts credentials before they reach the database (AES-256-GCM). The key comes from
 * RELAI_SECRET_KEY; without it (development, embedded default) a random key is kept in a file
 * next to the data folder, so that a copied database alone does not reveal the secrets.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = crypto.createHash('sha256').update(secret).digest();
  }

  seal(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ciphertext.toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('cannot decrypt a stored secret: was RELAI_SECRET_KEY changed?');
    }
  }

  /** Seals every string under a key that names a credential; the rest stays readable for listings. */
  sealFields<T>(value: T): T {
    return mapSecrets(value, (secret) => ({ $sealed: this.seal(secret) })) as T;
  }

  openFields<T>(value: T): T {
    return walk(value, (node) => (isSealed(node) ? this.open(node.$sealed) : undefined)) as T;
  }
}

/** The same object with every credential replaced by "********", for API responses. */
export function redactSecrets<T>(value: T): T {
  return walk(mapSecrets(value, () => '********'), (node) => (isSealed(node) ? '********' : undefined)) as T;
}

const SECRET_KEY_NAME = /token|secret|password|api_?key|credential/i;

function mapSecrets(value: unknown, replace: (secret: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapSecrets(item, replace));
  if (value && typeof value === 'object' && !isSealed(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        typeof inner === 'string' && SECRET_KEY_NAME.test(key) ? replace(inner) : mapSecrets(inner, replace),
      ]),
    );
  }
  return value;
}

function walk(value: unknown, visit: (node: unknown) => unknown): unknown {
  const replaced = visit(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((item) => walk(item, visit));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner, visit)]));
  }
  return value;
}

function isSealed(node: unknown): node is { $sealed: string } {
  return !!node && typeof node === 'object' && typeof (node as { $sealed?: unknown }).$sealed === 'string';
}

export function createSecretBox(config: Pick<Config, 'secretKey' | 'database'>, fallbackDir: string): SecretBox {
  if (config.secretKey) return new SecretBox(config.secretKey);
  const keyFile =
    config.database.kind === 'pglite' ? `${config.database.dataDir}.secret-key` : path.join(fallbackDir, 'secret-key');
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  if (!fs.existsSync(keyFile)) {
    try {
      fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return new SecretBox(fs.readFileSync(keyFile, 'utf8').trim());
}
