import type { Config, Logger } from '@relai/config';
import type { Database } from '@relai/db';
import type { Embedder, SourceStore } from '@relai/ingest';
import type { JobQueue } from '@relai/queue';
import type { TokenIdentity } from '@relai/tenants';

/** What the HTTP layer needs from the process; built once by the CLI (apps/cli/src/runtime.ts). */
export interface AppDeps {
  config: Config;
  db: Database;
  queue: JobQueue;
  logger: Logger;
  embedder: Embedder;
  sources: SourceStore;
}

export interface AppEnv {
  Variables: {
    identity: TokenIdentity;
    requestId: string;
  };
}
