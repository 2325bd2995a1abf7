export { createApp, MAX_BODY_BYTES } from './app';
export type { App } from './app';
export type { AppDeps } from './context';
export { createMetrics } from './observability/metrics';
export type { DecisionRecord, Metrics } from './observability/metrics';
export { startServer } from './server';
export { viewReply } from './conversations/views';
export type { AgentReplyView } from './conversations/views';
export type { RunningServer } from './server';
