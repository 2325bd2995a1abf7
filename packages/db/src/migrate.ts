import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@relai/config';
import type { Database } from './database';

export const defaultMigrationsDir = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** Arbitrary but fixed: every Relai process asks for the same advisory lock before migrating. */
const MIGRATION_LOCK_KEY = 7_243_518_001;

export interface Migration {
  file: string;
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads `NNNN_name.sql` files in version order; refuses gaps in numbering and duplicates. */
export function readMigrations(dir = defaultMigrationsDir): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
      if (!match) throw new MigrationError(`Migration file ${file} must be named NNNN_description.sql`);
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        file,
        version: Number(match[1]),
        name: match[2]!,
        sql,
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(`Migrations must be numbered 1, 2, 3…: found ${migration.version} at position ${index + 1}`);
    }
  });
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so that an
 * API and a worker starting together apply each file exactly once. Returns the versions applied.
 */
export async function migrate(db: Database, options: { dir?: string; logger?: Logger } = {}): Promise<number[]> {
  const migrations = readMigrations(options.dir);
  return db.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      );
      const applied = new Map(rows.map((row) => [row.version, row]));
      for (const [version, row] of applied) {
        const known = migrations.find((migration) => migration.version === version);
        if (!known) {
          throw new MigrationError(`The database has migration ${version} (${row.name}) that this code does not know: is this an older version of Relai?`);
        }
        if (known.checksum !== row.checksum) {
          throw new MigrationError(`Migration ${known.file} changed after it was applied: add a new migration instead of editing it`);
        }
      }
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new MigrationError(`Migration ${migration.file} failed: ${(error as Error).message}`);
        }
        options.logger?.info('applied migration', { version: migration.version, name: migration.name });
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
