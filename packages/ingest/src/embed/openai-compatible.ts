import { OpenAIEmbeddings, type OpenAIClient } from '@langchain/openai';
import { z } from 'zod';

export interface OpenAICompatibleOptions {
  /** e.g. https://api.openai.com/v1, https://api.mistral.ai/v1, http://127.0.0.1:11434/v1 (Ollama). */
  baseURL: string;
  /** Sent as "Authorization: Bearer …". Local servers ignore it; an empty key is sent as "not-needed". */
  apiKey: string;
  model: string;
  /** Asks the model for shorter vectors (text-embedding-3 and some others); unset: the model's own size. */
  dimensions?: number;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Retries of rate limits (429), server errors (5xx), timeouts and network failures. Default 6. */
  maxRetries?: number;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
}

/** The endpoint answered, but not with usable embeddings. Not retried: the same request gets the same answer. */
export class EmbeddingEndpointError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddingEndpointError';
  }
}

/** Stored with every vector, so that changing model or size triggers re-embedding. */
export function openAICompatibleModelId(model: string, dimensions?: number): string {
  return `openai-compatible:${model}:${dimensions ?? 'native'}`;
}

/** LangChain's OpenAIEmbeddings for any server speaking POST /embeddings, with its answers checked. */
export function openAICompatibleEmbeddings(options: OpenAICompatibleOptions): OpenAICompatibleEmbeddings {
  return new OpenAICompatibleEmbeddings(options);
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative().optional(), embedding: z.array(z.number()) })),
  model: z.string().optional(),
  usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number() }).optional(),
});

type EmbeddingResponse = OpenAIClient.CreateEmbeddingResponse & { _request_id?: string | null };

export class OpenAICompatibleEmbeddings extends OpenAIEmbeddings {
  /** When set, every vector must have this length (the requested size, or the size found by a probe). */
  expectedDimensions: number | undefined;
  private readonly endpoint: string;

  constructor(options: OpenAICompatibleOptions) {
    const batchSize = options.batchSize ?? 64;
    if (!options.baseURL) throw new Error('an OpenAI-compatible embeddings endpoint needs a baseURL');
    if (!options.model) throw new Error('an OpenAI-compatible embeddings endpoint needs a model name');
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 2048) throw new RangeError(`batchSize must be 1-2048, got ${batchSize}`);
    if (options.dimensions !== undefined && !(Number.isInteger(options.dimensions) && options.dimensions > 0)) {
      throw new RangeError(`dimensions must be a positive integer, got ${options.dimensions}`);
    }
    super({
      model: options.model,
      apiKey: options.apiKey || 'not-needed',
      dimensions: options.dimensions,
      batchSize,
      maxRetries: options.maxRetries ?? 6,
      timeout: options.timeoutMs ?? 60_000,
      // The SDK otherwise asks for base64, which Ollama, TEI and older vLLM do not produce.
      encodingFormat: 'float',
      onFailedAttempt: retryOrThrow,
      configuration: { baseURL: options.baseURL },
    });
    this.expectedDimensions = options.dimensions;
    this.endpoint = `${options.baseURL} (model ${options.model})`;
  }

  protected override async embeddingWithRetry(request: OpenAIClient.EmbeddingCreateParams): Promise<EmbeddingResponse> {
    let body: unknown;
    try {
      body = await super.embeddingWithRetry(request);
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new EmbeddingEndpointError(`embeddings endpoint ${this.endpoint} answered with invalid JSON`, { cause: error });
      }
      throw error;
    }
    const inputs = Array.isArray(request.input) ? request.input.length : 1;
    return { ...this.check(body, inputs), object: 'list' };
  }

  /** Shape, count and size checks, and results put back in input order (the API gives an index per item). */
  private check(body: unknown, inputs: number): Omit<EmbeddingResponse, 'object'> {
    const fail = (problem: string) => new EmbeddingEndpointError(`embeddings endpoint ${this.endpoint} returned a malformed response: ${problem}`);
    const parsed = responseSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fail(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'unexpected shape'} (got ${preview(body)})`);
    }
    const { data } = parsed.data;
    if (data.length !== inputs) throw fail(`${data.length} embeddings for ${inputs} inputs`);
    const ordered = data.every((item) => item.index !== undefined) ? [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)) : data;
    if (ordered.some((item, i) => item.index !== undefined && item.index !== i)) throw fail('indexes do not match the inputs');
    const size = this.expectedDimensions ?? ordered[0]?.embedding.length ?? 0;
    const wrong = ordered.find((item) => item.embedding.length !== size || item.embedding.length === 0);
    if (wrong) throw fail(`a ${wrong.embedding.length}-dimensional vector where ${size} dimensions were expected`);
    return {
      data: ordered.map((item, index) => ({ object: 'embedding', index, embedding: item.embedding })),
      model: parsed.data.model ?? this.model,
      usage: parsed.data.usage ?? { prompt_tokens: 0, total_tokens: 0 },
    };
  }
}

/** Longest Retry-After we wait for; the backoff takes over beyond it. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Retries rate limits, server errors, timeouts and network failures; anything else fails at once.
 * LangChain's default gives up on a 429 without Retry-After header, which most providers send under load.
 */
function retryOrThrow(error: unknown): void {
  if (!(error instanceof Error)) return;
  if (error instanceof SyntaxError || error.name === 'AbortError') throw error;
  const failure = error as Error & { status?: unknown; code?: unknown; headers?: unknown; retryAfterMs?: number };
  if (typeof failure.status !== 'number') return;
  if (failure.status === 429 && failure.code !== 'insufficient_quota') {
    const wait = retryAfterMs(failure.headers);
    // p-retry waits at least this long before the next attempt.
    if (wait !== undefined && wait <= MAX_RETRY_AFTER_MS) failure.retryAfterMs = wait;
    return;
  }
  if (failure.status === 408 || failure.status >= 500) return;
  throw error;
}

function retryAfterMs(headers: unknown): number | undefined {
  if (!(headers instanceof Headers)) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function preview(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
