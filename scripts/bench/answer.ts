// npm run bench:answer — latency of retrieval + confidence (no model endpoint) with 25,000 chunks in
// the embedded database, over 500 conversations of 0-6 turns of history. Prints one JSON line last.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, SecretBox } from '@relai/config';
import { migrate, openDatabase } from '@relai/db';
import { createEmbedder, runSync, SourceStore } from '@relai/ingest';
import { retrieve, type ConversationTurn } from '@relai/retrieval';
import type { ArticleSource, SourceArticle } from '@relai/sources';
import { generatedArticle, generatedCollections } from './generated-help-center';

const TARGET_CHUNKS = Number(process.env.BENCH_CHUNKS ?? 25_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const say = (line: string) => process.stderr.write(`${line}\n`);

const root = process.env.BENCH_KEEP_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'relai-bench-answer-'));
const db = await openDatabase({ kind: 'pglite', dataDir: path.join(root, 'data') });
await migrate(db);
const embedder = await createEmbedder({ provider: 'local' });
const sources = new SourceStore(db, new SecretBox('bench'.repeat(10)));
// BENCH_KEEP_DIR keeps the database, and a later run with the same directory reuses it (iterating on search).
const kept = (await db.query<{ id: string }>("SELECT id FROM tenants WHERE name = 'bench'")).rows[0]?.id;
const tenant = kept ?? (await db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('bench') RETURNING id")).rows[0]!.id;

// About 7.75 chunks per generated article (measured): the printed count is the real one.
const collections = new Map(generatedCollections().map((collection) => [Number(collection.id), collection.name]));
const toSource = (index: number): SourceArticle => {
  const article = generatedArticle(index);
  return {
    externalId: article.id,
    title: article.title,
    url: null,
    collectionPath: [collections.get(article.parentIds[0]!) ?? ''],
    locale: article.locale ?? null,
    state: 'published',
    html: article.body,
    updatedAt: null,
  };
};
const articleCount = Math.ceil(TARGET_CHUNKS / 7.75);
const connector: ArticleSource = {
  kind: 'jsonl',
  listAll: () => ({
    articles: (async function* () {
      for (let index = 0; index < articleCount; index++) yield toSource(index);
    })(),
    cursor: () => ({}),
  }),
  listChanged: () => connector.listAll(),
  fetchOne: async () => null,
};
let started = performance.now();
if (!kept) {
  say(`indexing ${articleCount} generated articles…`);
  const source = await sources.create(tenant, { name: 'bench', config: { kind: 'jsonl', path: '/dev/null' }, full_sync_cron: '0 3 * * 1', timezone: 'UTC', incremental_every_minutes: 0 }, 'bench-secret-0000000');
  const summary = await runSync({ db, embedder, sources, logger: createLogger('warn'), connect: () => connector }, source, 'full', { trigger: 'bench' });
  if (summary.status !== 'succeeded') throw new Error(summary.error ?? 'sync failed');
}
const chunks = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM chunks')).rows[0]!.n);
if (!kept) say(`  ${chunks} chunks in ${((performance.now() - started) / 1000).toFixed(0)} s (HNSW index included)`);

// Conversations: a question built from an article's sentences, with 0-6 earlier turns.
let seed = 7;
const next = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const sentencesOf = (index: number) =>
  generatedArticle(index).body.replace(/<[^>]+>/g, ' ').split(/(?<=\.)\s+/).map((sentence) => sentence.trim()).filter((sentence) => sentence.length > 20);
const conversations: ConversationTurn[][] = Array.from({ length: QUERIES }, () => {
  const pool = sentencesOf(Math.floor(next() * articleCount));
  const pick = () => pool[Math.floor(next() * pool.length)]!.split(' ').slice(0, 4 + Math.floor(next() * 8)).join(' ');
  const history = Math.floor(next() * 7);
  const turns: ConversationTurn[] = [];
  for (let turn = 0; turn < history; turn++) turns.push({ role: turn % 2 ? 'agent' : 'user', text: turn % 2 ? `${pick()} ?` : pick() });
  turns.push({ role: 'user', text: next() < 0.2 ? 'Oui' : `${pick()} ?` });
  return turns;
});

for (const turns of conversations.slice(0, 20)) await retrieve(db, embedder, { tenantId: tenant, turns }); // warm-up
const latencies: number[] = [];
// Diagnostic: this process's CPU time per conversation (PGlite runs in it), steadier than wall time on a busy machine.
const cpuTimes: number[] = [];
started = performance.now();
for (const turns of conversations) {
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  await retrieve(db, embedder, { tenantId: tenant, turns });
  latencies.push(performance.now() - began);
  const cpu = process.cpuUsage(cpuBefore);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
}
await db.close();
if (!process.env.BENCH_KEEP_DIR) fs.rmSync(root, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const percentile = (values: number[], p: number) => Math.round(values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]! * 10) / 10;
const at = (p: number) => percentile(latencies, p);
console.log(
  JSON.stringify({
    chunks,
    queries: QUERIES,
    p50_ms: at(0.5),
    p95_ms: at(0.95),
    max_ms: at(1),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    cpu_p50_ms: percentile(cpuTimes, 0.5),
    cpu_p95_ms: percentile(cpuTimes, 0.95),
  }),
);
