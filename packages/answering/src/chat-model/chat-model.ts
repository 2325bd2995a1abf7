import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { parseRetryAfterMs } from '@langchain/core/utils/async_caller';
import { ChatOpenAI, OpenAIClient } from '@langchain/openai';
import type { ConversationTurn } from '../types';
import { ChatModelError } from './chat-model-error';
import { checkCitations, parseGroundedAnswer, type GroundedAnswer, type GroundedAnswerRequest } from './grounded-answer';
import { buildAnswerPrompt, buildCondensePrompt, type ChatPrompt } from './prompt';

/** Writes replies from retrieved passages; every failure is a ChatModelError, on which the caller answers extractively. */
export interface ChatModel {
  /** Logged with each reply it writes. */
  readonly modelId: string;
  generateAnswer(request: GroundedAnswerRequest, options?: { signal?: AbortSignal }): Promise<GroundedAnswer>;
  /** The last customer message as a question that stands alone ("et ça coûte combien ?" → "Combien coûte la formule Pro ?"), for retrieval. */
  condenseQuestion(turns: ConversationTurn[], options?: { signal?: AbortSignal }): Promise<string>;
}

export interface ChatModelSettings {
  /** e.g. https://api.openai.com/v1, https://api.mistral.ai/v1, http://127.0.0.1:11434/v1 (Ollama). */
  baseURL: string;
  /** Sent as "Authorization: Bearer …"; an empty key is sent as "not-needed" (local servers ignore it). */
  apiKey: string;
  model: string;
  /** The longest a call takes, retries included: a customer is waiting. Default 20 s. */
  timeoutMs?: number;
  /** Retries of rate limits, server errors and dropped connections. Default 1. */
  maxRetries?: number;
}

export const DEFAULT_CHAT_TIMEOUT_MS = 20_000;
const MAX_CONDENSED_CHARS = 300;

export function createChatModel(settings: ChatModelSettings): ChatModel {
  if (!settings.baseURL) throw new Error('a chat model needs a baseURL');
  if (!settings.model) throw new Error('a chat model needs a model name');
  const timeoutMs = settings.timeoutMs ?? DEFAULT_CHAT_TIMEOUT_MS;
  const endpoint = `chat model ${settings.model} at ${settings.baseURL}`;
  const chat = new ChatOpenAI({
    model: settings.model,
    apiKey: settings.apiKey || 'not-needed',
    // Low: the wording may vary a little, the facts must come from the passages.
    temperature: acceptsTemperature(settings.model) ? 0.1 : undefined,
    maxRetries: settings.maxRetries ?? 1,
    onFailedAttempt: (error: unknown) => retryOrThrow(error, timeoutMs),
    configuration: { baseURL: settings.baseURL },
  });

  async function complete(prompt: ChatPrompt, format: 'json' | 'text', callerSignal: AbortSignal | undefined): Promise<string> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
    try {
      const reply = await rejectOnAbort(
        chat.invoke([new SystemMessage(prompt.system), new HumanMessage(prompt.user)], {
          signal,
          // JSON mode rather than json_schema: OpenAI, Mistral, Ollama and vLLM all accept it; the schema is checked here.
          ...(format === 'json' ? { response_format: { type: 'json_object' as const } } : {}),
        }),
        signal,
      );
      return reply.text;
    } catch (error) {
      // The caller gave up: not a model failure, nothing to fall back to.
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (deadline.aborted) throw new ChatModelError('timeout', `${endpoint} did not answer within ${timeoutMs} ms`, { cause: error });
      throw toChatModelError(error, endpoint);
    }
  }

  return {
    modelId: `openai-compatible:${settings.model}`,

    async generateAnswer(request, options) {
      const answer = parseGroundedAnswer(await complete(buildAnswerPrompt(request), 'json', options?.signal));
      return { ...answer, citedArticleIds: checkCitations(answer, request.passages) };
    },

    async condenseQuestion(turns, options) {
      const lastUserIndex = turns.findLastIndex((turn) => turn.role === 'user');
      // Nothing earlier to resolve the message with: it already is the question.
      if (lastUserIndex <= 0) return clip(turns[lastUserIndex]?.text ?? '');
      const content = await complete(buildCondensePrompt(turns.slice(0, lastUserIndex + 1)), 'text', options?.signal);
      const question = clip(unquote(content.split('\n').find((line) => line.trim()) ?? ''));
      if (!question) throw new ChatModelError('malformed_response', `${endpoint} returned an empty question`);
      return question;
    },
  };
}

/** OpenAI's reasoning models (o1, o3…, gpt-5 except gpt-5-chat) refuse any temperature but the default. */
function acceptsTemperature(model: string): boolean {
  return !(/^o\d/.test(model) || (model.startsWith('gpt-5') && !model.startsWith('gpt-5-chat')));
}

/** LangChain notices an abort only when its next attempt starts, not while it waits between attempts. */
function rejectOnAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Retries what a second attempt can fix (rate limits, server errors, dropped connections); anything
 * else fails at once. LangChain's default gives up on a 429 without Retry-After header.
 */
function retryOrThrow(error: unknown, timeoutMs: number): void {
  const failure = error as { status?: unknown; code?: unknown; headers?: unknown; retryAfterMs?: number };
  if (failure.status === 429 && failure.code !== 'insufficient_quota') {
    const wait = retryAfterMs(failure.headers);
    // Waiting past the time budget can only end in a timeout: report the rate limit now.
    if (wait !== undefined && wait >= timeoutMs) throw error;
    // p-retry waits at least this long before the next attempt.
    if (wait !== undefined) failure.retryAfterMs = wait;
    return;
  }
  if (typeof failure.status === 'number' && failure.status >= 500) return;
  if (error instanceof OpenAIClient.APIConnectionError) return;
  throw error;
}

function retryAfterMs(headers: unknown): number | undefined {
  if (!(headers instanceof Headers)) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  return Number.isFinite(ms) && ms >= 0 ? ms : parseRetryAfterMs(headers.get('retry-after'));
}

function toChatModelError(error: unknown, endpoint: string): ChatModelError {
  if (error instanceof ChatModelError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') {
    const code = status === 429 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'http_error';
    return new ChatModelError(code, `${endpoint} failed with HTTP ${status}: ${message}`, { cause: error, status });
  }
  if (error instanceof OpenAIClient.APIConnectionError) return new ChatModelError('unavailable', `${endpoint} could not be reached: ${message}`, { cause: error });
  // What remains failed on a 200: invalid JSON (a SyntaxError), or JSON without choices (LangChain's TypeError).
  return new ChatModelError('malformed_response', `${endpoint} did not answer with a chat completion: ${message}`, { cause: error });
}

function unquote(text: string): string {
  return text.trim().replace(/^["'«“]\s*(.*?)\s*["'»”]$/s, '$1');
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_CONDENSED_CHARS) return flat;
  const cut = flat.slice(0, MAX_CONDENSED_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return lastSpace > MAX_CONDENSED_CHARS / 2 ? cut.slice(0, lastSpace) : cut;
}
