// Dev tool for ablations: runs retrieval over a dev set and scores it in-process.
//   npx tsx scripts/eval/experiment.ts <set> [lexical=off|vector=off|history=last|history=flat|vectorWeight=0.5]
// The set is ingested once into /tmp/evdb/<set> (reused afterwards: delete it after pipeline changes).
// Reads gold.jsonl, for analysis only (the eval command never does); writes /tmp/ev/<set>.experiment.jsonl
// with each conversation's ranking, confidence and features, to study new features before adding them.
import fs from 'node:fs';
import { createLogger, SecretBox } from '../../packages/config/src/index';
import { migrate, openDatabase } from '../../packages/db/src/index';
import { createEmbedder, runSync, SourceStore } from '../../packages/ingest/src/index';
import { retrieve } from '../../packages/retrieval/src/index';
import { createSource } from '../../packages/sources/src/index';

const [set, ...variant] = process.argv.slice(2);
const dir = `/work/shared/eval/${set}`;
const read = (file: string) => fs.readFileSync(`${dir}/${file}`, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const conversations = read('conversations.jsonl');
const gold = new Map(read('gold.jsonl').map((row: any) => [row.id, row]));
const dataDir = `/tmp/evdb/${set}`;
const fresh = !fs.existsSync(dataDir);
const db = await openDatabase({ kind: 'pglite', dataDir });
await migrate(db);
const embedder = await createEmbedder({ provider: 'local' });
if (fresh) {
  const sources = new SourceStore(db, new SecretBox('experiment'.repeat(4)));
  const tenant = (await db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('experiment') RETURNING id")).rows[0]!.id;
  const config = { kind: 'jsonl' as const, path: `${dir}/articles.jsonl` };
  const source = await sources.create(tenant, { name: 'dev set', config, full_sync_cron: '0 3 * * 1', timezone: 'UTC', incremental_every_minutes: 0 }, 'experiment-secret-000');
  await runSync({ db, embedder, sources, logger: createLogger('warn'), connect: () => createSource(config) }, source, 'full', { trigger: 'experiment' });
}
fs.mkdirSync('/tmp/ev', { recursive: true });
const tenantId = (await db.query<{ id: string }>('select id from tenants limit 1')).rows[0]!.id;
let r1 = 0, r5 = 0, r10 = 0, mrr = 0, n = 0;
const latencies: number[] = [];
const out: string[] = [];
for (const conversation of conversations) {
  const g = gold.get(conversation.id);
  const started = performance.now();
  const result = await retrieve(db, embedder, { tenantId, turns: conversation.turns, limit: 10, options: Object.fromEntries(variant.map((v) => v.split('='))) as never });
  latencies.push(performance.now() - started);
  out.push(JSON.stringify({ id: conversation.id, kind: g.kind, gold: g.gold_article_ids, ids: result.candidates.map((c) => c.externalId), confidence: result.confidence, features: result.features }));
  if (!g.answerable) continue;
  n++;
  const rank = result.candidates.findIndex((c) => g.gold_article_ids.includes(c.externalId));
  if (rank === 0) r1++;
  if (rank >= 0 && rank < 5) r5++;
  if (rank >= 0 && rank < 10) { r10++; mrr += 1 / (rank + 1); }
}
latencies.sort((a, b) => a - b);
fs.writeFileSync(`/tmp/ev/${set}.experiment.jsonl`, out.join('\n') + '\n');
console.log(JSON.stringify({ set, variant: variant.join(' '), r1: +(r1 / n).toFixed(3), r5: +(r5 / n).toFixed(3), r10: +(r10 / n).toFixed(3), mrr: +(mrr / n).toFixed(3), p50: +latencies[Math.floor(n / 2)]!.toFixed(1), p95: +latencies[Math.floor(latencies.length * 0.95)]!.toFixed(1) }));
await db.close();
