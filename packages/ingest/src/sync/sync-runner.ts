import type { Logger } from '@relai/config';
import { ensureVectorIndex, type Database } from '@relai/db';
import type { ArticleSource, SourceArticle } from '@relai/sources';
import type { Embedder } from '../embed/embedder';
import { refreshTermStats } from '../indexing/term-stats';
import { ArticleIndexer, ArticleRejectedError, type IndexOutcome } from '../indexing/article-indexer';
import type { SourceRecord, SourceStore } from '../sources/source-store';
import { emptyCounts, SyncRunStore, type SyncCounts } from './sync-run-store';

export interface SyncDeps {
  db: Database;
  embedder: Embedder;
  sources: SourceStore;
  /** Builds the connector for a stored source (tests inject fast clocks and fake servers here). */
  connect(source: SourceRecord, hooks?: ConnectHooks): ArticleSource;
  logger: Logger;
}

export interface ConnectHooks {
  /** An entry the source could not read (e.g. a malformed JSONL line); its id when still readable. */
  onUnreadableArticle(externalId: string | null, reason: string): void;
}

export interface SyncProgress {
  counts: SyncCounts;
  /** Known when the connector announced it; null otherwise. */
  total: number | null;
}

export interface SyncSummary {
  runId: string;
  sourceId: string;
  mode: 'full' | 'incremental';
  status: 'succeeded' | 'failed';
  counts: SyncCounts;
  error: string | null;
  durationMs: number;
}

export interface SyncOptions {
  trigger: string;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
  /** Articles processed at once: overlaps remote embedding calls; PGlite serialises writes anyway. */
  concurrency?: number;
}

const HEARTBEAT_MS = 5_000;

/**
 * One sync run of one source: list (all, or changed since the cursor), index each article, and for a
 * full listing remove what the source no longer has. Article-level problems are recorded and the run
 * goes on; a listing failure fails the run and leaves what is indexed untouched (nothing is removed).
 */
export async function runSync(deps: SyncDeps, source: SourceRecord, mode: 'full' | 'incremental', options: SyncOptions): Promise<SyncSummary> {
  const startedAt = Date.now();
  const runs = new SyncRunStore(deps.db);
  const runId = await runs.start(source.tenantId, source.id, mode, options.trigger);
  const log = deps.logger.child({ sourceId: source.id, runId, mode });
  const counts = emptyCounts();
  let total: number | null = null;
  const report = () => options.onProgress?.({ counts: { ...counts }, total });
  const heartbeat = setInterval(() => {
    runs.heartbeat(runId, counts).catch((error) => log.warn('heartbeat failed', { error }));
  }, HEARTBEAT_MS);

  const problems: Array<Promise<void>> = [];
  const seen = new Set<string>();
  const scope = { tenantId: source.tenantId, sourceId: source.id };
  try {
    const connector = deps.connect(source, {
      // Counted as failed, and kept out of the garbage collection: an unreadable entry is not a deletion.
      onUnreadableArticle: (externalId, reason) => {
        counts.failed++;
        if (externalId) seen.add(externalId);
        problems.push(runs.recordArticleProblem(runId, source.tenantId, { externalId: externalId ?? '(unknown)', title: null, kind: 'failed', reason }));
      },
    });
    const listingOptions = { signal: options.signal, onTotal: (n: number) => ((total = n), report()) };
    const listing = mode === 'full' ? connector.listAll(listingOptions) : connector.listChanged(source.cursor, listingOptions);
    const indexer = new ArticleIndexer(deps.db, deps.embedder);
    await indexer.preload(scope);

    await forEachConcurrently(listing.articles, options.concurrency ?? 4, async (article: SourceArticle) => {
      options.signal?.throwIfAborted();
      seen.add(article.externalId);
      counts.seen++;
      let outcome: IndexOutcome;
      try {
        outcome = await indexer.index(scope, article);
      } catch (error) {
        counts.failed++;
        const reason = error instanceof ArticleRejectedError ? error.message : `indexing failed: ${(error as Error).message}`;
        await runs.recordArticleProblem(runId, source.tenantId, { externalId: article.externalId, title: article.title, kind: 'failed', reason });
        log.warn('article not indexed', { externalId: article.externalId, reason });
        report();
        return;
      }
      counts[outcome.status === 'excluded' ? 'unchanged' : outcome.status]++;
      if (outcome.warning) {
        await runs.recordArticleProblem(runId, source.tenantId, { externalId: article.externalId, title: article.title, kind: 'truncated', reason: outcome.warning });
      }
      report();
    });

    await Promise.all(problems);
    if (mode === 'full') counts.deleted += await removeUnlisted(deps.db, source, seen);
    const cursor = listing.cursor();
    await deps.sources.saveCursor(source.id, cursor);
    await ensureVectorIndex(deps.db, deps.embedder.modelId, deps.embedder.dimensions);
    if (counts.created + counts.updated + counts.deleted > 0) {
      await refreshTermStats(deps.db, source.tenantId);
      // Fresh planner statistics: without them the planner misjudges the vector and text indexes.
      await deps.db.query('ANALYZE chunks');
    }
    await runs.finish(runId, counts, { error: null, cursor });
    report();
    log.info('sync finished', { ...counts });
    return { runId, sourceId: source.id, mode, status: 'succeeded', counts, error: null, durationMs: Date.now() - startedAt };
  } catch (error) {
    await Promise.allSettled(problems);
    const message = (error as Error).message || String(error);
    await runs.finish(runId, counts, { error: message });
    log.error('sync failed', { error: message, ...counts });
    return { runId, sourceId: source.id, mode, status: 'failed', counts, error: message, durationMs: Date.now() - startedAt };
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Garbage collection after a complete full listing: published or draft articles the source did not
 * list are gone from the platform. Their chunks go in the same statement batch as their state.
 */
async function removeUnlisted(db: Database, source: SourceRecord, seen: Set<string>): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; was_published: boolean }>(
      `UPDATE articles a SET state = 'deleted', deleted_at = now(), content_hash = '', indexed_at = now()
       FROM (SELECT id, state = 'published' AS was_published FROM articles
             WHERE tenant_id = $1 AND source_id = $2 AND state <> 'deleted' AND NOT (external_id = ANY($3::text[]))
             FOR UPDATE) gone
       WHERE a.id = gone.id
       RETURNING a.id, gone.was_published`,
      [source.tenantId, source.id, [...seen]],
    );
    if (rows.length) await tx.query('DELETE FROM chunks WHERE article_id = ANY($1::uuid[])', [rows.map((row) => row.id)]);
    return rows.filter((row) => row.was_published).length;
  });
}

/** Runs `work` over an async iterable with at most `limit` in flight; the first thrown error stops it. */
async function forEachConcurrently<T>(items: AsyncIterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: unknown = null;
  for await (const item of items) {
    if (failure) break;
    const task = work(item)
      .catch((error) => {
        failure ??= error;
      })
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure;
}
