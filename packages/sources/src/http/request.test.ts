import { vi, afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { FakeHttpServer, serverError } from '../testing/fake-http-server';
import { SourceAuthError, SourceHttpError, SourceResponseError, redactUrl } from './errors';
import { RateLimitGate, requestJson } from './request';

let server: FakeHttpServer;

async function startServer(): Promise<FakeHttpServer> {
  server = await FakeHttpServer.start(() => ({ json: { ok: true } }));
  return server;
}

describe('requestJson', () => {
  afterEach(async () => {
    await server.close();
  });

  it('returns the decoded body', async () => {
    await startServer();
    const response = await requestJson(`${server.baseUrl}/thing`);
    expect(response.data).toEqual({ ok: true });
    expect(response.status).toBe(200);
  });

  it('retries a 5xx with growing backoff and returns once the server recovers', async () => {
    await startServer();
    server.inject(() => true, { kind: 'respond', response: { status: 502, text: 'bad gateway' } }, 2);
    const clock = createFakeClock();
    const response = await requestJson(`${server.baseUrl}/thing`, {}, { ...clock, random: () => 1, baseDelayMs: 100 });
    expect(response.data).toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it('gives up after maxAttempts with a retryable SourceHttpError that says why', async () => {
    await startServer();
    server.inject(() => true, { kind: 'respond', response: { status: 503, json: { error: 'down for maintenance' } } }, Infinity);
    const clock = createFakeClock();
    const failure = requestJson(`${server.baseUrl}/thing`, {}, { ...clock, maxAttempts: 5 });
    await expect(failure).rejects.toThrow(SourceHttpError);
    const error = (await failure.catch((e: unknown) => e)) as SourceHttpError;
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(5);
    expect(error.retryable).toBe(true);
    expect(error.bodyExcerpt).toContain('down for maintenance');
    expect(server.requests).toHaveLength(5);
  });

  it('waits Retry-After seconds on 429, without using up an attempt', async () => {
    await startServer();
    server.inject(() => true, { kind: 'respond', response: { status: 429, headers: { 'retry-after': '7' } } }, 3);
    server.inject(() => true, serverError(500));
    const clock = createFakeClock();
    const response = await requestJson(`${server.baseUrl}/thing`, {}, { ...clock, maxAttempts: 2, random: () => 1, baseDelayMs: 100 });
    expect(response.data).toEqual({ ok: true });
    expect(clock.sleeps).toEqual([7000, 7000, 7000, 100]);
  });

  it('understands Retry-After as an HTTP date', async () => {
    await startServer();
    const clock = createFakeClock();
    const inTwelveSeconds = new Date(clock.now() + 12_000).toUTCString();
    server.inject(() => true, { kind: 'respond', response: { status: 429, headers: { 'retry-after': inTwelveSeconds } } });
    await requestJson(`${server.baseUrl}/thing`, {}, clock);
    expect(clock.sleeps).toEqual([12_000]);
  });

  it('waits until X-RateLimit-Reset on 429, capped by maxRateLimitWaitMs', async () => {
    await startServer();
    const clock = createFakeClock();
    const resetIn = (seconds: number) => String(Math.floor(clock.now() / 1000) + seconds);
    server.inject(() => true, { kind: 'respond', response: { status: 429, headers: { 'x-ratelimit-reset': resetIn(4) } } });
    server.inject(() => true, { kind: 'respond', response: { status: 429, headers: { 'x-ratelimit-reset': resetIn(3600) } } });
    await requestJson(`${server.baseUrl}/thing`, {}, { ...clock, maxRateLimitWaitMs: 10_000 });
    expect(clock.sleeps).toEqual([4000, 10_000]);
    expect(server.requests).toHaveLength(3);
  });

  it('slows down before the reset when X-RateLimit-Remaining reaches 0', async () => {
    await startServer();
    const clock = createFakeClock();
    const gate = new RateLimitGate();
    const reset = String(Math.floor(clock.now() / 1000) + 5);
    server.inject(() => true, {
      kind: 'respond',
      response: { json: { ok: 1 }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
    });
    await requestJson(`${server.baseUrl}/a`, {}, { ...clock, rateLimitGate: gate });
    expect(clock.sleeps).toEqual([]);
    await requestJson(`${server.baseUrl}/b`, {}, { ...clock, rateLimitGate: gate });
    expect(clock.sleeps).toEqual([5000]);
    await requestJson(`${server.baseUrl}/c`, {}, { ...clock, rateLimitGate: gate });
    expect(clock.sleeps).toEqual([5000]);
  });

  it('makes every request sharing the gate wait out a 429 that one of them met', async () => {
    await startServer();
    const gate = new RateLimitGate();
    server.inject((request) => request.url.pathname === '/a', { kind: 'respond', response: { status: 429, headers: { 'retry-after': '7' } } });
    const first = createFakeClock();
    await requestJson(`${server.baseUrl}/a`, {}, { ...first, rateLimitGate: gate });
    expect(first.sleeps).toEqual([7000]);
    // Another job of the same channel, started 2 s after the 429 (its clock did not sleep).
    const second = createFakeClock();
    second.advance(2000);
    await requestJson(`${server.baseUrl}/b`, {}, { ...second, rateLimitGate: gate });
    expect(second.sleeps).toEqual([5000]);
    const unrelated = createFakeClock();
    await requestJson(`${server.baseUrl}/c`, {}, unrelated);
    expect(unrelated.sleeps).toEqual([]);
  });

  it('throws SourceAuthError on 401 without retrying', async () => {
    await startServer();
    server.inject(() => true, { kind: 'respond', response: { status: 401, json: { error: 'nope' } } }, Infinity);
    const clock = createFakeClock();
    await expect(requestJson(`${server.baseUrl}/thing`, {}, clock)).rejects.toThrow(SourceAuthError);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('throws SourceResponseError on a malformed JSON body', async () => {
    await startServer();
    server.inject(() => true, { kind: 'respond', response: { text: '{"data": [', contentType: 'application/json' } });
    await expect(requestJson(`${server.baseUrl}/thing`)).rejects.toThrow(SourceResponseError);
  });

  it('retries a request that times out, then fails with the reason', async () => {
    await startServer();
    server.inject(() => true, { kind: 'hang' }, Infinity);
    const clock = createFakeClock();
    const failure = requestJson(`${server.baseUrl}/thing`, {}, { ...clock, timeoutMs: 50, maxAttempts: 3 });
    await expect(failure).rejects.toThrow(/timed out after 50 ms/);
    const error = (await failure.catch((e: unknown) => e)) as SourceHttpError;
    expect(error.status).toBeNull();
    expect(error.retryable).toBe(true);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('retries network errors', async () => {
    await startServer();
    const deadUrl = `${server.baseUrl}/thing`;
    await server.close();
    server = await FakeHttpServer.start(() => ({ json: {} }));
    const clock = createFakeClock();
    await expect(requestJson(deadUrl, {}, { ...clock, maxAttempts: 2 })).rejects.toThrow(/network error/);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('stops at once when the caller aborts', async () => {
    await startServer();
    server.inject(() => true, { kind: 'hang' }, Infinity);
    const controller = new AbortController();
    const failure = requestJson(`${server.baseUrl}/thing`, { signal: controller.signal }, { timeoutMs: 60_000 });
    // Abort once the request is in flight: a fixed delay races the connection on a loaded machine.
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    controller.abort();
    await expect(failure).rejects.toThrow();
    expect(server.requests).toHaveLength(1);
  });
});

describe('redactUrl', () => {
  it('drops credentials and secret-looking query values', () => {
    expect(redactUrl('https://me:pw@x.test/a?access_token=abc&page=2')).toBe('https://x.test/a?access_token=REDACTED&page=2');
  });
});
