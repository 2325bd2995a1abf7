import { syncArticle, type ArticleChangePayload, type SyncDeps } from '@relai/ingest';
import type { JobHandler } from '@relai/queue';

/** One article changed (webhook): index it, refetch it, or take it out of search. */
export function articleChangeHandler(deps: SyncDeps): JobHandler<ArticleChangePayload> {
  return async (payload) => {
    const source = await deps.sources.get(payload.tenantId, payload.sourceId);
    if (!source) return;
    await syncArticle(deps, source, payload.change, payload.trigger);
  };
}
