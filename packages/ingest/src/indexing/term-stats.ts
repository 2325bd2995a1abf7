import type { Database, Queryable } from '@relai/db';

/**
 * Recomputes a tenant's document frequencies (chunks containing each lexeme, per language config)
 * in one transaction, so that searches never see half a refresh. Run after sync runs that changed
 * something; single-article changes adjust them instead (adjustTermStats).
 */
export async function refreshTermStats(db: Database, tenantId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error(`invalid tenant id ${tenantId}`);
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM term_stats WHERE tenant_id = $1', [tenantId]);
    const { rows } = await tx.query<{ ts_config: string }>('SELECT DISTINCT ts_config::text FROM chunks WHERE tenant_id = $1', [tenantId]);
    for (const { ts_config: config } of rows) {
      // ts_stat takes the query as text: the tenant id is validated above and the config comes from the catalog.
      const inner = `SELECT tsv FROM chunks WHERE tenant_id = '${tenantId}' AND ts_config = '${config.replace(/'/g, "''")}'::regconfig`;
      await tx.query(
        `INSERT INTO term_stats (tenant_id, ts_config, lexeme, df)
         SELECT $1, $2::regconfig, word, ndoc FROM ts_stat($3)`,
        [tenantId, config, inner],
      );
    }
    await tx.query(
      `INSERT INTO corpus_stats (tenant_id, chunks, refreshed_at) VALUES ($1, (SELECT count(*) FROM chunks WHERE tenant_id = $1), now())
       ON CONFLICT (tenant_id) DO UPDATE SET chunks = EXCLUDED.chunks, refreshed_at = now()`,
      [tenantId],
    );
  });
}

/**
 * Counts one article's chunks into (+1) or out of (-1) its tenant's statistics, in the caller's
 * transaction: a webhook's new article gets real document frequencies at once, and a deleted one stops
 * counting. Call with -1 before deleting the chunks and +1 after inserting them. A lexeme falling to 0
 * stays as a 0 row, which searches treat like an unknown one; the next full refresh drops it.
 */
export async function adjustTermStats(tx: Queryable, tenantId: string, articleId: string, sign: 1 | -1): Promise<void> {
  const counted = `SELECT c.ts_config, lexeme, count(*)::int AS n
                   FROM chunks c CROSS JOIN LATERAL unnest(tsvector_to_array(c.tsv)) AS lexeme
                   WHERE c.article_id = $2 AND c.tenant_id = $1 GROUP BY 1, 2`;
  if (sign === 1) {
    await tx.query(
      `INSERT INTO term_stats (tenant_id, ts_config, lexeme, df) SELECT $1, ts_config, lexeme, n FROM (${counted}) counted
       ON CONFLICT (tenant_id, ts_config, lexeme) DO UPDATE SET df = term_stats.df + EXCLUDED.df`,
      [tenantId, articleId],
    );
  } else {
    await tx.query(
      `UPDATE term_stats s SET df = greatest(s.df - counted.n, 0) FROM (${counted}) counted
       WHERE s.tenant_id = $1 AND s.ts_config = counted.ts_config AND s.lexeme = counted.lexeme`,
      [tenantId, articleId],
    );
  }
  await tx.query(
    'UPDATE corpus_stats SET chunks = greatest(chunks + $3 * (SELECT count(*) FROM chunks WHERE tenant_id = $1 AND article_id = $2), 0) WHERE tenant_id = $1',
    [tenantId, articleId, sign],
  );
}
