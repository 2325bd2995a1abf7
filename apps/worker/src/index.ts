export { startWorkers } from './workerManager';
export type { JobCounters } from './workerManager';
