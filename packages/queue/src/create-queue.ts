import type { Config } from '@relai/config';
import { BullmqQueue } from './bullmq-queue';
import { InProcessQueue } from './in-process-queue';
import type { JobQueue } from './interface';

/** The backend is a matter of configuration: job definitions and handlers never know which one runs them. */
export function createQueue(config: Pick<Config, 'redisUrl' | 'workerConcurrency'>, options: { prefix?: string } = {}): JobQueue {
  return config.redisUrl
    ? new BullmqQueue(config.redisUrl, { concurrency: config.workerConcurrency, prefix: options.prefix })
    : new InProcessQueue(config.workerConcurrency);
}
