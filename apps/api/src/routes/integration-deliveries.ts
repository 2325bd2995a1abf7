import { Hono } from 'hono';
import { z } from 'zod';
import { deliverOutboxJob, deliveryDedupeKey, getDelivery, listDeliveries, retryFailedDelivery } from '@relai/channels';
import type { Agent } from '@relai/tenants';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { requireAdmin, requireAgentAccess, requireToken } from '../middleware/auth';
import type { Operation } from '../openapi/operation';
import { parseWith } from '../validation';

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const deliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  /** The platform's conversation id. */
  conversation_id: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const eventIdParam = z.uuid({ message: 'expected an event id (a UUID)' });

/**
 * The integration channel's delivery log (admin): which agent events reached the integration's
 * webhook, which are waiting for a retry and why, and a manual retry for those that failed for good.
 */
export function integrationDeliveryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const adminOfAgent = [requireToken(deps.db), requireAdmin, requireAgentAccess(deps.db)] as const;
  const channelOf = async (agent: Agent) => {
    const channel = await deps.channels.store.get(agent.tenantId, agent.id, 'integration');
    if (!channel) throw new ApiError('not_found', `Agent "${agent.id}" has no integration channel`);
    return channel;
  };

  app.get('/v1/agents/:agentId/channels/integration/deliveries', ...adminOfAgent, async (c) => {
    const query = parseWith(deliveriesQuery, c.req.query());
    const channel = await channelOf(c.get('agent'));
    const deliveries = await listDeliveries(deps.db, channel.id, { status: query.status, conversationId: query.conversation_id, limit: query.limit });
    return c.json({ deliveries });
  });

  app.get('/v1/agents/:agentId/channels/integration/deliveries/:eventId', ...adminOfAgent, async (c) => {
    const eventId = parseWith(eventIdParam, c.req.param('eventId'));
    const channel = await channelOf(c.get('agent'));
    const delivery = await getDelivery(deps.db, channel.id, eventId);
    if (!delivery) throw new ApiError('not_found', `No event "${eventId}" for this channel`);
    return c.json(delivery);
  });

  app.post('/v1/agents/:agentId/channels/integration/deliveries/:eventId/retry', ...adminOfAgent, async (c) => {
    const eventId = parseWith(eventIdParam, c.req.param('eventId'));
    const channel = await channelOf(c.get('agent'));
    const retried = await retryFailedDelivery(deps.db, channel.id, eventId, new Date());
    if (retried === 'not_found') throw new ApiError('not_found', `No event "${eventId}" for this channel`);
    if (retried === 'not_failed') throw new ApiError('conflict', 'Only a failed event can be retried: a pending one is retried on its schedule, a delivered one is not sent again');
    // If the queue is down, the outbox sweep picks the event up: it is already due.
    await deps.queue.enqueue(deliverOutboxJob, { eventId }, { dedupeKey: deliveryDedupeKey(eventId) }).catch((error: unknown) => {
      deps.logger.warn('retried event not enqueued; the outbox sweep will deliver it', { eventId, error });
    });
    return c.json({ delivery: retried }, 202);
  });

  return app;
}

const deliveryView = z.object({
  id: z.uuid().meta({ description: 'The event id, also sent as X-Relai-Event-Id' }),
  type: z.enum(['agent.message', 'action.triggered', 'escalation.requested']),
  conversation_id: z.string().meta({ description: 'The platform’s conversation id' }),
  session: z.number().int(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().meta({ description: 'Attempts in the current series (a manual retry starts a new one)' }),
  next_attempt_at: z.string().nullable().meta({ description: 'Pending events: when the next attempt is due' }),
  last_error: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});

const deliveryDetailView = deliveryView.extend({
  payload: z.record(z.string(), z.unknown()).meta({ description: 'The JSON body as delivered' }),
  attempt_log: z.array(
    z.object({
      attempt: z.number().int(),
      status_code: z.number().int().nullable().meta({ description: 'Null when no response came back (connection refused, timeout)' }),
      error: z.string().nullable(),
      duration_ms: z.number().int(),
      attempted_at: z.string(),
    }),
  ),
});

const deliveryParams = z.object({ agentId: z.string(), eventId: eventIdParam });

export const integrationDeliveryOperations: Operation[] = [
  {
    method: 'get',
    path: '/v1/agents/{agentId}/channels/integration/deliveries',
    operationId: 'listIntegrationDeliveries',
    summary: 'The integration’s delivery log: latest agent events and their status',
    description:
      'Newest first. A pending event is retried with backoff (10 s, 30 s, 1.5 min… up to 1 h) until `max_attempts`, then marked failed; ' +
      'the events of one conversation are delivered in order.',
    tags: ['Channels'],
    auth: 'admin',
    params: z.object({ agentId: z.string() }),
    query: deliveriesQuery,
    responses: { 200: { description: 'Events', schema: z.object({ deliveries: z.array(deliveryView) }) } },
    errors: { not_found: 'No such agent, or it has no integration channel' },
  },
  {
    method: 'get',
    path: '/v1/agents/{agentId}/channels/integration/deliveries/{eventId}',
    operationId: 'getIntegrationDelivery',
    summary: 'One agent event with its body and every delivery attempt',
    tags: ['Channels'],
    auth: 'admin',
    params: deliveryParams,
    responses: { 200: { description: 'The event', schema: deliveryDetailView } },
    errors: { not_found: 'No such agent, channel or event' },
  },
  {
    method: 'post',
    path: '/v1/agents/{agentId}/channels/integration/deliveries/{eventId}/retry',
    operationId: 'retryIntegrationDelivery',
    summary: 'Retry a failed agent event',
    description: 'Starts a new series of attempts at once. Later events of the same conversation were not held back by the failed one.',
    tags: ['Channels'],
    auth: 'admin',
    params: deliveryParams,
    responses: { 202: { description: 'Queued for delivery', schema: z.object({ delivery: deliveryView }) } },
    errors: { not_found: 'No such agent, channel or event', conflict: 'The event is not failed (pending or delivered)' },
  },
];
