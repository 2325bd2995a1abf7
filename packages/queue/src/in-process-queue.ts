import { CronExpressionParser } from 'cron-parser';
import type { EnqueueOptions, JobDefinition, JobEvent, JobHandler, JobQueue, Schedule } from './interface';
import { isPermanentJobError } from './interface';
import { backoffDelay, parsePayload } from './payload';

interface PendingJob {
  id: string;
  job: JobDefinition<unknown>;
  payload: unknown;
  attempt: number;
  dedupeKey: string | undefined;
}

/**
 * The embedded default: the same job definitions run inside this process, with the same validation,
 * retries, dedupe and schedules as on BullMQ. Jobs do not survive a restart; the scheduled syncs
 * catch up on the next tick, which is what the embedded default needs.
 */
export class InProcessQueue implements JobQueue {
  readonly backend = 'in-process' as const;
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly waiting: PendingJob[] = [];
  private readonly activeKeys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly delayed = new Set<NodeJS.Timeout>();
  private readonly listeners: Array<(event: JobEvent) => void> = [];
  private readonly shutdown = new AbortController();
  private started = false;
  private nextId = 1;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly concurrency = 4) {}

  async enqueue<P>(job: JobDefinition<P>, payload: P, options: EnqueueOptions = {}) {
    const parsed = parsePayload(job, payload);
    if (options.dedupeKey && this.activeKeys.has(options.dedupeKey)) return { jobId: null, deduplicated: true };
    const pending: PendingJob = {
      id: String(this.nextId++),
      job: job as JobDefinition<unknown>,
      payload: parsed,
      attempt: 1,
      dedupeKey: options.dedupeKey,
    };
    if (options.dedupeKey) this.activeKeys.add(options.dedupeKey);
    if (options.delayMs) this.later(options.delayMs, () => this.push(pending));
    else this.push(pending);
    return { jobId: pending.id, deduplicated: false };
  }

  async schedule<P>(scheduleId: string, job: JobDefinition<P>, payload: P, when: Schedule) {
    parsePayload(job, payload);
    await this.unschedule(scheduleId);
    const fire = () => {
      this.enqueue(job, payload, { dedupeKey: `schedule:${scheduleId}` }).catch(() => undefined);
    };
    if ('everyMs' in when) {
      this.timers.set(scheduleId, setInterval(fire, when.everyMs).unref());
      return;
    }
    const expression = CronExpressionParser.parse(when.cron, { tz: when.timezone ?? 'UTC' });
    const arm = () => {
      const delay = Math.max(0, expression.next().getTime() - Date.now());
      // setTimeout caps at ~24.8 days; a weekly cron is well within it.
      this.timers.set(
        scheduleId,
        setTimeout(() => {
          fire();
          arm();
        }, delay).unref(),
      );
    };
    arm();
  }

  async unschedule(scheduleId: string) {
    const timer = this.timers.get(scheduleId);
    if (timer) clearTimeout(timer);
    this.timers.delete(scheduleId);
  }

  process<P>(job: JobDefinition<P>, handler: JobHandler<P>) {
    this.handlers.set(job.name, handler as JobHandler<unknown>);
  }

  async start() {
    this.started = true;
    this.pump();
  }

  onEvent(listener: (event: JobEvent) => void) {
    this.listeners.push(listener);
  }

  async ping() {}

  /** Resolves once nothing is waiting or running (used by the CLI and tests, not by servers). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(timeoutMs = 30_000) {
    this.started = false;
    this.shutdown.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const timer of this.delayed) clearTimeout(timer);
    this.timers.clear();
    this.delayed.clear();
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private push(pending: PendingJob) {
    this.waiting.push(pending);
    this.pump();
  }

  private later(delayMs: number, action: () => void) {
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      action();
    }, delayMs);
    this.delayed.add(timer);
  }

  private pump() {
    while (this.started && this.running.size < this.concurrency) {
      const index = this.waiting.findIndex((pending) => this.handlers.has(pending.job.name));
      if (index < 0) break;
      const [pending] = this.waiting.splice(index, 1);
      const run = this.run(pending!).finally(() => {
        this.running.delete(run);
        this.pump();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
      this.running.add(run);
    }
  }

  private isIdle() {
    return this.waiting.length === 0 && this.running.size === 0 && this.delayed.size === 0;
  }

  private async run(pending: PendingJob) {
    const handler = this.handlers.get(pending.job.name)!;
    const startedAt = Date.now();
    const base = { job: pending.job.name, jobId: pending.id, attempt: pending.attempt };
    try {
      await handler(pending.payload, { jobId: pending.id, attempt: pending.attempt, signal: this.shutdown.signal });
      if (pending.dedupeKey) this.activeKeys.delete(pending.dedupeKey);
      this.emit({ type: 'completed', ...base, durationMs: Date.now() - startedAt });
    } catch (error) {
      // A permanent error fails the job at once: the same call would fail the same way.
      const permanent = isPermanentJobError(error);
      const willRetry = !permanent && pending.attempt < pending.job.retry.attempts && !this.shutdown.signal.aborted;
      this.emit({
        type: 'failed',
        ...base,
        durationMs: Date.now() - startedAt,
        error: error instanceof Error ? error : new Error(String(error)),
        willRetry,
        permanent,
      });
      if (willRetry) {
        const retry = { ...pending, attempt: pending.attempt + 1 };
        this.later(backoffDelay(pending.job.retry.backoffMs, pending.attempt), () => this.push(retry));
      } else if (pending.dedupeKey) {
        this.activeKeys.delete(pending.dedupeKey);
      }
    }
  }

  private emit(event: JobEvent) {
    for (const listener of this.listeners) listener(event);
  }
}
