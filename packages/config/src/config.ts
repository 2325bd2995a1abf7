import path from 'node:path';
import { z } from 'zod';

/**
 * The whole process environment, parsed once at start-up. Every other package receives the parsed
 * `Config`, never `process.env`, so a wrong value fails here with the variable's name.
 */
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`)
    .optional();

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Real Postgres with pgvector. Unset: the embedded PGlite database in RELAI_DATA_DIR. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, optionalUrl(['postgres:', 'postgresql:'])),
  /** BullMQ on Redis. Unset: jobs run in-process. */
  REDIS_URL: z.preprocess(emptyAsUndefined, optionalUrl(['redis:', 'rediss:'])),
  RELAI_DATA_DIR: z.string().trim().min(1).default('./.relai/data'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /** Public base URL used in printed examples and webhook URLs. */
  PUBLIC_URL: z.preprocess(emptyAsUndefined, optionalUrl(['http:', 'https:'])),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Key for secrets stored at rest (source credentials, channel secrets): 32+ characters. */
  RELAI_SECRET_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'expected at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  ),
  /** OpenAI-compatible endpoint for embeddings (and later chat). Unset: offline local embedder. */
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai-compatible']).default('local'),
  EMBEDDINGS_BASE_URL: z.preprocess(emptyAsUndefined, optionalUrl(['http:', 'https:'])),
  EMBEDDINGS_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  EMBEDDINGS_MODEL: z.preprocess(emptyAsUndefined, z.string().optional()),
  EMBEDDINGS_DIMENSIONS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(8).max(4096).optional()),
  EMBEDDINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  CHAT_BASE_URL: z.preprocess(emptyAsUndefined, optionalUrl(['http:', 'https:'])),
  CHAT_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  CHAT_MODEL: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** The longest a customer waits for the chat model, retries included; past it the reply is extractive. */
  CHAT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).max(120_000).default(20_000)),
  /** How many jobs a worker runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** When set, GET /metrics requires it as a bearer token; unset, metrics are open to whoever reaches the port. */
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'expected at least 16 characters (e.g. `openssl rand -hex 16`)').optional(),
  ),
});

export type Env = z.infer<typeof envSchema>;

export type EmbeddingsSettings =
  | { provider: 'local'; dimensions?: number }
  | {
      provider: 'openai-compatible';
      baseURL: string;
      apiKey: string;
      model: string;
      dimensions?: number;
      batchSize?: number;
      maxRetries?: number;
      timeoutMs?: number;
    };

export interface Config {
  env: Env['NODE_ENV'];
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  redisUrl: string | null;
  http: { host: string; port: number; publicUrl: string };
  logLevel: Env['LOG_LEVEL'];
  secretKey: string | null;
  embeddings: EmbeddingsSettings;
  chat: { baseURL: string; apiKey: string; model: string; timeoutMs: number } | null;
  workerConcurrency: number;
  metricsToken: string | null;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming every wrong variable and what it expects. */
export function loadConfig(source: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const got = source[name];
        return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];

  let embeddings: EmbeddingsSettings = { provider: 'local', dimensions: env.EMBEDDINGS_DIMENSIONS };
  if (env.EMBEDDINGS_PROVIDER === 'openai-compatible') {
    if (!env.EMBEDDINGS_BASE_URL) problems.push('EMBEDDINGS_BASE_URL: required when EMBEDDINGS_PROVIDER=openai-compatible');
    if (!env.EMBEDDINGS_MODEL) problems.push('EMBEDDINGS_MODEL: required when EMBEDDINGS_PROVIDER=openai-compatible');
    embeddings = {
      provider: 'openai-compatible',
      baseURL: env.EMBEDDINGS_BASE_URL ?? '',
      // Local servers (Ollama, vLLM, TEI) accept any key; the client library insists on one.
      apiKey: env.EMBEDDINGS_API_KEY ?? 'not-needed',
      model: env.EMBEDDINGS_MODEL ?? '',
      dimensions: env.EMBEDDINGS_DIMENSIONS,
      batchSize: env.EMBEDDINGS_BATCH_SIZE,
    };
  }

  const chatVars = [env.CHAT_BASE_URL, env.CHAT_MODEL];
  if (chatVars.some(Boolean) && !chatVars.every(Boolean)) {
    problems.push('CHAT_BASE_URL and CHAT_MODEL: set both to use a chat model, or neither');
  }
  if (env.NODE_ENV === 'production' && !env.RELAI_SECRET_KEY) {
    problems.push('RELAI_SECRET_KEY: required in production (encrypts stored credentials)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: env.NODE_ENV,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.resolve(cwd, env.RELAI_DATA_DIR) },
    redisUrl: env.REDIS_URL ?? null,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    },
    logLevel: env.LOG_LEVEL,
    secretKey: env.RELAI_SECRET_KEY ?? null,
    embeddings,
    chat:
      env.CHAT_BASE_URL && env.CHAT_MODEL
        ? { baseURL: env.CHAT_BASE_URL, apiKey: env.CHAT_API_KEY ?? 'not-needed', model: env.CHAT_MODEL, timeoutMs: env.CHAT_TIMEOUT_MS }
        : null,
    workerConcurrency: env.WORKER_CONCURRENCY,
    metricsToken: env.METRICS_TOKEN ?? null,
  };
}
