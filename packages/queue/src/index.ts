export type { JobDefinition, JobHandler, JobContext, JobQueue, JobEvent, EnqueueOptions, Schedule } from './interface';
export { isPermanentJobError, JobPayloadError, PermanentJobError } from './interface';
export { InProcessQueue } from './in-process-queue';
export { BullmqQueue } from './bullmq-queue';
export { createQueue } from './create-queue';
