import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import { AnswerEngine, createChatModel, parseAgentSettings } from '@relai/answering';
import { createLogger, loadConfig, SecretBox } from '@relai/config';
import { migrate, openDatabase, type Database } from '@relai/db';
import { createEmbedder, runSync, SourceStore } from '@relai/ingest';
import { createSource } from '@relai/sources';
import { createAgent, createTenant } from '@relai/tenants';
import { progressPrinter } from '../progress';
import { UsageError } from '../usage-error';

const conversationSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  turns: z.array(z.object({ role: z.enum(['user', 'agent']), text: z.string() })).min(1),
});

export interface EvalOptions {
  setDir: string;
  out: string;
  databaseUrl?: string;
  /** Also write each conversation's confidence features (for calibration). */
  featuresOut?: string;
}

/**
 * `npm run eval -- <set-dir> --out <results.jsonl>`: ingests `<set-dir>/articles.jsonl` through the
 * real sync pipeline into a fresh database, answers every conversation of
 * `<set-dir>/conversations.jsonl` through the API's answer engine with a default agent (history = all
 * turns before the last), and writes one result line per conversation. Never reads gold.jsonl.
 */
export async function evalCommand(options: EvalOptions): Promise<void> {
  const articlesFile = path.resolve(options.setDir, 'articles.jsonl');
  const conversationsFile = path.resolve(options.setDir, 'conversations.jsonl');
  for (const file of [articlesFile, conversationsFile]) {
    if (!fs.existsSync(file)) throw new UsageError(`<set-dir>: ${file} does not exist`);
  }
  const conversations = await readConversations(conversationsFile);
  const config = loadConfig();
  const logger = createLogger('warn');
  const scratch = options.databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'relai-eval-'));
  const db: Database = await openDatabase(options.databaseUrl ? { kind: 'postgres', url: options.databaseUrl } : { kind: 'pglite', dataDir: path.join(scratch!, 'data') }, logger);
  try {
    await migrate(db);
    const embedder = await createEmbedder(config.embeddings);
    const sources = new SourceStore(db, new SecretBox(config.secretKey ?? 'relai-eval-scratch-key-not-secret'));
    // A tenant of its own, so that a shared --database-url never mixes runs.
    const tenant = await createTenant(db, `eval ${path.basename(options.setDir)} ${new Date().toISOString()}`);
    await createAgent(db, { tenantId: tenant.id, id: `eval-${tenant.id.slice(0, 8)}`, name: 'eval' });
    const source = await sources.create(
      tenant.id,
      { name: 'eval articles', config: { kind: 'jsonl', path: articlesFile }, full_sync_cron: '0 3 * * 1', timezone: 'UTC', incremental_every_minutes: 0 },
      'eval-webhook-secret-unused',
    );
    const progress = progressPrinter('Ingesting articles');
    const syncDeps = {
      db,
      embedder,
      sources,
      logger,
      connect: () => createSource({ kind: 'jsonl' as const, path: articlesFile }, { onInvalid: (line: number, reason: string) => logger.warn('invalid article line', { line, reason }) }),
    };
    const summary = await runSync(syncDeps, source, 'full', {
      trigger: 'eval',
      onProgress: progress.update,
    });
    progress.done();
    if (summary.status === 'failed') throw new Error(`ingestion failed: ${summary.error}`);

    const out = fs.createWriteStream(options.out);
    const features = options.featuresOut ? fs.createWriteStream(options.featuresOut) : null;
    const engine = new AnswerEngine({ db, embedder, chatModel: config.chat ? createChatModel(config.chat) : null });
    const settings = parseAgentSettings({});
    const answering = progressBar('Answering conversations', conversations.length);
    for (const [index, conversation] of conversations.entries()) {
      const started = performance.now();
      const { reply, retrieval } = await engine.answerWithEvidence(
        { tenantId: tenant.id, settings, turns: conversation.turns, priorDecisions: [], user: {}, handedOver: false },
        { retrievalLimit: 10 },
      );
      const latency = performance.now() - started;
      const ranked = retrieval?.candidates ?? [];
      out.write(
        `${JSON.stringify({
          id: conversation.id,
          article_ids: ranked.map((candidate) => candidate.externalId),
          confidence: Number(reply.confidence.toFixed(4)),
          action: reply.action,
          latency_ms: Number(latency.toFixed(1)),
        })}\n`,
      );
      features?.write(`${JSON.stringify({ id: conversation.id, language: retrieval?.language, features: retrieval?.features ?? null, top: ranked[0]?.externalId ?? null })}\n`);
      answering(index + 1);
    }
    await Promise.all([closeStream(out), features ? closeStream(features) : Promise.resolve()]);
    process.stderr.write(`Wrote ${conversations.length} results to ${options.out}\n`);
  } finally {
    await db.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function readConversations(file: string) {
  const conversations: Array<z.infer<typeof conversationSchema>> = [];
  let lineNumber = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    let parsed;
    try {
      parsed = conversationSchema.safeParse(JSON.parse(line));
    } catch {
      throw new UsageError(`${file}:${lineNumber}: not JSON`);
    }
    if (!parsed.success) throw new UsageError(`${file}:${lineNumber}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    conversations.push(parsed.data);
  }
  return conversations;
}

function progressBar(label: string, total: number) {
  let lastPrinted = 0;
  return (done: number) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${label} ${done}/${total}${done === total ? '\n' : ''}`);
    else if (done === total || Date.now() - lastPrinted > 3_000) {
      lastPrinted = Date.now();
      process.stderr.write(`${label} ${done}/${total}\n`);
    }
  };
}

function closeStream(stream: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
