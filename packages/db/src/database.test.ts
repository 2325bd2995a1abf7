import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { lockPathFor } from './data-dir-lock';
import { openDatabase, type Database } from './database';
import { migrate, MigrationError, readMigrations } from './migrate';
import { openTestDatabase, type TestDatabase } from './testing';
import { ensureVectorIndex, vectorIndexName } from './vector-index';

const run = promisify(execFile);
const openInChild = (dataDir: string) =>
  run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/open-database.ts'), dataDir], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
  });

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function testDb(): Promise<TestDatabase> {
  const handle = await openTestDatabase(inject('pgliteTemplateDir'));
  cleanups.push(handle.dispose);
  return handle;
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-db-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeMigrations(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  return dir;
}

async function freshDb(): Promise<Database> {
  const db = await openDatabase({ kind: 'pglite', dataDir: path.join(tempDir(), 'data') });
  cleanups.push(() => db.close());
  return db;
}

describe('migrations', () => {
  it('applies nothing the second time', async () => {
    const { db } = await testDb();
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ count: string }>('SELECT count(*) FROM schema_migrations');
    expect(Number(rows[0]!.count)).toBe(readMigrations().length);
  });

  it('applies each file once when two migrators start together', async () => {
    const db = await freshDb();
    // Without the lock and the record, the second CREATE TABLE would fail.
    const dir = writeMigrations({ '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);' });
    const [first, second] = await Promise.all([migrate(db, { dir }), migrate(db, { dir })]);
    expect([...first!, ...second!].sort()).toEqual([1, 2]);
    const { rows } = await db.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const db = await freshDb();
    const dir = writeMigrations({ '0001_ok.sql': 'CREATE TABLE ok (id int);', '0002_bad.sql': 'CREATE TABLE half (id int); SELECT no_such_function();' });
    await expect(migrate(db, { dir })).rejects.toThrow(/0002_bad\.sql failed/);
    const { rows } = await db.query("SELECT to_regclass('half') AS half, (SELECT max(version) FROM schema_migrations) AS last");
    expect(rows[0]).toEqual({ half: null, last: 1 });
  });

  it('refuses a migration edited after it was applied', async () => {
    const db = await freshDb();
    const dir = writeMigrations({ '0001_a.sql': 'CREATE TABLE a (id int);' });
    await migrate(db, { dir });
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (id bigint);');
    await expect(migrate(db, { dir })).rejects.toThrow(MigrationError);
    await expect(migrate(db, { dir })).rejects.toThrow(/changed after it was applied/);
  });

  it('refuses gaps in migration numbers', () => {
    const dir = writeMigrations({ '0001_a.sql': 'SELECT 1;', '0003_c.sql': 'SELECT 1;' });
    expect(() => readMigrations(dir)).toThrow(/numbered 1, 2, 3/);
  });
});

describe('embedded database folder', () => {
  it('refuses a second process while one has it open, naming the holder', async () => {
    const { dataDir } = await testDb();
    const error = await openInChild(dataDir).then(
      () => null,
      (failure: { code: number; stderr: string }) => failure,
    );
    expect(error?.code).toBe(3);
    expect(error?.stderr).toContain(`already open in process ${process.pid}`);
    expect(error?.stderr).toContain('DATABASE_URL');
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = path.join(tempDir(), 'data');
    fs.cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true });
    const dead = await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    fs.writeFileSync(lockPathFor(dataDir), JSON.stringify({ pid: Number(dead.stdout), hostname: os.hostname(), startedAt: 'earlier' }));
    const { stdout } = await openInChild(dataDir);
    expect(stdout).toBe('opened\n');
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
  });

  it('keeps committed rows across reopen and rolls back failed transactions', async () => {
    const { db } = await testDb();
    const tenant = await db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('Acme') RETURNING id");
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO tenants (name) VALUES ('Ghost')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query('SELECT name FROM tenants ORDER BY name');
    expect(rows).toEqual([{ name: 'Acme' }]);
    expect(tenant.rows[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('queries', () => {
  it('keeps answering correctly after a statement fails outside a transaction', async () => {
    const { db } = await testDb();
    await expect(db.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
    await expect(db.query('SELECT $1::text AS t', ['a\u0000b'])).rejects.toThrow();
    for (const value of [1, 2, 3]) {
      expect((await db.query<{ x: number }>('SELECT $1::int AS x', [value])).rows).toEqual([{ x: value }]);
    }
  });
});

describe('schema', () => {
  it('indexes French and English text with stemming and folded accents', async () => {
    const { db } = await testDb();
    const { rows } = await db.query<{ fr: boolean; en: boolean }>(`SELECT
      to_tsvector('french'::regconfig, immutable_unaccent('Résiliation de l''abonnement')) @@ plainto_tsquery('french', immutable_unaccent('resilier abonnements')) AS fr,
      to_tsvector('english'::regconfig, immutable_unaccent('Cancelling your subscription')) @@ plainto_tsquery('english', 'cancel subscriptions') AS en`);
    expect(rows[0]).toEqual({ fr: true, en: true });
  });

  it('builds one HNSW index per embedding model and searches within one model', async () => {
    const { db } = await testDb();
    const tenant = (await db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('t') RETURNING id")).rows[0]!.id;
    const source = (await db.query<{ id: string }>("INSERT INTO sources (tenant_id, name, kind, config) VALUES ($1, 's', 'jsonl', '{}') RETURNING id", [tenant])).rows[0]!.id;
    const article = (
      await db.query<{ id: string }>(
        "INSERT INTO articles (tenant_id, source_id, external_id, title, state, content_hash) VALUES ($1, $2, 'a1', 'A', 'published', 'h') RETURNING id",
        [tenant, source],
      )
    ).rows[0]!.id;
    const insert = (position: number, vector: string, model: string) =>
      db.query(
        "INSERT INTO chunks (tenant_id, source_id, article_id, position, context, text, ts_config, embedding, embedding_model) VALUES ($1, $6, $2, $3, 'A', 'x', 'simple', $4::vector, $5)",
        [tenant, article, position, vector, model, source],
      );
    await insert(0, '[1,0,0]', 'model-a');
    await insert(1, '[0,1,0]', 'model-a');
    await insert(2, '[1,0]', 'model-b');
    expect(await ensureVectorIndex(db, 'model-a', 3)).toBe(true);
    expect(await ensureVectorIndex(db, 'model-a', 3)).toBe(false);
    const index = await db.query('SELECT indexdef FROM pg_indexes WHERE indexname = $1', [vectorIndexName('model-a')]);
    expect(index.rows[0]!.indexdef).toMatch(/hnsw.*vector\(3\).*embedding_model = 'model-a'/s);
    const nearest = await db.query<{ position: number }>(
      "SELECT position FROM chunks WHERE tenant_id = $1 AND embedding_model = 'model-a' ORDER BY embedding::vector(3) <=> '[0.9,0.1,0]' LIMIT 2",
      [tenant],
    );
    expect(nearest.rows.map((row) => row.position)).toEqual([0, 1]);
  });
});
