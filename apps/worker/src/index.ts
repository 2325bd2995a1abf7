export { startWorkers } from './workerManager';
export type { JobCounters, WorkerDeps } from './workerManager';
