import { Hono } from 'hono';
import { z } from 'zod';
import { agentSettingsSchema } from '@relai/answering';
import { isUniqueViolation } from '@relai/db';
import { AGENT_ID_PATTERN, createAgent, deleteAgent, issueToken, listAgents, listAgentTokens, revokeToken, updateAgent } from '@relai/tenants';
import { agentView, validateAgentSettings } from '../agents/agent-views';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import type { Operation } from '../openapi/operation';
import { requireAdmin, requireAgentAccess, requireToken } from '../middleware/auth';
import { readJson } from '../validation';

const settingsObject = z.record(z.string(), z.unknown());

/** One line of text: control characters have no place in a name, and Postgres refuses NUL in text. */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const agentName = z.string().trim().min(1).max(200).regex(NO_CONTROL_CHARACTERS, 'expected no control characters');
const tokenLabel = z.string().max(200).regex(NO_CONTROL_CHARACTERS, 'expected no control characters');

export const createAgentBody = z.object({
  id: z.string().regex(AGENT_ID_PATTERN, 'use 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit'),
  name: agentName,
  /** See the settings schema: thresholds, tone, session lifetime, escalation, teams, rules. */
  settings: settingsObject.default({}),
  token_label: tokenLabel.default('default'),
});

/** Top-level settings keys replace the stored ones; null resets a key to its default. */
export const updateAgentBody = z
  .object({ name: agentName.optional(), settings: z.record(z.string(), z.unknown().nullable()).optional() })
  .refine((body) => body.name !== undefined || body.settings !== undefined, { message: 'give name and/or settings' });

export const issueTokenBody = z.object({ label: tokenLabel.default('') });

/** AI agents of a tenant: admin tokens manage them; an agent's own token may read its settings. */
export function agentRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const admin = [requireToken(deps.db), requireAdmin] as const;
  const adminOfAgent = [requireToken(deps.db), requireAdmin, requireAgentAccess(deps.db)] as const;

  app.post('/v1/agents', ...admin, async (c) => {
    const { tenantId } = c.get('identity');
    const body = await readJson(c, createAgentBody);
    await validateAgentSettings(body.settings, tenantId, deps.sources);
    try {
      const created = await deps.db.transaction(async (tx) => {
        const agent = await createAgent(tx, { tenantId, id: body.id, name: body.name, settings: body.settings });
        const token = await issueToken(tx, { tenantId, agentId: agent.id, label: body.token_label });
        return { agent, token };
      });
      // The token is shown once: only its hash is stored.
      return c.json({ agent: agentView(created.agent), token: { id: created.token.id, token: created.token.token } }, 201);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('conflict', `id: an AI agent "${body.id}" already exists`);
      throw error;
    }
  });

  app.get('/v1/agents', ...admin, async (c) => {
    const agents = await listAgents(deps.db, c.get('identity').tenantId);
    return c.json({ agents: agents.map(agentView) });
  });

  app.get('/v1/agents/:agentId', requireToken(deps.db), requireAgentAccess(deps.db), async (c) => {
    const agent = c.get('agent');
    const isAdmin = c.get('identity').agentId === null;
    const tokens = isAdmin ? await listAgentTokens(deps.db, agent.tenantId, agent.id) : undefined;
    return c.json({
      ...agentView(agent),
      ...(tokens ? { tokens: tokens.map((token) => ({ id: token.id, prefix: token.prefix, label: token.label, created_at: token.createdAt, last_used_at: token.lastUsedAt })) } : {}),
    });
  });

  app.patch('/v1/agents/:agentId', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    const body = await readJson(c, updateAgentBody);
    let settings: Record<string, unknown> | undefined;
    if (body.settings) {
      settings = { ...agent.settings };
      for (const [key, value] of Object.entries(body.settings)) {
        if (value === null) delete settings[key];
        else settings[key] = value;
      }
      await validateAgentSettings(settings, agent.tenantId, deps.sources);
    }
    const updated = await updateAgent(deps.db, agent.tenantId, agent.id, { name: body.name, settings });
    if (!updated) throw new ApiError('not_found', `No AI agent "${agent.id}"`);
    return c.json(agentView(updated));
  });

  app.delete('/v1/agents/:agentId', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    await deleteAgent(deps.db, agent.tenantId, agent.id);
    return c.body(null, 204);
  });

  app.post('/v1/agents/:agentId/tokens', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    const body = await readJson(c, issueTokenBody);
    const token = await issueToken(deps.db, { tenantId: agent.tenantId, agentId: agent.id, label: body.label });
    return c.json({ id: token.id, token: token.token }, 201);
  });

  app.delete('/v1/agents/:agentId/tokens/:tokenId', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    const tokenId = c.req.param('tokenId');
    const owned = (await listAgentTokens(deps.db, agent.tenantId, agent.id)).some((token) => token.id === tokenId);
    if (!owned || !(await revokeToken(deps.db, agent.tenantId, tokenId))) throw new ApiError('not_found', `No active token "${tokenId}" for agent "${agent.id}"`);
    return c.body(null, 204);
  });

  return app;
}

const agentParams = z.object({ agentId: z.string().meta({ description: 'The AI agent’s id' }) });
const agentResponse = z.object({ id: z.string(), name: z.string(), settings: agentSettingsSchema });
const tokenResponse = z.object({ id: z.uuid(), token: z.string().meta({ description: 'Shown once: only its hash is stored' }) });

export const agentOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/agents',
    operationId: 'createAgent',
    summary: 'Create an AI agent',
    description: 'Creates an agent with its settings (every field has a default) and returns its first access token, once.',
    tags: ['AI agents'],
    auth: 'admin',
    body: createAgentBody,
    bodyExample: {
      id: 'support-fr',
      name: 'Support Facturo',
      settings: {
        tone: 'friendly',
        teams: [{ id: 'billing', name: 'Facturation', external_id: '5512' }],
        default_team: 'billing',
        rules: [{ when: { collection: 'Abonnement et facturation' }, action: 'suggest', team: 'billing' }],
      },
    },
    responses: { 201: { description: 'The agent and its token', schema: z.object({ agent: agentResponse, token: tokenResponse }) } },
    errors: { conflict: 'An agent with this id exists', unsupported_media_type: 'The body is not JSON' },
  },
  {
    method: 'get',
    path: '/v1/agents',
    operationId: 'listAgents',
    summary: 'List the tenant’s AI agents',
    tags: ['AI agents'],
    auth: 'admin',
    responses: { 200: { description: 'Agents with their effective settings', schema: z.object({ agents: z.array(agentResponse) }) } },
  },
  {
    method: 'get',
    path: '/v1/agents/{agentId}',
    operationId: 'getAgent',
    summary: 'An AI agent and its settings',
    description: 'Settings are returned complete, defaults included. Admin tokens also see the agent’s active tokens (prefixes only).',
    tags: ['AI agents'],
    auth: 'agent',
    params: agentParams,
    responses: {
      200: {
        description: 'The agent',
        schema: agentResponse.extend({
          tokens: z
            .array(z.object({ id: z.string(), prefix: z.string(), label: z.string(), created_at: z.string(), last_used_at: z.string().nullable() }))
            .optional(),
        }),
      },
    },
    errors: { not_found: 'No such agent, or the token belongs to another agent' },
  },
  {
    method: 'patch',
    path: '/v1/agents/{agentId}',
    operationId: 'updateAgent',
    summary: 'Rename an agent or change its settings',
    description: 'Top-level settings keys replace the stored ones; `null` resets a key to its default. The result is validated as a whole.',
    tags: ['AI agents'],
    auth: 'admin',
    params: agentParams,
    body: updateAgentBody,
    bodyExample: { settings: { thresholds: { answer: 0.8, escalate: 0.45 }, session_ttl_minutes: 60 } },
    responses: { 200: { description: 'The agent as stored', schema: agentResponse } },
    errors: { not_found: 'No such agent', unsupported_media_type: 'The body is not JSON' },
  },
  {
    method: 'delete',
    path: '/v1/agents/{agentId}',
    operationId: 'deleteAgent',
    summary: 'Delete an agent, its tokens and its conversations',
    tags: ['AI agents'],
    auth: 'admin',
    params: agentParams,
    responses: { 204: { description: 'Deleted' } },
    errors: { not_found: 'No such agent' },
  },
  {
    method: 'post',
    path: '/v1/agents/{agentId}/tokens',
    operationId: 'issueAgentToken',
    summary: 'Issue another access token for an agent',
    description: 'For rotation: issue a new token, switch the integration over, then revoke the old one.',
    tags: ['AI agents'],
    auth: 'admin',
    params: agentParams,
    body: issueTokenBody,
    responses: { 201: { description: 'The token, shown once', schema: tokenResponse } },
    errors: { not_found: 'No such agent', unsupported_media_type: 'The body is not JSON' },
  },
  {
    method: 'delete',
    path: '/v1/agents/{agentId}/tokens/{tokenId}',
    operationId: 'revokeAgentToken',
    summary: 'Revoke an agent token',
    tags: ['AI agents'],
    auth: 'admin',
    params: agentParams.extend({ tokenId: z.string() }),
    responses: { 204: { description: 'Revoked: the token stops working at once' } },
    errors: { not_found: 'No such agent, or no active token with this id for it' },
  },
];
