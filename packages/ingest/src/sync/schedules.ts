import type { JobQueue } from '@relai/queue';
import { syncSourceJob } from '../jobs';
import type { SourceRecord } from '../sources/source-store';

/**
 * Each source has two recurring jobs: the weekly full sync (its cron, its time zone), which also
 * removes deleted articles, and the frequent incremental sync. Re-running this keeps one of each.
 */
export async function scheduleSourceSyncs(queue: JobQueue, source: SourceRecord): Promise<void> {
  const base = { tenantId: source.tenantId, sourceId: source.id, trigger: 'schedule' };
  await queue.schedule(`full-sync-${source.id}`, syncSourceJob, { ...base, mode: 'full' }, { cron: source.fullSyncCron, timezone: source.timezone });
  if (source.incrementalEveryMinutes > 0) {
    await queue.schedule(`incremental-sync-${source.id}`, syncSourceJob, { ...base, mode: 'incremental' }, { everyMs: source.incrementalEveryMinutes * 60_000 });
  } else {
    await queue.unschedule(`incremental-sync-${source.id}`);
  }
}

export async function unscheduleSourceSyncs(queue: JobQueue, sourceId: string): Promise<void> {
  await queue.unschedule(`full-sync-${sourceId}`);
  await queue.unschedule(`incremental-sync-${sourceId}`);
}

/** Syncs of one source and mode never queue twice; the database guard stops two from running at once. */
export function syncDedupeKey(sourceId: string, mode: 'full' | 'incremental'): string {
  return `sync-${mode}-${sourceId}`;
}
