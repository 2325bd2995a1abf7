import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from './database';

export interface TestDatabase {
  db: Database;
  dataDir: string;
  /** Closes the database and removes its folder. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated embedded database for one test: a copy of the template folder made by the test
 * setup (scripts/test/db-template-setup.ts), so it is real Postgres + pgvector and costs milliseconds.
 */
export async function openTestDatabase(templateDir: string): Promise<TestDatabase> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-test-db-'));
  const dataDir = path.join(root, 'data');
  fs.cpSync(templateDir, dataDir, { recursive: true });
  const db = await openDatabase({ kind: 'pglite', dataDir });
  return {
    db,
    dataDir,
    dispose: async () => {
      await db.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
