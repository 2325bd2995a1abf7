import path from 'node:path';
import { AnswerEngine, createChatModel } from '@relai/answering';
import { createLogger, createSecretBox, type Config, type Logger } from '@relai/config';
import { ChannelRateLimits, ChannelStore, channelAdapters } from '@relai/channels';
import { ConversationStore } from '@relai/conversations';
import { migrate, openDatabase, type Database } from '@relai/db';
import { createEmbedder, SourceStore, type Embedder, type SyncDeps } from '@relai/ingest';
import { createQueue, type JobQueue } from '@relai/queue';
import { createSource } from '@relai/sources';
import type { WorkerDeps } from '@relai/worker';

/** Everything a Relai process needs, built once from the parsed configuration (the composition root). */
export interface Runtime {
  config: Config;
  logger: Logger;
  db: Database;
  queue: JobQueue;
  embedder: Embedder;
  sources: SourceStore;
  syncDeps: SyncDeps;
  answers: AnswerEngine;
  conversations: ConversationStore;
  channels: ChannelStore;
  /** What the job handlers need (apps/worker). */
  workerDeps: WorkerDeps;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, logger = createLogger(config.logLevel), options: { queuePrefix?: string } = {}): Promise<Runtime> {
  const db = await openDatabase(config.database, logger);
  try {
    await migrate(db, { logger });
    const embedder = await createEmbedder(config.embeddings);
    const box = createSecretBox(config, path.resolve('.relai'));
    const sources = new SourceStore(db, box);
    const queue = createQueue(config, { prefix: options.queuePrefix });
    const syncDeps: SyncDeps = { db, embedder, sources, logger, connect: (source, hooks) =>
        createSource(source.config, {
          onInvalid: (line, reason, externalId) => hooks?.onUnreadableArticle(externalId, `line ${line}: ${reason}`),
        }),
    };
    const chatModel = config.chat ? createChatModel(config.chat) : null;
    const answers = new AnswerEngine({
      db,
      embedder,
      chatModel,
      onChatModelError: (error) => logger.warn('chat model failed: answering extractively', { code: error.code, error: error.message }),
    });
    const conversations = new ConversationStore(db);
    const channels = new ChannelStore(db, box);
    let closing: Promise<void> | null = null;
    return {
      config,
      logger,
      db,
      queue,
      embedder,
      sources,
      syncDeps,
      answers,
      conversations,
      channels,
      workerDeps: {
        sync: syncDeps,
        channels: { db, channels, conversations, answers, adapters: channelAdapters, logger, rateLimits: new ChannelRateLimits() },
      },
      close: () =>
        (closing ??= (async () => {
          await queue.close();
          await db.close();
        })()),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** SIGINT/SIGTERM: stop taking work, finish what runs, close the database (and its lock). */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    close().then(
      () => process.exit(0),
      (error) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
