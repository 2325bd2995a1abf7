import { PermanentJobError } from '@relai/queue';
import { SourceHttpError } from '@relai/sources';
import type { Platform } from './interface';

/**
 * Statuses where sending the same request again gets the same answer: a malformed request, refused
 * or insufficient credentials, a resource that is gone, a request the platform validates and rejects.
 * 408 and 429 are waited out by the HTTP client; 409 (Zendesk's concurrent update) may pass later.
 */
export const PERMANENT_HTTP_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 405, 410, 422]);

export function isPermanentStatus(status: number | null | undefined): boolean {
  return typeof status === 'number' && PERMANENT_HTTP_STATUSES.has(status);
}

/**
 * A platform failure that retrying cannot fix (a revoked token, a deleted conversation, a rejected
 * update): the channel-event job fails at once instead of being retried with backoff, and the worker
 * logs it as a permanent failure. `status` is the platform's HTTP status, when there was one.
 */
export class ChannelPermanentError extends PermanentJobError {
  override name = 'ChannelPermanentError';
  readonly platform: Platform | null;
  readonly status: number | null;

  constructor(message: string, options: { platform?: Platform; status?: number | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.platform = options.platform ?? null;
    this.status = options.status ?? null;
  }
}

/**
 * A platform client's failure as the job should see it: a SourceHttpError with a permanent status
 * becomes a ChannelPermanentError (the original as its cause); anything else is returned as is.
 */
export function platformError(platform: Platform, error: unknown): unknown {
  if (error instanceof SourceHttpError && isPermanentStatus(error.status)) {
    return new ChannelPermanentError(error.message, { platform, status: error.status, cause: error });
  }
  return error;
}
