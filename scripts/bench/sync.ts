// npm run bench:sync — cold full sync, unchanged re-sync and webhook-to-searchable latency against a
// local fake Intercom of 2,000 generated articles, on the embedded default. Prints one JSON line last.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, createMetrics, startServer } from '@relai/api';
import { AnswerEngine } from '@relai/answering';
import { ChannelRateLimits, ChannelStore, channelAdapters } from '@relai/channels';
import { createLogger, loadConfig, SecretBox } from '@relai/config';
import { ConversationStore } from '@relai/conversations';
import { migrate, openDatabase } from '@relai/db';
import { createEmbedder, runSync, SourceStore, type SyncDeps } from '@relai/ingest';
import { InProcessQueue } from '@relai/queue';
import { createSource } from '@relai/sources';
import { FakeIntercomApi } from '@relai/sources/testing';
import { startWorkers } from '@relai/worker';
import { relaiSignature } from '../../apps/api/src/webhooks/signatures';
import { generatedArticle, generatedCollections } from './generated-help-center';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 2000);
const EDITS = Number(process.env.BENCH_EDITS ?? 50);
const say = (line: string) => process.stderr.write(`${line}\n`);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-bench-sync-'));
const logger = createLogger('warn');
const db = await openDatabase({ kind: 'pglite', dataDir: path.join(root, 'data') });
await migrate(db);
const intercom = await FakeIntercomApi.start({
  accessToken: 'bench',
  now: Date.now,
  helpCenters: [{ id: '1', displayName: 'Aide' }],
  collections: generatedCollections(),
  articles: Array.from({ length: ARTICLES }, (_, index) => generatedArticle(index)),
});
const embedder = await createEmbedder({ provider: 'local' });
const box = new SecretBox('bench'.repeat(10));
const sources = new SourceStore(db, box);
const deps: SyncDeps = { db, embedder, sources, logger, connect: (record) => createSource(record.config) };
const tenant = (await db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('bench') RETURNING id")).rows[0]!.id;
const WEBHOOK_SECRET = 'bench-webhook-secret-0000';
const source = await sources.create(
  tenant,
  { name: 'Intercom', config: { kind: 'intercom', accessToken: 'bench', baseUrl: intercom.baseUrl, perPage: 150 } as never, full_sync_cron: '0 3 * * 1', timezone: 'Europe/Paris', incremental_every_minutes: 0 },
  WEBHOOK_SECRET,
);

say(`cold full sync of ${ARTICLES} articles…`);
let started = performance.now();
const cold = await runSync(deps, source, 'full', { trigger: 'bench' });
const coldSeconds = (performance.now() - started) / 1000;
const chunks = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM chunks')).rows[0]!.n);
if (cold.status !== 'succeeded') throw new Error(`cold sync failed: ${cold.error}`);
say(`  ${cold.counts.created} articles, ${chunks} chunks in ${coldSeconds.toFixed(1)} s`);

say('re-sync with nothing changed…');
started = performance.now();
const resync = await runSync(deps, source, 'full', { trigger: 'bench' });
const resyncSeconds = (performance.now() - started) / 1000;
if (resync.counts.unchanged !== ARTICLES) throw new Error(`expected ${ARTICLES} unchanged, got ${JSON.stringify(resync.counts)}`);
say(`  ${resync.counts.unchanged} unchanged in ${resyncSeconds.toFixed(2)} s`);

say(`webhook-to-searchable latency over ${EDITS} edits…`);
const queue = new InProcessQueue(4);
const answers = new AnswerEngine({ db, embedder, chatModel: null });
const conversations = new ConversationStore(db);
const channels = new ChannelStore(db, box);
await startWorkers(queue, { sync: deps, channels: { db, channels, conversations, answers, adapters: channelAdapters, logger, rateLimits: new ChannelRateLimits() } }, logger);
const app = createApp({
  config: loadConfig({}),
  db,
  queue,
  logger,
  embedder,
  sources,
  metrics: createMetrics(),
  answers,
  conversations,
  channels: { store: channels, adapters: channelAdapters },
});
const server = await startServer(app, { host: '127.0.0.1', port: 0, publicUrl: '' });
const latencies: number[] = [];
for (let edit = 0; edit < EDITS; edit++) {
  const index = (edit * 37) % ARTICLES;
  const marker = `editmarker${edit}x`;
  const article = generatedArticle(index, edit + 1);
  article.body = `<p>Nouvelle consigne ${marker} pour les clients.</p>${article.body}`;
  intercom.data.articles[index] = article;
  const body = JSON.stringify({ event: 'article.changed', article_id: article.id });
  const sentAt = performance.now();
  const response = await fetch(`${server.url}/v1/webhooks/sources/${source.id}/articles`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Relai-Signature': relaiSignature(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), body) },
    body,
  });
  if (response.status !== 202) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  // Searchable = the new text is in a published article's chunks, where search reads it.
  for (;;) {
    const { rowCount } = await db.query(
      "SELECT 1 FROM chunks c JOIN articles a ON a.id = c.article_id WHERE a.state = 'published' AND a.tenant_id = $1 AND c.text LIKE $2 LIMIT 1",
      [tenant, `%${marker}%`],
    );
    if (rowCount) break;
    if (performance.now() - sentAt > 30_000) throw new Error(`edit ${edit} not searchable after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  latencies.push(performance.now() - sentAt);
}
await server.close();
await queue.close();
await intercom.close();
await db.close();
fs.rmSync(root, { recursive: true, force: true });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (value: number) => Math.round(value * 10) / 10;
console.log(
  JSON.stringify({
    articles: ARTICLES,
    chunks,
    cold_seconds: round(coldSeconds),
    cold_articles_per_s: round(ARTICLES / coldSeconds),
    cold_chunks_per_s: round(chunks / coldSeconds),
    resync_articles_per_s: round(ARTICLES / resyncSeconds),
    webhook_p50_ms: round(percentile(latencies, 50)),
    webhook_p95_ms: round(percentile(latencies, 95)),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
