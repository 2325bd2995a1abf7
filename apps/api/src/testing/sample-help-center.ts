import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@relai/config';
import { runSync, type SourceRecord, type SyncSummary } from '@relai/ingest';
import { createSource } from '@relai/sources';
import type { TestApp } from './test-app';

/** The help center shipped in samples/ (French and English articles of "Facturo"). */
export const SAMPLE_HELP_CENTER = fileURLToPath(new URL('../../../../samples/help-center/articles.jsonl', import.meta.url));

/**
 * Syncs the sample help center into the test tenant as a JSONL source, the way the worker does
 * (the real JSONL connector, the real indexer and embedder). `tags` adds tags to articles by id, in
 * a copy of the file, for tests of tag rules (the sample has none).
 */
export async function syncSampleHelpCenter(t: TestApp, options: { tags?: Record<string, string[]> } = {}): Promise<{ source: SourceRecord; summary: SyncSummary; dispose(): void }> {
  let file = SAMPLE_HELP_CENTER;
  let dir: string | null = null;
  if (options.tags) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-sample-hc-'));
    file = path.join(dir, 'articles.jsonl');
    const lines = fs
      .readFileSync(SAMPLE_HELP_CENTER, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        const article = JSON.parse(line) as { id: string; tags?: string[] };
        const tags = options.tags?.[article.id];
        return JSON.stringify(tags ? { ...article, tags } : article);
      });
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  }
  const source = await t.deps.sources.create(
    t.tenantId,
    { name: 'Sample help center (Facturo)', config: { kind: 'jsonl', path: file }, full_sync_cron: '0 3 * * 1', timezone: 'Europe/Paris', incremental_every_minutes: 10 },
    crypto.randomUUID(),
  );
  const summary = await runSync(
    {
      db: t.handle.db,
      embedder: t.deps.embedder,
      sources: t.deps.sources,
      logger: createLogger('silent'),
      connect: (stored, hooks) =>
        createSource(stored.config, { onInvalid: (line, reason, externalId) => hooks?.onUnreadableArticle(externalId, `line ${line}: ${reason}`) }),
    },
    source,
    'full',
    { trigger: 'test' },
  );
  if (summary.status !== 'succeeded') throw new Error(`the sample sync failed: ${summary.error}`);
  return { source, summary, dispose: () => dir && fs.rmSync(dir, { recursive: true, force: true }) };
}
