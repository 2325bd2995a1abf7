import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { SourceAuthError, SourceHttpError, SourceResponseError } from './errors';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What a caller (or a test) may inject or tune; every field has a production default. */
export interface HttpPolicy {
  fetch?: typeof fetch;
  /** Injected by tests so retries and rate-limit waits take no real time. */
  sleep?: Sleep;
  /** Epoch milliseconds; used to turn Retry-After dates and reset times into waits. */
  now?: () => number;
  /** 0..1, for backoff jitter. */
  random?: () => number;
  /** Per attempt, headers and body included. */
  timeoutMs?: number;
  /** Attempts in total (first try included) for 5xx, network errors and timeouts. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest single wait for a rate limit; a longer Retry-After or reset is cut to this, then we retry. */
  maxRateLimitWaitMs?: number;
  /** 429s do not use up attempts, but are bounded too. */
  maxRateLimitWaits?: number;
  /** Shared by the requests of one client (or one channel): a rate limit one of them meets, all wait out. */
  rateLimitGate?: RateLimitGate;
  /** Turns a platform's error body into a short reason ("unauthorized: Access Token Invalid"). */
  describeErrorBody?: (body: string) => string | undefined;
}

const DEFAULTS = {
  timeoutMs: 30_000,
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRateLimitWaitMs: 60_000,
  maxRateLimitWaits: 20,
} as const;

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});

/** Intercom's reset header; read as epoch seconds (documented), or as seconds from now if too small to be a date. */
function rateLimitResetAt(headers: Headers, nowMs: number): number | null {
  const raw = headers.get('x-ratelimit-reset');
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) return null;
  return value < 1_000_000_000 ? nowMs + value * 1000 : value * 1000;
}

/** Retry-After is either delta seconds or an HTTP date. */
function retryAfterMs(headers: Headers, nowMs: number): number | null {
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * Remembers, across the requests that share it, that the current rate-limit window is used up
 * (X-RateLimit-Remaining: 0, or a 429) so the next request waits for the reset instead of earning a 429.
 */
export class RateLimitGate {
  private resumeAtMs = 0;

  /** A 429 told one request to wait: the others sharing the gate wait as long. */
  pauseUntil(resumeAtMs: number): void {
    this.resumeAtMs = Math.max(this.resumeAtMs, resumeAtMs);
  }

  observe(headers: Headers, nowMs: number): void {
    const remaining = headers.get('x-ratelimit-remaining');
    if (remaining === null || Number(remaining) > 0) return;
    const resetAt = rateLimitResetAt(headers, nowMs);
    if (resetAt !== null) this.pauseUntil(resetAt);
  }

  waitMs(nowMs: number): number {
    return Math.max(0, this.resumeAtMs - nowMs);
  }
}

export interface TextResponse {
  status: number;
  headers: Headers;
  /** Final URL, after redirects. */
  url: string;
  /** Null when `shouldReadBody` declined it (e.g. a PDF when crawling for HTML). */
  body: string | null;
}

function networkReason(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : error.message;
    return `network error: ${detail}`;
  }
  return `network error: ${String(error)}`;
}

/**
 * One HTTP exchange with retries: 5xx, 408, network errors and timeouts are retried with exponential
 * backoff and jitter; 429 waits for Retry-After or X-RateLimit-Reset, then resumes. Any other status is
 * returned as is, for the caller to judge.
 */
export async function requestText(
  url: string,
  init: RequestInit = {},
  policy: HttpPolicy = {},
  shouldReadBody: (response: Response) => boolean = () => true,
): Promise<TextResponse> {
  const fetchImpl = policy.fetch ?? fetch;
  const sleep = policy.sleep ?? defaultSleep;
  const now = policy.now ?? Date.now;
  const random = policy.random ?? Math.random;
  const timeoutMs = policy.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxAttempts = Math.max(1, policy.maxAttempts ?? DEFAULTS.maxAttempts);
  const baseDelayMs = policy.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const maxDelayMs = policy.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const maxRateLimitWaitMs = policy.maxRateLimitWaitMs ?? DEFAULTS.maxRateLimitWaitMs;
  const maxRateLimitWaits = policy.maxRateLimitWaits ?? DEFAULTS.maxRateLimitWaits;
  const method = init.method ?? 'GET';
  const callerSignal = init.signal ?? undefined;

  const backoffMs = (attempt: number): number => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + (random() * ceiling) / 2;
  };
  const describe = (body: string, fallback: string): string => policy.describeErrorBody?.(body) ?? fallback;

  // 429s are counted apart: waiting out a rate limit is the normal way through a big sync, not a failure.
  let failedAttempts = 0;
  let rateLimitWaits = 0;
  while (true) {
    const gateWait = policy.rateLimitGate?.waitMs(now()) ?? 0;
    if (gateWait > 0) await sleep(Math.min(gateWait, maxRateLimitWaitMs), callerSignal);

    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeoutSignal]) : timeoutSignal;
    let response: Response;
    let body: string | null;
    try {
      response = await fetchImpl(url, { ...init, signal });
      // The body is read inside the attempt so that a stalled body times out and is retried too.
      if (shouldReadBody(response)) {
        body = await response.text();
      } else {
        await response.body?.cancel();
        body = null;
      }
    } catch (error) {
      if (callerSignal?.aborted) throw error;
      const reason = timeoutSignal.aborted ? `timed out after ${timeoutMs} ms` : networkReason(error);
      failedAttempts += 1;
      if (failedAttempts >= maxAttempts) {
        throw new SourceHttpError({ status: null, url, method, retryable: true, reason, attempts: failedAttempts });
      }
      await sleep(backoffMs(failedAttempts), callerSignal);
      continue;
    }

    policy.rateLimitGate?.observe(response.headers, now());

    if (response.status === 429) {
      rateLimitWaits += 1;
      if (rateLimitWaits > maxRateLimitWaits) {
        throw new SourceHttpError({
          status: 429,
          url,
          method,
          retryable: true,
          reason: describe(body ?? '', `still rate limited after ${maxRateLimitWaits} waits`),
          body: body ?? '',
          attempts: rateLimitWaits,
        });
      }
      const resetAt = rateLimitResetAt(response.headers, now());
      const wait =
        retryAfterMs(response.headers, now()) ?? (resetAt === null ? null : Math.max(0, resetAt - now())) ?? backoffMs(rateLimitWaits);
      policy.rateLimitGate?.pauseUntil(now() + Math.min(wait, maxRateLimitWaitMs));
      await sleep(Math.min(wait, maxRateLimitWaitMs), callerSignal);
      continue;
    }

    if (response.status >= 500 || response.status === 408) {
      failedAttempts += 1;
      if (failedAttempts >= maxAttempts) {
        throw new SourceHttpError({
          status: response.status,
          url,
          method,
          retryable: true,
          reason: describe(body ?? '', `server error ${response.status}`),
          body: body ?? '',
          attempts: failedAttempts,
        });
      }
      const hinted = retryAfterMs(response.headers, now());
      await sleep(hinted === null ? backoffMs(failedAttempts) : Math.min(hinted, maxRateLimitWaitMs), callerSignal);
      continue;
    }

    return { status: response.status, headers: response.headers, url: response.url || url, body };
  }
}

export interface JsonResponse {
  data: unknown;
  headers: Headers;
  status: number;
}

/**
 * GET/POST a JSON API with the retry policy of `requestText`. Throws SourceAuthError on 401/403,
 * SourceHttpError on any other non-2xx (a 404 included: callers that expect it catch it), and
 * SourceResponseError when a 2xx body is not JSON.
 */
export async function requestJson(url: string, init: RequestInit = {}, policy: HttpPolicy = {}): Promise<JsonResponse> {
  const method = init.method ?? 'GET';
  const response = await requestText(url, init, policy);
  const body = response.body ?? '';
  if (response.status === 401 || response.status === 403) {
    const fallback = response.status === 401 ? 'unauthorized: check the credentials' : 'forbidden: the credentials lack a permission';
    throw new SourceAuthError({
      status: response.status,
      url,
      method,
      retryable: false,
      reason: policy.describeErrorBody?.(body) ?? fallback,
      body,
    });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new SourceHttpError({
      status: response.status,
      url,
      method,
      retryable: false,
      reason: policy.describeErrorBody?.(body) ?? `unexpected status ${response.status}`,
      body,
    });
  }
  try {
    return { data: JSON.parse(body) as unknown, headers: response.headers, status: response.status };
  } catch (error) {
    throw new SourceResponseError({
      status: response.status,
      url,
      method,
      retryable: false,
      reason: `malformed JSON body: ${error instanceof Error ? error.message : String(error)}`,
      body,
    });
  }
}

/** Validates a decoded body against the documented shape; a mismatch is a SourceResponseError. */
export function expectShape<Schema extends z.ZodType>(schema: Schema, data: unknown, url: string, status = 200): z.output<Schema> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new SourceResponseError({
    status,
    url,
    retryable: false,
    reason: `unexpected response shape: ${issues}`,
    body: JSON.stringify(data) ?? '',
  });
}
