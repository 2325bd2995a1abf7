import { createApp, createMetrics, startServer, type App, type RunningServer } from '@relai/api';
import { channelAdapters } from '@relai/channels';
import { startWorkers } from '@relai/worker';
import { closeOnSignals, type Runtime } from '../runtime';

/**
 * Serves the API. With the in-process queue (no REDIS_URL) the jobs run here too: there is no other
 * process to run them, and the embedded database can only be opened by one process anyway.
 */
export async function serve(runtime: Runtime): Promise<RunningServer> {
  const { config, logger, queue } = runtime;
  if (queue.backend === 'in-process') await startWorkers(queue, runtime.workerDeps, logger);
  const server = await startServer(runtimeApp(runtime), config.http);
  closeOnSignals(async () => {
    await server.close();
    await runtime.close();
  }, logger);
  logger.info('API listening', { url: server.url, queue: queue.backend, database: runtime.db.kind });
  return server;
}

export async function worker(runtime: Runtime): Promise<void> {
  if (runtime.queue.backend !== 'bullmq') {
    throw new Error('`relai worker` needs REDIS_URL: without Redis, jobs run inside `relai serve`.');
  }
  await startWorkers(runtime.queue, runtime.workerDeps, runtime.logger);
  closeOnSignals(() => runtime.close(), runtime.logger);
}

/** The HTTP app over the runtime's services. */
export function runtimeApp(runtime: Runtime): App {
  return createApp({
    config: runtime.config,
    db: runtime.db,
    queue: runtime.queue,
    logger: runtime.logger,
    embedder: runtime.embedder,
    sources: runtime.sources,
    metrics: createMetrics(),
    answers: runtime.answers,
    conversations: runtime.conversations,
    channels: { store: runtime.channels, adapters: channelAdapters },
  });
}
