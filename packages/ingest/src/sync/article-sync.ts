import type { SourceArticle } from '@relai/sources';
import { ArticleIndexer, ArticleRejectedError, type IndexOutcome } from '../indexing/article-indexer';
import type { SourceRecord } from '../sources/source-store';
import type { SyncDeps } from './sync-runner';
import { emptyCounts, SyncRunStore, type SyncCounts } from './sync-run-store';

/** What a webhook says happened to one article. */
export type ArticleChange =
  | { type: 'fetch'; externalId: string }
  | { type: 'upsert'; article: SourceArticle }
  | { type: 'remove'; externalId: string };

/**
 * Applies one article change as its own small run (mode "article"), so webhook activity shows up in
 * the run history with its counts and errors. Runs beside a full sync: it never waits for one.
 */
export async function syncArticle(deps: SyncDeps, source: SourceRecord, change: ArticleChange, trigger: string): Promise<IndexOutcome & { runId: string }> {
  const runs = new SyncRunStore(deps.db);
  const runId = await runs.start(source.tenantId, source.id, 'article', trigger);
  const indexer = new ArticleIndexer(deps.db, deps.embedder, 'per-article');
  const scope = { tenantId: source.tenantId, sourceId: source.id };
  const counts: SyncCounts = { ...emptyCounts(), seen: 1 };
  const externalId = change.type === 'upsert' ? change.article.externalId : change.externalId;
  try {
    let outcome: IndexOutcome;
    if (change.type === 'remove') {
      outcome = await indexer.remove(scope, externalId, 'deleted');
    } else {
      const article = change.type === 'upsert' ? change.article : await deps.connect(source).fetchOne(externalId);
      // Gone from the source: a webhook for a deleted article, or one deleted since the event.
      outcome = article ? await indexer.index(scope, article) : await indexer.remove(scope, externalId, 'deleted');
    }
    counts[outcome.status === 'excluded' ? 'unchanged' : outcome.status]++;
    if (outcome.warning) {
      await runs.recordArticleProblem(runId, source.tenantId, { externalId, title: null, kind: 'truncated', reason: outcome.warning });
    }
    await runs.finish(runId, counts, { error: null });
    return { ...outcome, runId };
  } catch (error) {
    counts.failed++;
    const reason = (error as Error).message;
    await runs.recordArticleProblem(runId, source.tenantId, { externalId, title: null, kind: 'failed', reason });
    await runs.finish(runId, counts, { error: reason });
    // Rejected content will not get better by retrying; anything else (source down) is retried by the queue.
    if (error instanceof ArticleRejectedError) return { status: 'unchanged', warning: reason, runId };
    throw error;
  }
}
