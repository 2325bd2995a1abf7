import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate, openDatabase } from '../../packages/db/src/index';


/**
 * Creating a PGlite data folder costs seconds (initdb in WASM); copying a migrated one costs
 * milliseconds. Integration tests copy this template instead of creating their own.
 */
export default async function setup(project: TestProject) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-pglite-template-'));
  const dataDir = path.join(root, 'data');
  const db = await openDatabase({ kind: 'pglite', dataDir });
  await migrate(db);
  await db.close();
  project.provide('pgliteTemplateDir', dataDir);
  return () => fs.rmSync(root, { recursive: true, force: true });
}
