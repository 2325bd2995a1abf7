import { CHANNEL_TIMEOUTS_EVERY_MS, channelEventJob, channelTimeoutsJob, deliverOutboxJob, OUTBOX_SWEEP_EVERY_MS, sweepOutboxJob, type ChannelServices } from '@relai/channels';
import type { Logger } from '@relai/config';
import { EXPIRE_SESSIONS_EVERY_MS, expireSessionsJob } from '@relai/conversations';
import { articleChangeJob, scheduleSourceSyncs, syncSourceJob, type SyncDeps } from '@relai/ingest';
import type { JobEvent, JobQueue } from '@relai/queue';
import { articleChangeHandler } from './queues/articleChangeQueue';
import { channelEventHandler } from './queues/channelEventQueue';
import { channelTimeoutsHandler } from './queues/channelTimeoutsQueue';
import { outboxDeliveryHandler, outboxSweepHandler } from './queues/outboxDeliveryQueue';
import { expireSessionsHandler } from './queues/expireSessionsQueue';
import { syncSourceHandler } from './queues/syncSourceQueue';

export interface JobCounters {
  completed: Record<string, number>;
  failed: Record<string, number>;
  retried: Record<string, number>;
}

/**
 * The one place that binds every job to its handler, logs outcomes, counts them for metrics, and
 * (re)creates each source's schedules and the session expiry sweep. Shutdown is the queue's `close()`, called by the CLI on SIGTERM.
 */
export interface WorkerDeps {
  sync: SyncDeps;
  channels: ChannelServices;
}

export async function startWorkers(queue: JobQueue, workerDeps: WorkerDeps, logger: Logger): Promise<JobCounters> {
  const counters: JobCounters = { completed: {}, failed: {}, retried: {} };
  const deps = workerDeps.sync;
  queue.process(syncSourceJob, syncSourceHandler(deps));
  queue.process(articleChangeJob, articleChangeHandler(deps));
  queue.process(expireSessionsJob, expireSessionsHandler(workerDeps.channels.conversations, logger));
  queue.process(channelEventJob, channelEventHandler(workerDeps.channels));
  queue.process(channelTimeoutsJob, channelTimeoutsHandler(workerDeps.channels, logger));
  const outbox = { ...workerDeps.channels, queue };
  queue.process(deliverOutboxJob, outboxDeliveryHandler(outbox));
  queue.process(sweepOutboxJob, outboxSweepHandler(outbox));
  queue.onEvent((event: JobEvent) => {
    if (event.type === 'completed') {
      bump(counters.completed, event.job);
      logger.debug('job completed', { job: event.job, jobId: event.jobId, ms: event.durationMs });
    } else if (event.willRetry) {
      bump(counters.retried, event.job);
      logger.warn('job failed, will retry', { job: event.job, jobId: event.jobId, attempt: event.attempt, error: event.error });
    } else {
      bump(counters.failed, event.job);
      // A permanent failure (credentials refused, resource gone) is not retried: say so, it needs a person.
      logger.error(event.permanent ? 'job failed permanently, not retried' : 'job failed', { job: event.job, jobId: event.jobId, attempt: event.attempt, error: event.error });
    }
  });
  await queue.start();
  const sources = await deps.sources.list(null);
  for (const source of sources) await scheduleSourceSyncs(queue, source);
  await queue.schedule('expire-sessions', expireSessionsJob, {}, { everyMs: EXPIRE_SESSIONS_EVERY_MS });
  await queue.schedule('channel-timeouts', channelTimeoutsJob, {}, { everyMs: CHANNEL_TIMEOUTS_EVERY_MS });
  await queue.schedule('outbox-sweep', sweepOutboxJob, {}, { everyMs: OUTBOX_SWEEP_EVERY_MS });
  logger.info('workers started', { backend: queue.backend, sources: sources.length });
  return counters;
}

function bump(counts: Record<string, number>, key: string) {
  counts[key] = (counts[key] ?? 0) + 1;
}
