import type { MiddlewareHandler } from 'hono';
import type { Database } from '@relai/db';
import { authenticateToken, findAgent } from '@relai/tenants';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';

/** Bearer token → identity. Missing or wrong tokens get the same 401, saying nothing more. */
export function requireToken(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const identity = match ? await authenticateToken(db, match[1]!) : null;
    if (!identity) throw new ApiError('unauthorized', 'Send a valid API token as "Authorization: Bearer <token>"');
    c.set('identity', identity);
    await next();
  };
}

/** Tenant admin tokens only (sources, agents, settings). */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('identity').agentId !== null) {
    throw new ApiError('forbidden', 'This endpoint needs a tenant admin token, not an agent token');
  }
  await next();
};

/**
 * Routes under /v1/agents/:agentId: the agent's own token or a tenant admin token. Another agent's
 * token, or an agent of another tenant, gets the same 404 as a missing agent: ids are not disclosed.
 */
export function requireAgentAccess(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = c.get('identity');
    const agentId = c.req.param('agentId') ?? '';
    const agent = identity.agentId === null || identity.agentId === agentId ? await findAgent(db, identity.tenantId, agentId) : null;
    if (!agent) throw new ApiError('not_found', `No AI agent "${agentId}"`);
    c.set('agent', agent);
    await next();
  };
}
