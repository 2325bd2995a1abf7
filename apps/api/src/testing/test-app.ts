import { AnswerEngine, type ChatModel } from '@relai/answering';
import { ChannelStore, channelAdapters } from '@relai/channels';
import { createLogger, loadConfig, SecretBox } from '@relai/config';
import { ConversationStore } from '@relai/conversations';
import { openTestDatabase, type TestDatabase } from '@relai/db/testing';
import { createEmbedder, SourceStore } from '@relai/ingest';
import { InProcessQueue, type EnqueueOptions, type JobDefinition, type JobQueue } from '@relai/queue';
import { createAgent, createTenant, issueToken } from '@relai/tenants';
import { createApp, type App } from '../app';
import { createMetrics } from '../observability/metrics';
import type { AppDeps } from '../context';

export interface TestApp {
  app: App;
  deps: AppDeps;
  handle: TestDatabase;
  /** Every job the app enqueued, in order. */
  enqueued: Array<{ job: string; payload: unknown; options?: EnqueueOptions }>;
  tenantId: string;
  adminToken: string;
  agentToken: string;
  dispose(): Promise<void>;
}

/** The real app on a fresh embedded database, with a demo tenant, an agent "support" and tokens. */
export async function createTestApp(
  templateDir: string,
  queue: JobQueue = new InProcessQueue(),
  options: { chatModel?: ChatModel } = {},
): Promise<TestApp> {
  const handle = await openTestDatabase(templateDir);
  const enqueued: TestApp['enqueued'] = [];
  const recording: JobQueue = {
    backend: queue.backend,
    enqueue: async <P>(job: JobDefinition<P>, payload: P, options?: EnqueueOptions) => {
      const result = await queue.enqueue(job, payload, options);
      enqueued.push({ job: job.name, payload, options });
      return result;
    },
    schedule: (id, job, payload, when) => queue.schedule(id, job, payload, when),
    unschedule: (id) => queue.unschedule(id),
    process: (job, handler) => queue.process(job, handler),
    start: () => queue.start(),
    onEvent: (listener) => queue.onEvent(listener),
    ping: () => queue.ping(),
    close: (timeoutMs) => queue.close(timeoutMs),
  };
  const embedder = await createEmbedder({ provider: 'local' });
  const box = new SecretBox('s'.repeat(40));
  const deps: AppDeps = {
    config: loadConfig({ PUBLIC_URL: 'https://relai.example.com' }),
    db: handle.db,
    queue: recording,
    logger: createLogger('silent'),
    embedder,
    sources: new SourceStore(handle.db, box),
    metrics: createMetrics(),
    answers: new AnswerEngine({ db: handle.db, embedder, chatModel: options.chatModel ?? null }),
    conversations: new ConversationStore(handle.db),
    channels: { store: new ChannelStore(handle.db, box), adapters: channelAdapters },
  };
  const tenant = await createTenant(handle.db, 'Facturo');
  await createAgent(handle.db, { tenantId: tenant.id, id: 'support', name: 'Support' });
  const admin = await issueToken(handle.db, { tenantId: tenant.id });
  const agent = await issueToken(handle.db, { tenantId: tenant.id, agentId: 'support' });
  return {
    app: createApp(deps),
    deps,
    handle,
    enqueued,
    tenantId: tenant.id,
    adminToken: admin.token,
    agentToken: agent.token,
    dispose: async () => {
      await queue.close(1_000);
      await handle.dispose();
    },
  };
}
