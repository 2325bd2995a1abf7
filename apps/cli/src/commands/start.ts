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
  const auth = `-H "Authorization: Bearer ${demo.agentToken}"`;
  const agentUrl = `${base}/v1/agents/${DEMO_AGENT_ID}`;
  process.stdout.write(
    [
      '',
      `Relai is running on ${base} (embedded database: ${runtime.config.database.kind === 'pglite' ? runtime.config.database.dataDir : 'Postgres'})`,
      '',
      `Demo agent "${DEMO_AGENT_ID}" token: ${demo.agentToken}`,
      `Demo admin token:         ${demo.adminToken}`,
      '',
      'Ask the demo agent (a conversation by your platform\'s id; the reply carries the action, citations and confidence):',
      `  curl -s ${auth} -H "Content-Type: application/json" -d '{"text":"Comment réinitialiser mon mot de passe ?"}' "${agentUrl}/conversations/demo-1/messages"`,
      '',
      'A follow-up that only makes sense with the history, then a request for a human:',
      `  curl -s ${auth} -H "Content-Type: application/json" -d '{"text":"Et le lien reste valable combien de temps ?"}' "${agentUrl}/conversations/demo-1/messages"`,
      `  curl -s ${auth} -H "Content-Type: application/json" -d '{"text":"Je voudrais parler à un conseiller"}' "${agentUrl}/conversations/demo-1/messages"`,
      '',
      `API reference: ${base}/docs`,
      '',
      'Sync runs of the sample source:',
      `  curl -s -H "Authorization: Bearer ${demo.adminToken}" "${base}/v1/sources/${source.id}/runs"`,
      '',
      `Stop with Ctrl+C. (listening at ${server.url})`,
      '',
    ].join('\n'),
  );
}
