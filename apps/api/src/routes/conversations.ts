import { Hono } from 'hono';
import { z } from 'zod';
import { parseAgentSettings } from '@relai/answering';
import { AgentEventOutbox } from '@relai/channels';
import { conversationFor, type SessionKey } from '@relai/conversations';
import type { Agent } from '@relai/tenants';
import type { AppDeps, AppEnv } from '../context';
import { recordDecision } from '../conversations/record-decision';
import { agentReplyView, messageView, metaDataSchema, sessionView, userProfileSchema, viewMessage, viewReply, viewSession } from '../conversations/views';
import { ApiError } from '../errors';
import type { Operation } from '../openapi/operation';
import { requireAgentAccess, requireToken } from '../middleware/auth';
import { parseWith, readJson } from '../validation';

/** The platform's conversation id: any printable text, as platforms shape ids their own way. */
export const conversationIdParam = z.string().min(1).max(200).regex(/^[^\s\p{Cc}]+$/u, 'expected a conversation id without spaces or control characters');

export const startConversationBody = z.object({
  conversation_id: conversationIdParam,
  user: userProfileSchema.optional(),
  meta_data: metaDataSchema.optional(),
});

export const customerMessageBody = z.object({
  text: z.string().trim().min(1, 'expected a non-empty message').max(4000),
  user: userProfileSchema.optional(),
  meta_data: metaDataSchema.optional(),
});

/**
 * Sessions by the platform's conversation id (seed 002): start (or resume), converse, end. Every
 * customer message gets a structured decision, stored with its features for audit and metrics.
 */
export function conversationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const access = [requireToken(deps.db), requireAgentAccess(deps.db)] as const;
  const keyOf = (agent: Agent, conversationId: string): SessionKey => ({
    tenantId: agent.tenantId,
    agentId: agent.id,
    externalId: parseWith(conversationIdParam, conversationId),
  });

  app.post('/v1/agents/:agentId/conversations', ...access, async (c) => {
    const agent = c.get('agent');
    const body = await readJson(c, startConversationBody, { stripNul: true });
    const settings = parseAgentSettings(agent.settings);
    const events = await AgentEventOutbox.forAgent(deps.db, agent);
    const { session, resumed } = await deps.conversations.open(
      keyOf(agent, body.conversation_id),
      settings.session_ttl_minutes,
      { user: body.user, metaData: body.meta_data },
      new Date(),
      events.onSessionOpened,
    );
    await events.enqueueDeliveries(deps.queue, deps.logger);
    return c.json({ conversation: viewSession(session), resumed }, resumed ? 200 : 201);
  });

  app.post('/v1/agents/:agentId/conversations/:conversationId/messages', ...access, async (c) => {
    const agent = c.get('agent');
    const key = keyOf(agent, c.req.param('conversationId'));
    const body = await readJson(c, customerMessageBody, { stripNul: true });
    const settings = parseAgentSettings(agent.settings);
    const startedAt = performance.now();
    // The integration's agent events are written in the transactions that store the session and the reply.
    const events = await AgentEventOutbox.forAgent(deps.db, agent);
    const { session, newSession, messages } = await deps.conversations.addCustomerMessage(
      key,
      settings.session_ttl_minutes,
      body.text,
      { user: body.user, metaData: body.meta_data },
      new Date(),
      events.onSessionOpened,
    );
    const { turns, priorDecisions } = conversationFor(messages);
    const reply = await deps.answers.answer({
      tenantId: agent.tenantId,
      settings,
      turns,
      priorDecisions,
      user: session.userProfile,
      handedOver: session.status === 'escalated',
    });
    const latencyMs = performance.now() - startedAt;
    const stored = await deps.conversations.addAgentReply(session, reply, latencyMs, new Date(), events.onAgentReply(reply));
    await events.enqueueDeliveries(deps.queue, deps.logger);
    recordDecision(deps.metrics, agent.id, reply, latencyMs);
    return c.json({ conversation: viewSession(stored.session), new_session: newSession, message_id: stored.messageId, ...viewReply(reply) });
  });

  app.post('/v1/agents/:agentId/conversations/:conversationId/end', ...access, async (c) => {
    const agent = c.get('agent');
    const key = keyOf(agent, c.req.param('conversationId'));
    const events = await AgentEventOutbox.forAgent(deps.db, agent);
    const session = await deps.conversations.end(key, new Date(), events.onSessionEnded);
    await events.enqueueDeliveries(deps.queue, deps.logger);
    if (!session) throw new ApiError('not_found', `No conversation "${key.externalId}" for agent "${agent.id}"`);
    return c.json({ conversation: viewSession(session) });
  });

  app.get('/v1/agents/:agentId/conversations/:conversationId', ...access, async (c) => {
    const agent = c.get('agent');
    const key = keyOf(agent, c.req.param('conversationId'));
    const session = await deps.conversations.latest(key);
    if (!session) throw new ApiError('not_found', `No conversation "${key.externalId}" for agent "${agent.id}"`);
    const messages = await deps.conversations.messages(session);
    return c.json({ conversation: viewSession(session), messages: messages.map(viewMessage) });
  });

  return app;
}

const conversationParams = z.object({
  agentId: z.string().meta({ description: 'The AI agent’s id' }),
  conversationId: conversationIdParam.meta({ description: 'The platform’s conversation id' }),
});
const conversationErrors = { not_found: 'No such agent (or the token belongs to another agent)', unsupported_media_type: 'The body is not JSON' } as const;

export const conversationOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/agents/{agentId}/conversations',
    operationId: 'startConversation',
    summary: 'Start (or resume) a conversation',
    description:
      'By the platform’s conversation id: an id whose session is alive (default: 2 h after its last message) is resumed (200); ' +
      'otherwise a new session starts under the same id (201). `user` and `meta_data` are stored on the session.',
    tags: ['Conversations'],
    auth: 'agent',
    params: z.object({ agentId: conversationParams.shape.agentId }),
    body: startConversationBody,
    bodyExample: { conversation_id: 'intercom-215470', user: { name: 'Camille Martin', email: 'camille@example.fr', segments: ['Pro'] }, meta_data: { plan: 'pro' } },
    responses: {
      201: { description: 'A new session', schema: z.object({ conversation: sessionView, resumed: z.literal(false) }) },
      200: { description: 'The alive session, resumed', schema: z.object({ conversation: sessionView, resumed: z.literal(true) }) },
    },
    errors: conversationErrors,
  },
  {
    method: 'post',
    path: '/v1/agents/{agentId}/conversations/{conversationId}/messages',
    operationId: 'sendMessage',
    summary: 'Send a customer message; get the agent’s decision',
    description:
      'Records the message in the alive session (a message after `end` or after expiry starts a new session under the same id) and ' +
      'answers with a structured decision: `action` is `answer`, `suggest` (a proposed answer for a human), `clarify` (numbered options), ' +
      '`escalate` (with the team and a handoff note) or `ignore` (a human has the conversation, or a rule says so). Switch on `action`, never on the text.',
    tags: ['Conversations'],
    auth: 'agent',
    params: conversationParams,
    body: customerMessageBody,
    bodyExample: { text: 'Comment réinitialiser mon mot de passe ?', user: { name: 'Camille Martin' } },
    responses: {
      200: {
        description: 'The agent’s decision and reply',
        schema: agentReplyView.extend({ conversation: sessionView, new_session: z.boolean(), message_id: z.string() }),
      },
    },
    errors: conversationErrors,
  },
  {
    method: 'post',
    path: '/v1/agents/{agentId}/conversations/{conversationId}/end',
    operationId: 'endConversation',
    summary: 'End a conversation',
    description: 'Ends the current session; the next message under this id starts a new one. Ending an ended conversation is a no-op.',
    tags: ['Conversations'],
    auth: 'agent',
    params: conversationParams,
    responses: { 200: { description: 'The ended session', schema: z.object({ conversation: sessionView }) } },
    errors: { not_found: 'No such agent, or no conversation with this id' },
  },
  {
    method: 'get',
    path: '/v1/agents/{agentId}/conversations/{conversationId}',
    operationId: 'getConversation',
    summary: 'The latest session of a conversation, with every message and decision',
    tags: ['Conversations'],
    auth: 'agent',
    params: conversationParams,
    responses: { 200: { description: 'The session and its messages', schema: z.object({ conversation: sessionView, messages: z.array(messageView) }) } },
    errors: { not_found: 'No such agent, or no conversation with this id' },
  },
];
