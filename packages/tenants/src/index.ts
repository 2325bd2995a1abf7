export { createTenant, createAgent, findAgent, listAgents, updateAgent, deleteAgent, AGENT_ID_PATTERN } from './tenants';
export type { Tenant, Agent } from './tenants';
export { issueToken, authenticateToken, revokeToken, hashToken, listAgentTokens } from './tokens';
export type { TokenIdentity, TokenView } from './tokens';
