import { runSync, type SourceRecord, type SyncSummary } from '@relai/ingest';
import { progressPrinter } from '../progress';
import type { Runtime } from '../runtime';
import { UsageError } from '../usage-error';

/** `relai sync <source> [--full]`: runs in the foreground with a progress bar, then a summary. */
export async function syncCommand(runtime: Runtime, sourceRef: string, options: { full: boolean; tenant?: string }): Promise<SyncSummary> {
  const source = await resolveSource(runtime, sourceRef, options.tenant);
  const mode = options.full ? 'full' : 'incremental';
  const progress = progressPrinter(`${source.name} (${mode})`);
  const summary = await runSync(runtime.syncDeps, source, mode, {
    trigger: 'cli',
    onProgress: progress.update,
  });
  progress.done();
  return summary;
}

export function describeSummary(summary: SyncSummary): string {
  const { counts } = summary;
  const head = summary.status === 'succeeded' ? 'Sync finished' : `Sync FAILED: ${summary.error}`;
  return [
    `${head} in ${(summary.durationMs / 1000).toFixed(1)} s (run ${summary.runId})`,
    `  seen ${counts.seen} · created ${counts.created} · updated ${counts.updated} · unchanged ${counts.unchanged} · removed ${counts.deleted} · failed ${counts.failed}`,
    counts.failed ? `  per-article errors: GET /v1/sources/${summary.sourceId}/runs/${summary.runId}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

async function resolveSource(runtime: Runtime, ref: string, tenant?: string): Promise<SourceRecord> {
  const matches = await runtime.sources.find(tenant ?? null, ref);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UsageError(`"${ref}" names ${matches.length} sources in different tenants: add --tenant <tenant id>`);
  const known = await runtime.sources.list(tenant ?? null);
  throw new UsageError(
    `No source "${ref}". Known sources: ${known.length ? known.map((source) => `"${source.name}" (${source.id})`).join(', ') : 'none (add one with `relai sources add`)'}`,
  );
}
