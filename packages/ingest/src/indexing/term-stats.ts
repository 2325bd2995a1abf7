import type { Database } from '@relai/db';

/**
 * Recomputes a tenant's document frequencies (chunks containing each lexeme, per language config)
 * in one transaction, so that searches never see half a refresh. Run after sync runs that changed
 * something; single-article webhook changes leave them slightly stale until the next run.
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
