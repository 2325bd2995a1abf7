import { runSync } from '@relai/ingest';
import { DEMO_AGENT_ID, ensureDemoTenant, ensureSampleSource } from '../demo';
import { progressPrinter } from '../progress';
import type { Runtime } from '../runtime';
import { serve } from './serve';

/**
 * `npm start`: the whole product on the embedded default. Demo tenant and agent, the sample help
 * center synced (unchanged articles are skipped on later starts), the API serving, and a request to try.
 */
export async function start(runtime: Runtime): Promise<void> {
  const demo = await ensureDemoTenant(runtime.db, runtime.config);
  const source = await ensureSampleSource(runtime.sources, demo.tenantId);
  const progress = progressPrinter('Syncing the sample help center');
  const summary = await runSync(runtime.syncDeps, source, 'full', {
    trigger: 'start',
    onProgress: progress.update,
  });
  progress.done();
  if (summary.status === 'failed') throw new Error(`The sample help center did not sync: ${summary.error}`);

  const server = await serve(runtime);
  const base = runtime.config.http.publicUrl;
  const query = encodeURIComponent('Comment obtenir un remboursement ?');
  process.stdout.write(
    [
      '',
      `Relai is running on ${base} (embedded database: ${runtime.config.database.kind === 'pglite' ? runtime.config.database.dataDir : 'Postgres'})`,
      '',
      `Demo agent "${DEMO_AGENT_ID}" token: ${demo.agentToken}`,
      `Demo admin token:         ${demo.adminToken}`,
      '',
      'Try it:',
      `  curl -s -H "Authorization: Bearer ${demo.agentToken}" "${base}/v1/agents/${DEMO_AGENT_ID}/search?q=${query}"`,
      '',
      'Sync runs of the sample source:',
      `  curl -s -H "Authorization: Bearer ${demo.adminToken}" "${base}/v1/sources/${source.id}/runs"`,
      '',
      `Stop with Ctrl+C. (listening at ${server.url})`,
      '',
    ].join('\n'),
  );
}
