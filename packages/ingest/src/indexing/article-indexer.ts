import type { Database, Queryable } from '@relai/db';
import type { SourceArticle } from '@relai/sources';
import { chunkDocument } from '../chunk/chunk-document';
import { htmlToDocument, textToDocument } from '../clean/html-to-document';
import { contentHash } from '../content-hash';
import type { Embedder } from '../embed/embedder';
import { detectLanguage, textSearchConfig } from '../language/detect-language';
import type { CleanDocument } from '../pipeline-types';
import { adjustTermStats } from './term-stats';

export type IndexStatus = 'created' | 'updated' | 'unchanged' | 'deleted' | 'excluded';

export interface IndexOutcome {
  status: IndexStatus;
  /** Set when the article was indexed only in part (e.g. a body over the size limit). */
  warning?: string;
}

/** An article that cannot be indexed; the run records it and goes on. */
export class ArticleRejectedError extends Error {
  override name = 'ArticleRejectedError';
}

interface ExistingArticle {
  id: string;
  state: string;
  content_hash: string;
  embedding_model: string | null;
  excluded_at: Date | null;
}

export interface ArticleScope {
  tenantId: string;
  sourceId: string;
}

/**
 * Brings one source article into the index, idempotently: unchanged content (same hash, same model)
 * costs one SELECT; a change replaces all the article's chunks in one transaction; an unpublished or
 * deleted article loses its chunks in the same transaction that records its state.
 */
export class ArticleIndexer {
  constructor(
    private readonly db: Database,
    private readonly embedder: Embedder,
    /**
     * 'per-article': each change counts into the term statistics in its own transaction (webhooks);
     * 'after-run': the sync run refreshes them once at the end, cheaper for thousands of articles.
     */
    private readonly termStats: 'per-article' | 'after-run' = 'after-run',
  ) {}

  /** Existing rows of one source, loaded once per run so that unchanged articles cost no query. */
  private known: Map<string, ExistingArticle> | null = null;

  async preload(scope: ArticleScope): Promise<void> {
    const { rows } = await this.db.query<ExistingArticle & { external_id: string }>(
      'SELECT id, external_id, state, content_hash, embedding_model, excluded_at FROM articles WHERE tenant_id = $1 AND source_id = $2',
      [scope.tenantId, scope.sourceId],
    );
    this.known = new Map(rows.map((row) => [row.external_id, row]));
  }

  async index(scope: ArticleScope, article: SourceArticle): Promise<IndexOutcome> {
    const existing = await this.findExisting(scope, article.externalId);
    if (existing?.excluded_at) return { status: 'excluded' };
    if (article.state !== 'published') return this.removeFromSearch(scope, article.externalId, article.state, existing);

    const hash = contentHash({
      title: article.title,
      body: article.html ?? article.text ?? '',
      bodyFormat: article.html !== undefined ? 'html' : 'text',
      url: article.url,
      collectionPath: article.collectionPath,
      locale: article.locale,
      state: article.state,
      tags: article.tags ?? [],
    });
    if (
      existing &&
      existing.state === 'published' &&
      existing.content_hash === hash &&
      existing.embedding_model === this.embedder.modelId
    ) {
      return { status: 'unchanged' };
    }

    const document = this.clean(article);
    if (!document.text.trim()) throw new ArticleRejectedError('the article has no text once cleaned');
    const language = languageOf(article.locale) ?? knownLanguage(`${article.title}\n${document.text.slice(0, 4000)}`);
    const tsConfig = textSearchConfig(language);
    const chunks = chunkDocument(article.title, document);
    // Embedding happens before the transaction: it can be slow (remote endpoint) and must not hold it.
    const vectors = await this.embedder.embeddings.embedDocuments(chunks.map((chunk) => `${chunk.context}\n\n${chunk.text}`));
    if (vectors.length !== chunks.length) throw new Error(`the embedder returned ${vectors.length} vectors for ${chunks.length} chunks`);

    const articleId = await this.db.transaction(async (tx) => {
      const articleId = await upsertArticle(tx, scope, article, { hash, language, modelId: this.embedder.modelId, warning: document.truncatedReason });
      if (this.termStats === 'per-article') await adjustTermStats(tx, scope.tenantId, articleId, -1);
      await tx.query('DELETE FROM chunks WHERE article_id = $1', [articleId]);
      const columns = 10;
      for (let start = 0; start < chunks.length; start += CHUNK_INSERT_BATCH) {
        const batch = chunks.slice(start, start + CHUNK_INSERT_BATCH);
        const params: unknown[] = [];
        const tuples = batch.map((chunk, index) => {
          params.push(
            scope.tenantId,
            scope.sourceId,
            articleId,
            chunk.position,
            chunk.headingPath,
            chunk.context,
            chunk.text,
            tsConfig,
            vectorLiteral(vectors[start + index]!),
            this.embedder.modelId,
          );
          const base = index * columns;
          return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8}::regconfig, $${base + 9}::vector, $${base + 10})`;
        });
        await tx.query(
          `INSERT INTO chunks (tenant_id, source_id, article_id, position, heading_path, context, text, ts_config, embedding, embedding_model) VALUES ${tuples.join(', ')}`,
          params,
        );
      }
      if (this.termStats === 'per-article') await adjustTermStats(tx, scope.tenantId, articleId, 1);
      return articleId;
    });
    this.known?.set(article.externalId, { id: articleId, state: 'published', content_hash: hash, embedding_model: this.embedder.modelId, excluded_at: null });
    const status = existing ? 'updated' : 'created';
    return document.truncatedReason ? { status, warning: document.truncatedReason } : { status };
  }

  /** Takes an article out of search by its external id (webhook "unpublished", source 404). */
  async remove(scope: ArticleScope, externalId: string, state: 'draft' | 'deleted'): Promise<IndexOutcome> {
    return this.removeFromSearch(scope, externalId, state, await this.findExisting(scope, externalId));
  }

  private clean(article: SourceArticle): CleanDocument {
    try {
      return article.html !== undefined ? htmlToDocument(article.html) : textToDocument(article.text ?? '');
    } catch (error) {
      throw new ArticleRejectedError(`the body could not be cleaned: ${(error as Error).message}`);
    }
  }

  private async findExisting(scope: ArticleScope, externalId: string): Promise<ExistingArticle | null> {
    if (this.known) return this.known.get(externalId) ?? null;
    const { rows } = await this.db.query<ExistingArticle>(
      'SELECT id, state, content_hash, embedding_model, excluded_at FROM articles WHERE tenant_id = $1 AND source_id = $2 AND external_id = $3',
      [scope.tenantId, scope.sourceId, externalId],
    );
    return rows[0] ?? null;
  }

  private async removeFromSearch(
    scope: ArticleScope,
    externalId: string,
    state: 'draft' | 'deleted',
    existing: ExistingArticle | null,
  ): Promise<IndexOutcome> {
    if (!existing || existing.state === state) return { status: 'unchanged' };
    await this.db.transaction(async (tx) => {
      if (this.termStats === 'per-article') await adjustTermStats(tx, scope.tenantId, existing.id, -1);
      await tx.query('DELETE FROM chunks WHERE article_id = $1', [existing.id]);
      await tx.query(
        `UPDATE articles SET state = $2, content_hash = '', deleted_at = CASE WHEN $2 = 'deleted' THEN now() END, indexed_at = now() WHERE id = $1`,
        [existing.id, state],
      );
    });
    this.known?.set(externalId, { ...existing, state, content_hash: '' });
    return { status: existing.state === 'published' ? 'deleted' : 'unchanged' };
  }
}

/** Enough rows per INSERT to amortise the round trip, few enough to stay far below 65,535 parameters. */
const CHUNK_INSERT_BATCH = 200;

async function upsertArticle(
  tx: Queryable,
  scope: ArticleScope,
  article: SourceArticle,
  indexed: { hash: string; language: string | null; modelId: string; warning: string | null },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO articles (tenant_id, source_id, external_id, title, url, collection_path, tags, locale, language, state,
                           content_hash, source_updated_at, embedding_model, last_error, deleted_at, indexed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'published', $10, $11, $12, $13, NULL, now())
     ON CONFLICT (source_id, external_id) DO UPDATE SET
       title = EXCLUDED.title, url = EXCLUDED.url, collection_path = EXCLUDED.collection_path, tags = EXCLUDED.tags,
       locale = EXCLUDED.locale, language = EXCLUDED.language, state = 'published', content_hash = EXCLUDED.content_hash,
       source_updated_at = EXCLUDED.source_updated_at, embedding_model = EXCLUDED.embedding_model,
       last_error = EXCLUDED.last_error, deleted_at = NULL, indexed_at = now()
     RETURNING id`,
    [
      scope.tenantId,
      scope.sourceId,
      article.externalId,
      article.title,
      article.url,
      article.collectionPath,
      article.tags ?? [],
      article.locale,
      indexed.language,
      indexed.hash,
      article.updatedAt,
      indexed.modelId,
      indexed.warning,
    ],
  );
  return rows[0]!.id;
}

/** "fr-FR", "fr_ca", "en-us" → "fr" / "en"; other or missing locales → null (then detected). */
export function languageOf(locale: string | null): string | null {
  const base = locale?.toLowerCase().split(/[-_]/)[0];
  return base === 'fr' || base === 'en' ? base : null;
}

function knownLanguage(text: string): string | null {
  const guess = detectLanguage(text);
  return guess.language === 'unknown' ? null : guess.language;
}

/** Short decimal text: pgvector parses it in WASM, and 6 significant digits are plenty for cosine. */
function vectorLiteral(vector: number[]): string {
  let out = '[';
  for (let i = 0; i < vector.length; i++) out += (i ? ',' : '') + Number(vector[i]!.toPrecision(6));
  return `${out}]`;
}
