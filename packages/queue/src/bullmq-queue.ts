import crypto from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { EnqueueOptions, JobDefinition, JobEvent, JobHandler, JobQueue, Schedule } from './interface';
import { isPermanentJobError, JobPayloadError } from './interface';
import { parsePayload } from './payload';

function unrecoverable(error: Error): UnrecoverableError {
  const wrapped = new UnrecoverableError(error.message);
  wrapped.cause = error;
  return wrapped;
}

/** BullMQ forbids ':' in custom ids; dedupe keys such as "sync:<uuid>" are made safe here. */
const safeId = (value: string) => value.replace(/[^\w.-]/g, '_');

/**
 * One BullMQ queue per job definition (named after it), so each job type has its own concurrency,
 * metrics and backlog. Producers (the API) only create Queues; `start()` creates the Workers.
 */
export class BullmqQueue implements JobQueue {
  readonly backend = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly handlers = new Map<string, { job: JobDefinition<unknown>; handler: JobHandler<unknown> }>();
  private readonly workers: Worker[] = [];
  private readonly listeners: Array<(event: JobEvent) => void> = [];
  private readonly shutdown = new AbortController();

  constructor(
    redisUrl: string,
    private readonly options: { concurrency?: number; prefix?: string } = {},
  ) {
    // Workers block on Redis: BullMQ requires maxRetriesPerRequest null on their connection.
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  }

  async enqueue<P>(job: JobDefinition<P>, payload: P, options: EnqueueOptions = {}) {
    const data = parsePayload(job, payload);
    const jobId = crypto.randomUUID();
    const added = await this.queue(job).add(job.name, data, {
      jobId,
      delay: options.delayMs,
      attempts: job.retry.attempts,
      backoff: { type: 'exponential', delay: job.retry.backoffMs },
      // Dedupe lasts while a job with the key is waiting or running, then the key is free again.
      ...(options.dedupeKey ? { deduplication: { id: safeId(options.dedupeKey) } } : {}),
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    const deduplicated = added.id !== jobId;
    return { jobId: deduplicated ? null : jobId, deduplicated };
  }

  async schedule<P>(scheduleId: string, job: JobDefinition<P>, payload: P, when: Schedule) {
    const data = parsePayload(job, payload);
    await this.queue(job).upsertJobScheduler(
      safeId(scheduleId),
      'everyMs' in when ? { every: when.everyMs } : { pattern: when.cron, tz: when.timezone ?? 'UTC' },
      {
        name: job.name,
        data,
        opts: {
          attempts: job.retry.attempts,
          backoff: { type: 'exponential', delay: job.retry.backoffMs },
          removeOnComplete: { age: 24 * 3600, count: 100 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      },
    );
  }

  async unschedule(scheduleId: string) {
    // The schedule may have been created by another process: look in every known queue.
    const queues = [...this.queues.values()];
    await Promise.all(queues.map((queue) => queue.removeJobScheduler(safeId(scheduleId))));
  }

  process<P>(job: JobDefinition<P>, handler: JobHandler<P>) {
    this.handlers.set(job.name, { job: job as JobDefinition<unknown>, handler: handler as JobHandler<unknown> });
    this.queue(job);
  }

  async start() {
    for (const { job, handler } of this.handlers.values()) {
      const worker = new Worker(
        job.name,
        async (bullJob) => {
          let payload: unknown;
          try {
            payload = parsePayload(job, bullJob.data);
          } catch (error) {
            // A payload that fails its schema will never succeed: fail it now, without retries.
            if (error instanceof JobPayloadError) throw new UnrecoverableError(error.message);
            throw error;
          }
          try {
            await handler(payload, { jobId: String(bullJob.id), attempt: bullJob.attemptsMade + 1, signal: this.shutdown.signal });
          } catch (error) {
            // BullMQ skips the remaining attempts for an UnrecoverableError; the original error rides along as its cause.
            if (isPermanentJobError(error)) throw unrecoverable(error);
            throw error;
          }
        },
        { connection: this.connection as ConnectionOptions, concurrency: this.options.concurrency ?? 4, prefix: this.options.prefix },
      );
      worker.on('completed', (bullJob) => {
        this.emit({
          type: 'completed',
          job: job.name,
          jobId: String(bullJob.id),
          attempt: bullJob.attemptsMade,
          durationMs: (bullJob.finishedOn ?? Date.now()) - (bullJob.processedOn ?? Date.now()),
        });
      });
      worker.on('failed', (bullJob, error) => {
        if (!bullJob) return;
        const permanent = error instanceof UnrecoverableError || error.name === 'UnrecoverableError';
        // Listeners see the handler's own error (a PermanentJobError), not BullMQ's wrapper.
        const cause = permanent ? error.cause : undefined;
        this.emit({
          type: 'failed',
          job: job.name,
          jobId: String(bullJob.id),
          attempt: bullJob.attemptsMade,
          durationMs: Date.now() - (bullJob.processedOn ?? Date.now()),
          error: isPermanentJobError(cause) ? cause : error,
          willRetry: !permanent && bullJob.attemptsMade < (bullJob.opts.attempts ?? 1),
          permanent,
        });
      });
      worker.on('error', () => undefined); // connection errors are retried by ioredis; avoid crashing
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  onEvent(listener: (event: JobEvent) => void) {
    this.listeners.push(listener);
  }

  async close(timeoutMs = 30_000) {
    this.shutdown.abort();
    const graceful = Promise.all(this.workers.map((worker) => worker.close()));
    const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    if ((await Promise.race([graceful, timedOut])) === 'timeout') {
      await Promise.all(this.workers.map((worker) => worker.close(true)));
    }
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  private queue(job: JobDefinition<unknown> | JobDefinition<never>): Queue {
    let queue = this.queues.get(job.name);
    if (!queue) {
      queue = new Queue(job.name, { connection: this.connection as ConnectionOptions, prefix: this.options.prefix });
      this.queues.set(job.name, queue);
    }
    return queue;
  }

  private emit(event: JobEvent) {
    for (const listener of this.listeners) listener(event);
  }
}
