import type { Queryable } from '@relai/db';
import type { Embedder } from '@relai/ingest';
import { orQuery } from './query-terms';

export interface SearchHit {
  articleId: string;
  externalId: string;
  title: string;
  url: string | null;
  collectionPath: string[];
  language: string | null;
  /** Reciprocal-rank-fusion score of the article's best chunk. */
  score: number;
  /** The best chunk: what an answer quotes. */
  passage: { headingPath: string[]; text: string };
  lexicalRank: number | null;
  vectorRank: number | null;
}

export interface SearchRequest {
  tenantId: string;
  query: string;
  limit?: number;
}

/** RRF's usual constant: dampens the head so that both rankings get a say. */
const RRF_K = 60;
const CANDIDATES = 60;

/**
 * Hybrid search in one SQL statement: full-text (each chunk in its own language's stemming, accents
 * folded) and vector similarity on the current embedding model, fused by reciprocal rank, rolled up
 * to articles (best chunk wins). Tenant and published state are filtered inside both rankings.
 */
export async function hybridSearch(db: Queryable, embedder: Embedder, request: SearchRequest): Promise<SearchHit[]> {
  const terms = orQuery(request.query);
  const vector = await embedder.embeddings.embedQuery(request.query);
  const limit = Math.min(Math.max(request.limit ?? 5, 1), 50);
  // The cast must match the partial HNSW index expression for the planner to use it.
  const dims = embedder.dimensions;
  const { rows } = await db.query<{
    article_id: string;
    external_id: string;
    title: string;
    url: string | null;
    collection_path: string[];
    language: string | null;
    heading_path: string[];
    text: string;
    score: number;
    lexical_rank: number | null;
    vector_rank: number | null;
  }>(
    `WITH lexical AS (
       SELECT c.id, row_number() OVER (ORDER BY ts_rank_cd(c.tsv, to_tsquery(c.ts_config, immutable_unaccent($2)), 1) DESC, c.id) AS rank
       FROM chunks c
       WHERE $2::text IS NOT NULL AND c.tenant_id = $1 AND c.tsv @@ to_tsquery(c.ts_config, immutable_unaccent($2))
       ORDER BY rank LIMIT ${CANDIDATES}
     ),
     nearest AS (
       SELECT c.id, row_number() OVER (ORDER BY c.embedding::vector(${dims}) <=> $3::vector(${dims}), c.id) AS rank
       FROM chunks c
       WHERE c.tenant_id = $1 AND c.embedding_model = $4
       ORDER BY c.embedding::vector(${dims}) <=> $3::vector(${dims}) LIMIT ${CANDIDATES}
     ),
     fused AS (
       SELECT id, sum(1.0 / (${RRF_K} + rank)) AS score, min(lexical_rank) AS lexical_rank, min(vector_rank) AS vector_rank
       FROM (
         SELECT id, rank, rank AS lexical_rank, NULL::bigint AS vector_rank FROM lexical
         UNION ALL SELECT id, rank, NULL, rank FROM nearest
       ) ranked GROUP BY id
     ),
     best AS (
       SELECT DISTINCT ON (c.article_id) c.article_id, c.heading_path, c.text, f.score, f.lexical_rank, f.vector_rank
       FROM fused f JOIN chunks c ON c.id = f.id
       ORDER BY c.article_id, f.score DESC
     )
     SELECT a.id AS article_id, a.external_id, a.title, a.url, a.collection_path, a.language,
            b.heading_path, b.text, b.score::float8 AS score, b.lexical_rank::int AS lexical_rank, b.vector_rank::int AS vector_rank
     FROM best b JOIN articles a ON a.id = b.article_id
     WHERE a.tenant_id = $1 AND a.state = 'published' AND a.excluded_at IS NULL
     ORDER BY b.score DESC, a.id
     LIMIT $5`,
    [request.tenantId, terms, vectorText(vector), embedder.modelId, limit],
  );
  return rows.map((row) => ({
    articleId: row.article_id,
    externalId: row.external_id,
    title: row.title,
    url: row.url,
    collectionPath: row.collection_path,
    language: row.language,
    score: row.score,
    passage: { headingPath: row.heading_path, text: row.text },
    lexicalRank: row.lexical_rank,
    vectorRank: row.vector_rank,
  }));
}

function vectorText(vector: number[]): string {
  return `[${vector.join(',')}]`;
}
