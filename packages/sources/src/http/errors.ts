const BODY_EXCERPT_LENGTH = 300;
const SECRET_QUERY_KEY = /token|secret|key|password|signature|auth/i;

/** The URL as it may appear in logs and error messages: no user info, no secret-looking query values. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid url>';
  }
  parsed.username = '';
  parsed.password = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_KEY.test(key)) parsed.searchParams.set(key, 'REDACTED');
  }
  return parsed.toString();
}

export function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT_LENGTH ? `${flat.slice(0, BODY_EXCERPT_LENGTH)}…` : flat;
}

export interface SourceHttpErrorDetails {
  /** HTTP status, or null when no response came back (network error, timeout). */
  status: number | null;
  url: string;
  method?: string;
  /** Whether trying again later may succeed (5xx, 429, network): the sync run may reschedule. */
  retryable: boolean;
  reason: string;
  body?: string;
  attempts?: number;
}

/** A request to a source platform that failed for good (after the retries the policy allows). */
export class SourceHttpError extends Error {
  readonly status: number | null;
  /** Redacted: safe to log. */
  readonly url: string;
  readonly retryable: boolean;
  readonly reason: string;
  readonly bodyExcerpt: string;
  readonly attempts: number;

  constructor(details: SourceHttpErrorDetails) {
    const url = redactUrl(details.url);
    const status = details.status === null ? 'no response' : `HTTP ${details.status}`;
    const attempts = details.attempts ?? 1;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    super(`${details.method ?? 'GET'} ${url} failed${tries} (${status}): ${details.reason}`);
    this.name = new.target.name;
    this.status = details.status;
    this.url = url;
    this.retryable = details.retryable;
    this.reason = details.reason;
    this.bodyExcerpt = excerpt(details.body ?? '');
    this.attempts = attempts;
  }
}

/** 401/403: the credentials are wrong or lack a permission. Never retried; an admin must act. */
export class SourceAuthError extends SourceHttpError {}

/** The platform answered 2xx but the body is not JSON, or not the documented shape. */
export class SourceResponseError extends SourceHttpError {}
