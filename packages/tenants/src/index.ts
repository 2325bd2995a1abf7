export { createTenant, createAgent, findAgent, AGENT_ID_PATTERN } from './tenants';
export type { Tenant, Agent } from './tenants';
export { issueToken, authenticateToken, revokeToken, hashToken } from './tokens';
export type { TokenIdentity } from './tokens';
