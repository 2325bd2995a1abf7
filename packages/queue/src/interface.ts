import type { z } from 'zod';

/**
 * A job is declared once — name, payload schema, retry policy — and knows nothing of the backend.
 * Producers enqueue with the definition alone; only the worker binds a handler to it.
 */
export interface JobDefinition<Payload> {
  /** Also the queue name on BullMQ: letters, digits, dashes. */
  name: string;
  schema: z.ZodType<Payload>;
  retry: { attempts: number; backoffMs: number };
}

export interface JobContext {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  /** Aborted when the worker shuts down; long handlers should stop early. */
  signal: AbortSignal;
}

export type JobHandler<Payload> = (payload: Payload, context: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /**
   * While a job with this key is waiting or running, enqueueing another one is a no-op: e.g. one
   * sync per source at a time, one job per webhook delivery.
   */
  dedupeKey?: string;
  delayMs?: number;
}

export type Schedule = { cron: string; timezone?: string } | { everyMs: number };

export type JobEvent =
  | { type: 'completed'; job: string; jobId: string; attempt: number; durationMs: number }
  | {
      type: 'failed';
      job: string;
      jobId: string;
      attempt: number;
      durationMs: number;
      error: Error;
      willRetry: boolean;
      /** The handler threw a PermanentJobError (or the stored payload broke its schema): no retry, whatever the attempts left. */
      permanent: boolean;
    };

export interface JobQueue {
  readonly backend: 'in-process' | 'bullmq';
  /** Validates the payload against the job's schema (throws JobPayloadError) and enqueues it. */
  enqueue<P>(job: JobDefinition<P>, payload: P, options?: EnqueueOptions): Promise<{ jobId: string | null; deduplicated: boolean }>;
  /** Creates or replaces the recurring schedule with this id. */
  schedule<P>(scheduleId: string, job: JobDefinition<P>, payload: P, when: Schedule): Promise<void>;
  unschedule(scheduleId: string): Promise<void>;
  /** Binds a handler; processing starts with `start()`. */
  process<P>(job: JobDefinition<P>, handler: JobHandler<P>): void;
  start(): Promise<void>;
  onEvent(listener: (event: JobEvent) => void): void;
  /** Throws when the backend is unreachable (readiness checks). */
  ping(): Promise<void>;
  /** Stops taking jobs, waits for the running ones (up to the timeout), closes connections. */
  close(timeoutMs?: number): Promise<void>;
}

export class JobPayloadError extends Error {
  override name = 'JobPayloadError';
  constructor(
    readonly job: string,
    readonly issues: string[],
  ) {
    super(`Invalid payload for job "${job}": ${issues.join('; ')}`);
  }
}

/**
 * Thrown by a handler when trying again cannot help (the platform refused the credentials, the
 * resource is gone, the request is invalid): the job fails at once, on every backend, whatever
 * attempts its retry policy has left. Subclass it for domain errors (ChannelPermanentError).
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
  /** Recognised by this flag too, so that an error from another copy of this module still counts. */
  readonly permanent = true as const;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export function isPermanentJobError(error: unknown): error is Error & { permanent: true } {
  return error instanceof PermanentJobError || (error instanceof Error && (error as { permanent?: unknown }).permanent === true);
}
