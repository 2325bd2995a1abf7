import { runSync, SyncAlreadyRunningError, type SyncDeps, type SyncSourcePayload } from '@relai/ingest';
import type { JobHandler } from '@relai/queue';

/** Full and incremental syncs of one source. A failed run is recorded, then thrown so the queue retries it. */
export function syncSourceHandler(deps: SyncDeps): JobHandler<SyncSourcePayload> {
  return async (payload, context) => {
    const source = await deps.sources.get(payload.tenantId, payload.sourceId);
    if (!source) {
      deps.logger.warn('sync skipped: the source was deleted', { sourceId: payload.sourceId });
      return;
    }
    try {
      const summary = await runSync(deps, source, payload.mode, { trigger: payload.trigger, signal: context.signal });
      if (summary.status === 'failed') throw new Error(`sync run ${summary.runId} failed: ${summary.error}`);
    } catch (error) {
      // An incremental sync overlapping a running one has nothing to add; a full one must still happen.
      if (error instanceof SyncAlreadyRunningError && payload.mode === 'incremental') return;
      throw error;
    }
  };
}
