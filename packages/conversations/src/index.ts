export { ConversationStore, conversationFor, isAlive } from './session-store';
export type { Session, SessionKey, SessionStatus, StoredMessage, CustomerContext, InTransaction, SessionOpened } from './session-store';
export { agentMetrics } from './metrics-report';
export type { AgentMetricsReport } from './metrics-report';
export { expireSessionsJob, EXPIRE_SESSIONS_EVERY_MS } from './jobs';
