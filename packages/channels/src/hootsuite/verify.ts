import crypto from 'node:crypto';
import type { InboundRequest, Verification } from '../interface';
import type { HootsuiteSettings } from './settings';

/**
 * Hootsuite does not publish how Inbox 2.0 signs VA webhooks, only that a shared secret proves
 * them. A verifier is therefore pluggable: the default is an HMAC-SHA256 of the raw body, in the
 * header and encoding the channel's settings name; another scheme is one more entry in VERIFIERS.
 */
export interface Verifier {
  verify(request: InboundRequest, secret: string): Verification;
}

export type SignatureEncoding = 'hex' | 'base64';

const ENCODED_DIGEST: Record<SignatureEncoding, RegExp> = {
  hex: /^[0-9a-f]{64}$/i,
  base64: /^[A-Za-z0-9+/]{43}=$/,
};

/** HMAC-SHA256(secret, raw body) in `header`, hex or base64, optionally prefixed "sha256=" (GitHub's style). */
export function hmacSha256Verifier(header: string, encoding: SignatureEncoding): Verifier {
  const name = header.toLowerCase();
  return {
    verify(request, secret) {
      const value = request.headers[name]?.trim();
      if (!value) return { ok: false, reason: `missing ${name} header` };
      const encoded = value.replace(/^sha256=/i, '');
      if (!ENCODED_DIGEST[encoding].test(encoded)) return { ok: false, reason: `${name} is not a ${encoding} HMAC-SHA256` };
      const expected = crypto.createHmac('sha256', secret).update(request.rawBody).digest();
      // Both sides are 32 bytes here (the format was checked), as timingSafeEqual requires.
      return crypto.timingSafeEqual(expected, Buffer.from(encoded, encoding)) ? { ok: true } : { ok: false, reason: 'signature does not match' };
    },
  };
}

const VERIFIERS: Record<HootsuiteSettings['signature_scheme'], (header: string) => Verifier> = {
  'hmac-sha256-hex': (header) => hmacSha256Verifier(header, 'hex'),
  'hmac-sha256-base64': (header) => hmacSha256Verifier(header, 'base64'),
};

export function verifierFor(settings: Pick<HootsuiteSettings, 'signature_scheme' | 'signature_header'>): Verifier {
  return VERIFIERS[settings.signature_scheme](settings.signature_header);
}

/** What Hootsuite is assumed to send: for tests, and for admins checking their setup with curl. */
export function signHootsuiteBody(secret: string, rawBody: string | Buffer, encoding: SignatureEncoding = 'hex'): string {
  return crypto.createHmac('sha256', secret).update(rawBody).digest(encoding);
}
