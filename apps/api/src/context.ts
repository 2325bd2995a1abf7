import type { AnswerEngine } from '@relai/answering';
import type { ChannelAdapter, ChannelStore } from '@relai/channels';
import type { Config, Logger } from '@relai/config';
import type { ConversationStore } from '@relai/conversations';
import type { Database } from '@relai/db';
import type { Embedder, SourceStore } from '@relai/ingest';
import type { JobQueue } from '@relai/queue';
import type { Agent, TokenIdentity } from '@relai/tenants';
import type { Metrics } from './observability/metrics';

/** What the HTTP layer needs from the process; built once by the CLI (apps/cli/src/runtime.ts). */
export interface AppDeps {
  config: Config;
  db: Database;
  queue: JobQueue;
  logger: Logger;
  embedder: Embedder;
  sources: SourceStore;
  metrics: Metrics;
  answers: AnswerEngine;
  conversations: ConversationStore;
  channels: { store: ChannelStore; adapters: ReadonlyMap<string, ChannelAdapter<any, any, any>> };
}

export interface AppEnv {
  Variables: {
    identity: TokenIdentity;
    /** Set by requireAgentAccess on /v1/agents/:agentId routes. */
    agent: Agent;
    requestId: string;
  };
}
