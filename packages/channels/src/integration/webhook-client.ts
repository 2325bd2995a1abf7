/** One delivery attempt as the delivery log records it. */
export interface AttemptResult {
  /** Null when no response came back (connection refused, timeout). */
  statusCode: number | null;
  /** Null on 2xx. */
  error: string | null;
  /** The response body (read for action.triggered replies); empty when there was none. */
  body: string;
  durationMs: number;
}

const ERROR_BODY_EXCERPT = 200;

/**
 * A single POST, no retries: every attempt must reach the delivery log, and the outbox spaces the
 * retries out over hours (requestText's in-call retries are made for short platform hiccups).
 * Redirects are not followed: a receiver that moved must be reconfigured, not guessed.
 */
export async function postEvent(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; fetch?: typeof fetch },
): Promise<AttemptResult> {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await (options.fetch ?? fetch)(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal, redirect: 'manual' });
    // Read within the same timeout: a receiver that stalls its body fails the attempt too.
    const text = await response.text();
    const ok = response.status >= 200 && response.status < 300;
    return { statusCode: response.status, error: ok ? null : `HTTP ${response.status}${describeBody(text)}`, body: text, durationMs: elapsed() };
  } catch (error) {
    const reason = signal.aborted ? `timed out after ${options.timeoutMs} ms` : `network error: ${networkReason(error)}`;
    return { statusCode: null, error: reason, body: '', durationMs: elapsed() };
  }
}

function describeBody(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '';
  return `: ${flat.length > ERROR_BODY_EXCERPT ? `${flat.slice(0, ERROR_BODY_EXCERPT)}…` : flat}`;
}

/** "connect ECONNREFUSED 127.0.0.1:8080", "other side closed (UND_ERR_SOCKET)": the cause says more than fetch's "fetch failed". */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  const message = typeof cause?.message === 'string' && cause.message ? cause.message : null;
  if (message) return code && !message.includes(code) ? `${message} (${code})` : message;
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}
