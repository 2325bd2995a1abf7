import { createHash } from 'node:crypto';
import type { Queryable } from '@relai/db';

export interface ArticleCandidate {
  articleId: string;
  externalId: string;
  title: string;
  url: string | null;
  collectionPath: string[];
  tags: string[];
  language: string | null;
  /** Reciprocal-rank fusion of the two rankings (article level). */
  fusedScore: number;
  /** Sum over query terms of weight × IDF × ts_rank, for the article's best chunk; null: no term matched. */
  lexicalScore: number | null;
  lexicalRank: number | null;
  /** Share of the query's IDF-weighted terms that the best chunk contains (0..1). */
  coverage: number;
  /** Like coverage, for the words of the last message only (weight 1 in the query). */
  lastMessageCoverage: number;
  /** Lexical score divided by the query's IDF mass: how strongly (tf, title) the best chunk matches. */
  lexicalStrength: number;
  /** Share of the query (by weight) whose words appear anywhere in the knowledge base; same for every candidate. */
  vocabularyCoverage: number;
  /** Cosine similarity of the article's nearest chunk; null: not among the vector candidates. */
  vectorSimilarity: number | null;
  vectorRank: number | null;
  /** The chunk that represents the article for this query: what an answer quotes. */
  passage: { headingPath: string[]; text: string };
}

export interface HybridSearchRequest {
  tenantId: string;
  terms: Array<{ term: string; weight: number }>;
  /** Query embedding of `modelId`; null when the query has nothing to embed. */
  vector: number[] | null;
  modelId: string;
  dimensions: number;
  limit: number;
  /** Articles each ranking contributes before fusion. */
  depth?: number;
  /** Weight of each ranking in the fusion. */
  lexicalWeight?: number;
  vectorWeight?: number;
  /** Only these sources (an agent's sources); unset or empty: every source of the tenant. */
  sourceIds?: string[];
  /** Only these articles (a customer picked one of the options offered). */
  articleIds?: string[];
}

/** RRF's usual constant: flattens the head so that both rankings get a say. */
const RRF_K = 60;
/**
 * ts_rank's weights for labels D, C, B, A: the title and headings (A) count most, the body (B) a
 * little over half as much. Measured on the dev sets: 0.4 (Postgres' default) under-ranks articles
 * whose answer sits in the body; 1.0 drowns question-like titles (scripts/eval/experiment.ts).
 */
const RANK_WEIGHTS = '{0.1,0.2,0.6,1.0}';
/** The most informative terms (weight × IDF) of a long conversation are enough to rank; more only cost. */
const MAX_QUERY_TERMS = 16;
/** A term in more than this share of the chunks does not generate candidates (it still scores them). */
const SELECTIVE_DF = 0.05;
/**
 * Nor does a term in more chunks than this, whatever the corpus size (unless among the rarest): its
 * chunks would far outnumber the candidates kept, which the rarer terms choose better. Only knowledge
 * bases over 10,000 chunks reach it (the dev sets do not). On 25k generated chunks: search p50 -20%,
 * and the conversation's source article in the top 5 as often or more.
 */
const SELECTIVE_MAX_CHUNKS = 500;
/**
 * Chunks the selective terms let through to full scoring (best first on those terms). 400 -> 200 changed
 * no result on the dev sets, lost no recall on 25k generated chunks and saved a sixth of the search time.
 */
const LEXICAL_CANDIDATES = 200;
/** The rarest terms generate candidates even when common, so that a query of common words still finds some… */
const MIN_SELECTIVE_TERMS = 3;
/**
 * …unless they are in more than half the chunks or more than 2,000: such a word barely discriminates
 * (BM25's IDF is near 0) and ranking all its chunks would cost more than the rest of the search (on 25k
 * generated chunks, three words found in 60% of them made a 300 ms search). The vector neighbours are
 * then the candidates, which the lexical side scores like any other. No dev-set query reaches it.
 */
const GENERATING_MAX_SHARE = 0.5;
const GENERATING_MAX_CHUNKS = 2000;

/**
 * Nearest chunks the vector side asks for: pgvector's HNSW search returns ef_search (40) at once, and
 * asking more makes its iterative scan go on. 150 -> 40: the same rankings on the dev sets within ±0.005
 * and the vector side 2.5 times faster on 25k chunks.
 */
const VECTOR_CHUNKS = 40;

/** The model id is part of the SQL text (not a parameter) so that a generic plan can use its partial HNSW index. */
function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The agent's sources and the chosen articles, inside both rankings; NULL parameters mean no filter. */
const SCOPE = '($10::uuid[] IS NULL OR c.source_id = ANY ($10::uuid[])) AND ($11::uuid[] IS NULL OR c.article_id = ANY ($11::uuid[]))';

function statementKey(modelId: string, dims: number): string {
  return `${createHash('sha256').update(modelId).digest('hex').slice(0, 12)}-${dims}`;
}

/**
 * One statement: BM25-style lexical ranking (IDF from the tenant's term statistics, each chunk matched
 * in its own language's stemming with accents folded, title and headings weighted above the body,
 * length-normalised ts_rank as the saturating term frequency) and pgvector nearest neighbours on the
 * current model, both rolled up to articles (best chunk) and fused by weighted reciprocal rank.
 * Tenant filters sit inside both rankings.
 */
export async function hybridSearch(db: Queryable, request: HybridSearchRequest): Promise<ArticleCandidate[]> {
  const dims = request.dimensions;
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`invalid embedding dimensions ${dims}`);
  const depth = request.depth ?? 50;
  const { rows } = await db.query<{
    article_id: string;
    external_id: string;
    title: string;
    url: string | null;
    collection_path: string[];
    tags: string[];
    language: string | null;
    fused: number;
    lexical_score: number | null;
    lexical_rank: number | null;
    matched: number | null;
    total_mass: number | null;
    known: number | null;
    matched_last: number | null;
    last_mass: number | null;
    vector_sim: number | null;
    vector_rank: number | null;
    heading_path: string[];
    text: string;
  }>(
    {
      // Planned once per connection and dimension: planning this statement costs more than running it.
      name: `hybrid-search-v6-${statementKey(request.modelId, dims)}`,
      text: `WITH input AS (
       SELECT t.weight,
              NULLIF(plainto_tsquery('french', immutable_unaccent(t.term)), ''::tsquery) AS q_fr,
              NULLIF(plainto_tsquery('english', immutable_unaccent(t.term)), ''::tsquery) AS q_en,
              NULLIF(plainto_tsquery('simple', immutable_unaccent(t.term)), ''::tsquery) AS q_si,
              tsvector_to_array(to_tsvector('french', immutable_unaccent(t.term))) AS l_fr,
              tsvector_to_array(to_tsvector('english', immutable_unaccent(t.term))) AS l_en,
              tsvector_to_array(to_tsvector('simple', immutable_unaccent(t.term))) AS l_si
       FROM unnest($2::text[], $3::float8[]) AS t(term, weight)
     ),
     corpus AS (
       SELECT greatest(coalesce((SELECT chunks FROM corpus_stats WHERE tenant_id = $1), (SELECT count(*) FROM chunks WHERE tenant_id = $1)), 1)::float8 AS n
     ),
     scored AS (
       -- Document frequency from the refreshed statistics; a lexeme they do not know yet (an article
       -- indexed since the last refresh) counts as rare rather than being dropped.
       SELECT i.*, df.df, i.weight * ln(1 + (corpus.n - greatest(df.df, 1) + 0.5) / (greatest(df.df, 1) + 0.5)) AS w
       FROM input i CROSS JOIN corpus
       CROSS JOIN LATERAL (
         SELECT (
           coalesce((SELECT sum(s.df) FROM term_stats s WHERE s.tenant_id = $1 AND s.ts_config = 'french'::regconfig AND s.lexeme = ANY (i.l_fr)), 0) +
           coalesce((SELECT sum(s.df) FROM term_stats s WHERE s.tenant_id = $1 AND s.ts_config = 'english'::regconfig AND s.lexeme = ANY (i.l_en)), 0) +
           coalesce((SELECT sum(s.df) FROM term_stats s WHERE s.tenant_id = $1 AND s.ts_config = 'simple'::regconfig AND s.lexeme = ANY (i.l_si)), 0)
         )::float8 AS df
         OFFSET 0 -- evaluated once per term, not once per reference to df
       ) df
       WHERE i.q_fr IS NOT NULL OR i.q_en IS NOT NULL OR i.q_si IS NOT NULL
     ),
     terms AS MATERIALIZED (
       SELECT top.*, (row_number() OVER (ORDER BY top.df, top.w DESC) <= ${MIN_SELECTIVE_TERMS} AND top.df <= least(corpus.n * ${GENERATING_MAX_SHARE}, ${GENERATING_MAX_CHUNKS}))
                     OR top.df <= least(corpus.n * ${SELECTIVE_DF}, ${SELECTIVE_MAX_CHUNKS}) AS selective,
              -- The term's forms in all three languages in one query: one GIN scan finds its chunks in each.
              coalesce(top.q_fr, ''::tsquery) || coalesce(top.q_en, ''::tsquery) || coalesce(top.q_si, ''::tsquery) AS q_any
       FROM (SELECT * FROM scored ORDER BY w DESC LIMIT ${MAX_QUERY_TERMS}) top CROSS JOIN corpus
     ),
     -- Share of the query (by weight) made of words the knowledge base uses at all: low for off-topic questions.
     vocabulary AS (SELECT coalesce(sum(weight) FILTER (WHERE df > 0) / nullif(sum(weight), 0), 0) AS known FROM scored),
     nearest AS (
       SELECT c.id, c.article_id, 1 - (c.embedding::vector(${dims}) <=> $4::vector(${dims})) AS sim
       FROM chunks c
       WHERE $4::vector(${dims}) IS NOT NULL AND c.tenant_id = $1 AND c.embedding_model = ${sqlString(request.modelId)} AND ${SCOPE}
       ORDER BY c.embedding::vector(${dims}) <=> $4::vector(${dims}) LIMIT $6
     ),
     -- Candidates come from the selective terms only (the three rarest unless in most chunks, and any in
     -- under 5% of the chunks and under ${SELECTIVE_MAX_CHUNKS}): common words would drag in most of the corpus. One GIN
     -- scan per term, on its forms in all languages; each chunk keeps the match of its own language's
     -- form (a scan per language fetched most rows twice: the stems often agree). Materialized, so that
     -- grouping handles these few columns rather than tsvectors.
     matches AS MATERIALIZED (
       SELECT c.id, c.article_id, t.w, t.weight, ts_rank('${RANK_WEIGHTS}'::float4[], c.tsv, q.q, 1) AS rank
       FROM terms t
       JOIN chunks c ON c.tenant_id = $1 AND c.tsv @@ t.q_any
       CROSS JOIN LATERAL (
         SELECT CASE c.ts_config WHEN 'french'::regconfig THEN t.q_fr WHEN 'english'::regconfig THEN t.q_en WHEN 'simple'::regconfig THEN t.q_si END AS q
       ) q
       WHERE t.selective AND c.tsv @@ q.q AND ${SCOPE}
     ),
     -- The best chunks on the selective terms, with that part of their score already summed.
     candidates AS MATERIALIZED (
       (SELECT id, article_id, sum(w * rank) AS score, sum(w) AS matched, sum(w) FILTER (WHERE weight >= 1) AS matched_last
        FROM matches GROUP BY id, article_id ORDER BY sum(w * rank) DESC, id LIMIT ${LEXICAL_CANDIDATES})
       UNION ALL
       -- A query of common words only: the vector neighbours are the candidates the lexical side scores.
       SELECT n.id, n.article_id, 0, 0, NULL FROM nearest n WHERE NOT EXISTS (SELECT 1 FROM terms WHERE selective)
     ),
     -- Full scores: the other (common) terms are looked up in each candidate and added.
     chunk_scores AS (
       SELECT k.id, k.article_id, k.score + coalesce(o.score, 0) AS score, k.matched + coalesce(o.matched, 0) AS matched,
              CASE WHEN k.matched_last IS NULL AND o.matched_last IS NULL THEN NULL ELSE coalesce(k.matched_last, 0) + coalesce(o.matched_last, 0) END AS matched_last
       FROM candidates k
       CROSS JOIN LATERAL (
         SELECT sum(t.w * ts_rank('${RANK_WEIGHTS}'::float4[], c.tsv, q.q, 1)) AS score, sum(t.w) AS matched, sum(t.w) FILTER (WHERE t.weight >= 1) AS matched_last
         FROM chunks c CROSS JOIN terms t
         CROSS JOIN LATERAL (SELECT CASE c.ts_config WHEN 'french'::regconfig THEN t.q_fr WHEN 'english'::regconfig THEN t.q_en ELSE t.q_si END AS q) q
         WHERE c.id = k.id AND NOT t.selective AND c.tsv @@ q.q
       ) o
       WHERE k.matched > 0 OR o.matched > 0
     ),
     lexical AS MATERIALIZED (
       SELECT *, row_number() OVER (ORDER BY score DESC, article_id) AS rank
       FROM (SELECT DISTINCT ON (article_id) article_id, id AS chunk_id, score, matched, matched_last FROM chunk_scores ORDER BY article_id, score DESC, id) best
       ORDER BY score DESC, article_id LIMIT $5
     ),
     vector AS MATERIALIZED (
       SELECT *, row_number() OVER (ORDER BY sim DESC, article_id) AS rank
       FROM (SELECT DISTINCT ON (article_id) article_id, id AS chunk_id, sim FROM nearest ORDER BY article_id, sim DESC, id) best
     ),
     fused AS MATERIALIZED (
       SELECT coalesce(l.article_id, v.article_id) AS article_id,
              coalesce($8::float8 / (${RRF_K} + l.rank), 0) + coalesce($9::float8 / (${RRF_K} + v.rank), 0) AS fused,
              l.score AS lexical_score, l.rank AS lexical_rank, l.matched, l.matched_last, v.sim AS vector_sim, v.rank AS vector_rank,
              coalesce(l.chunk_id, v.chunk_id) AS chunk_id
       FROM lexical l FULL JOIN vector v ON v.article_id = l.article_id
     )
     SELECT f.article_id, a.external_id, a.title, a.url, a.collection_path, a.tags, a.language,
            f.fused::float8 AS fused, f.lexical_score::float8 AS lexical_score, f.lexical_rank::int AS lexical_rank,
            f.matched::float8 AS matched, (SELECT sum(w) FROM terms)::float8 AS total_mass,
            (SELECT known FROM vocabulary)::float8 AS known,
            f.matched_last::float8 AS matched_last, (SELECT sum(w) FILTER (WHERE weight >= 1) FROM terms)::float8 AS last_mass,
            f.vector_sim::float8 AS vector_sim, f.vector_rank::int AS vector_rank, c.heading_path, c.text
     -- Primary-key lookups for the few fused rows, whatever the statistics: planned generically with
     -- none on articles, a plain join scanned the fused rows once per article of the tenant.
     FROM fused f
     CROSS JOIN LATERAL (
       SELECT a.id, a.tenant_id, a.state, a.excluded_at, a.external_id, a.title, a.url, a.collection_path, a.tags, a.language
       FROM articles a WHERE a.id = f.article_id OFFSET 0
     ) a
     CROSS JOIN LATERAL (SELECT c.heading_path, c.text FROM chunks c WHERE c.id = f.chunk_id OFFSET 0) c
     WHERE a.tenant_id = $1 AND a.state = 'published' AND a.excluded_at IS NULL
     ORDER BY f.fused DESC, a.id
     LIMIT $7`,
    },
    [
      request.tenantId,
      request.terms.map((term) => term.term),
      request.terms.map((term) => term.weight),
      request.vector ? `[${request.vector.join(',')}]` : null,
      depth,
      VECTOR_CHUNKS,
      request.limit,
      request.lexicalWeight ?? 1,
      request.vectorWeight ?? 1,
      request.sourceIds?.length ? request.sourceIds : null,
      request.articleIds?.length ? request.articleIds : null,
    ],
  );
  return rows.map((row) => ({
    articleId: row.article_id,
    externalId: row.external_id,
    title: row.title,
    url: row.url,
    collectionPath: row.collection_path,
    tags: row.tags,
    language: row.language,
    fusedScore: row.fused,
    lexicalScore: row.lexical_score,
    lexicalRank: row.lexical_rank,
    coverage: row.matched && row.total_mass ? Math.min(1, row.matched / row.total_mass) : 0,
    lastMessageCoverage: row.matched_last && row.last_mass ? Math.min(1, row.matched_last / row.last_mass) : 0,
    lexicalStrength: row.lexical_score && row.total_mass ? row.lexical_score / row.total_mass : 0,
    vocabularyCoverage: row.known ?? 0,
    vectorSimilarity: row.vector_sim,
    vectorRank: row.vector_rank,
    passage: { headingPath: row.heading_path, text: row.text },
  }));
}
