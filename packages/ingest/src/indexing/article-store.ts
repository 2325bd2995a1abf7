import type { Database, Queryable } from '@relai/db';
import { adjustTermStats } from './term-stats';

export interface ArticleView {
  id: string;
  source_id: string;
  external_id: string;
  title: string;
  url: string | null;
  collection_path: string[];
  locale: string | null;
  language: string | null;
  state: 'published' | 'draft' | 'deleted';
  searchable: boolean;
  excluded: boolean;
  chunks: number;
  last_error: string | null;
  source_updated_at: string | null;
  indexed_at: string;
}

interface ArticleRow {
  id: string;
  source_id: string;
  external_id: string;
  title: string;
  url: string | null;
  collection_path: string[];
  locale: string | null;
  language: string | null;
  state: ArticleView['state'];
  excluded_at: Date | null;
  chunks: number;
  last_error: string | null;
  source_updated_at: Date | null;
  indexed_at: Date;
}

const SELECT = `SELECT a.id, a.source_id, a.external_id, a.title, a.url, a.collection_path, a.locale, a.language, a.state,
  a.excluded_at, a.last_error, a.source_updated_at, a.indexed_at,
  (SELECT count(*)::int FROM chunks c WHERE c.article_id = a.id) AS chunks
  FROM articles a`;

function toView(row: ArticleRow): ArticleView {
  return {
    id: row.id,
    source_id: row.source_id,
    external_id: row.external_id,
    title: row.title,
    url: row.url,
    collection_path: row.collection_path,
    locale: row.locale,
    language: row.language,
    state: row.state,
    searchable: row.state === 'published' && !row.excluded_at && row.chunks > 0,
    excluded: row.excluded_at !== null,
    chunks: row.chunks,
    last_error: row.last_error,
    source_updated_at: row.source_updated_at?.toISOString() ?? null,
    indexed_at: row.indexed_at.toISOString(),
  };
}

export async function listArticles(
  db: Queryable,
  tenantId: string,
  sourceId: string,
  options: { state?: ArticleView['state']; limit: number; offset: number },
): Promise<ArticleView[]> {
  const { rows } = await db.query<ArticleRow>(
    `${SELECT} WHERE a.tenant_id = $1 AND a.source_id = $2 AND ($3::text IS NULL OR a.state = $3)
     ORDER BY a.title, a.id LIMIT $4 OFFSET $5`,
    [tenantId, sourceId, options.state ?? null, options.limit, options.offset],
  );
  return rows.map(toView);
}

export async function getArticle(db: Queryable, tenantId: string, articleId: string): Promise<ArticleView | null> {
  const { rows } = await db.query<ArticleRow>(`${SELECT} WHERE a.tenant_id = $1 AND a.id = $2`, [tenantId, articleId]);
  return rows[0] ? toView(rows[0]) : null;
}

/**
 * An operator removes one article from the index: its chunks go now, and syncs keep it out (it may
 * still be published on the platform) until it is restored.
 */
export async function excludeArticle(db: Database, tenantId: string, articleId: string): Promise<ArticleView | null> {
  const found = await db.transaction(async (tx) => {
    const { rowCount } = await tx.query('UPDATE articles SET excluded_at = now(), content_hash = \'\' WHERE tenant_id = $1 AND id = $2', [tenantId, articleId]);
    if (!rowCount) return false;
    await adjustTermStats(tx, tenantId, articleId, -1);
    await tx.query('DELETE FROM chunks WHERE article_id = $1', [articleId]);
    return true;
  });
  return found ? getArticle(db, tenantId, articleId) : null;
}

/** Lets syncs index the article again; returns it so the caller can trigger a refetch. */
export async function restoreArticle(db: Queryable, tenantId: string, articleId: string): Promise<ArticleView | null> {
  await db.query('UPDATE articles SET excluded_at = NULL WHERE tenant_id = $1 AND id = $2', [tenantId, articleId]);
  return getArticle(db, tenantId, articleId);
}
