import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { AgentReply } from '@relai/answering';
import { agentReply } from '@relai/answering/testing';
import { createLogger, SecretBox } from '@relai/config';
import { ConversationStore, type Session, type SessionKey } from '@relai/conversations';
import { openTestDatabase, type TestDatabase } from '@relai/db/testing';
import { InProcessQueue } from '@relai/queue';
import { createAgent, createTenant } from '@relai/tenants';
import { ChannelStore } from '../channel-store';
import { deliverOutboxEvent, sweepOutbox, type OutboxServices } from './delivery';
import { getDelivery, retryFailedDelivery } from './delivery-log';
import { FakeReceiver } from './integration-receiver.fake';
import { deliverOutboxJob } from './jobs';
import { AgentEventOutbox, findIntegrationChannel, publishAgentEvents } from './outbox';

/**
 * The outbox on a real embedded Postgres, delivering to a local receiver: the conversation store's
 * transactions write the events, the in-process queue runs the delivery jobs, and the clock is moved
 * by hand so that retries after backoff happen without waiting.
 */

const SECRET = 'whsec_0123456789abcdef0123';
const logger = createLogger('silent');

let handle: TestDatabase;
let receiver: FakeReceiver;
let queue: InProcessQueue;
let channels: ChannelStore;
let conversations: ConversationStore;
let services: OutboxServices;
let tenantId: string;
let clockOffsetMs = 0;

beforeAll(async () => {
  handle = await openTestDatabase(inject('pgliteTemplateDir'));
  const tenant = await createTenant(handle.db, 'Facturo');
  tenantId = tenant.id;
  await createAgent(handle.db, { tenantId, id: 'support', name: 'Support' });
  channels = new ChannelStore(handle.db, new SecretBox('s'.repeat(40)));
  conversations = new ConversationStore(handle.db);
  receiver = await FakeReceiver.start();
  queue = new InProcessQueue(1);
  services = {
    db: handle.db,
    channels,
    queue,
    logger,
    // random 0: the shortest backoff of each step (8 s, 24 s, 72 s...).
    http: { random: () => 0 },
    now: () => new Date(Date.now() + clockOffsetMs),
  };
  queue.process(deliverOutboxJob, async (payload) => {
    await deliverOutboxEvent(services, payload.eventId);
  });
  await queue.start();
});

afterAll(async () => {
  await queue?.close(1_000);
  await receiver?.down();
  await handle?.dispose();
});

beforeEach(async () => {
  clockOffsetMs = 0;
  receiver.deliveries.length = 0;
  receiver.answer = () => ({ status: 200 });
  await receiver.up();
  await handle.db.query('DELETE FROM outbox_events');
  await configure({});
});

async function configure(settings: Record<string, unknown>, enabled = true): Promise<void> {
  await channels.put({
    tenantId,
    agentId: 'support',
    platform: 'integration',
    enabled,
    settings: { webhook_url: receiver.url, max_attempts: 6, timeout_ms: 2_000, ...settings },
    secrets: { signing_secret: SECRET },
  });
}

let conversationCount = 0;
const agent = () => ({ tenantId, id: 'support' });

/** Starts a conversation as the conversations API does: events in the store's transaction, jobs after commit. */
async function startConversation(metaData: Record<string, unknown> = {}): Promise<Session> {
  const key: SessionKey = { tenantId, agentId: 'support', externalId: `wa-${++conversationCount}` };
  const outbox = await AgentEventOutbox.forAgent(handle.db, agent());
  const { session } = await conversations.open(key, 120, { metaData }, new Date(), outbox.onSessionOpened);
  await outbox.enqueueDeliveries(queue, logger);
  return session;
}

async function agentReplies(session: Session, reply: AgentReply): Promise<void> {
  const outbox = await AgentEventOutbox.forAgent(handle.db, agent());
  await conversations.addAgentReply(session, reply, 12, new Date(), outbox.onAgentReply(reply));
  await outbox.enqueueDeliveries(queue, logger);
}

const answer = (text: string) => agentReply({ reply: { text, components: [] } });

/** Lets `ms` pass, then runs the sweep and every job it enqueued. */
async function later(ms: number): Promise<number> {
  clockOffsetMs += ms;
  const enqueued = await sweepOutbox(services, services.now!());
  await queue.whenIdle();
  return enqueued;
}

interface EventRow {
  id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
}

async function events(): Promise<EventRow[]> {
  const { rows } = await handle.db.query<EventRow>('SELECT id, event_type, status, attempts, next_attempt_at, last_error FROM outbox_events ORDER BY created_at');
  return rows;
}

async function attemptsOf(eventId: string) {
  const { rows } = await handle.db.query<{ attempt: number; status_code: number | null; error: string | null; duration_ms: number }>(
    'SELECT attempt, status_code, error, duration_ms FROM outbox_attempts WHERE event_id = $1 ORDER BY id',
    [eventId],
  );
  return rows;
}

it('signs every delivery so that the receiver can check it with the shared secret', async () => {
  await configure({ actions: [{ name: 'get_account', on: 'conversation.started', params: ['email'] }] });
  const session = await startConversation({ email: 'camille@example.fr' });
  await queue.whenIdle();

  expect(receiver.deliveries).toHaveLength(1);
  const [delivery] = receiver.deliveries;
  const [event] = await events();
  expect(delivery!.event).toMatchObject({
    id: event!.id,
    type: 'action.triggered',
    agent_id: 'support',
    conversation_id: session.externalId,
    session: 1,
    data: { name: 'get_account', on: 'conversation.started', params: { email: 'camille@example.fr' } },
  });
  expect(delivery!.headers).toMatchObject({
    'content-type': 'application/json',
    'x-relai-event-id': event!.id,
    'x-relai-event-type': 'action.triggered',
    'x-relai-delivery-attempt': '1',
  });
  const signature = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(delivery!.headers['x-relai-signature']));
  expect(signature).not.toBeNull();
  const [, timestamp, hex] = signature!;
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
  const expected = crypto.createHmac('sha256', SECRET).update(`${timestamp}.${delivery!.rawBody}`).digest('hex');
  expect(hex).toBe(expected);
  const forged = crypto.createHmac('sha256', 'another-secret-of-some-length').update(`${timestamp}.${delivery!.rawBody}`).digest('hex');
  expect(hex).not.toBe(forged);
  expect(event).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
});

it('keeps the event while the receiver is down (connection refused, then 500), retries after backoff, and delivers it once back', async () => {
  const session = await startConversation();
  await receiver.down();
  await agentReplies(session, answer('Voici comment faire.'));
  await queue.whenIdle();

  const [event] = await events();
  expect(event).toMatchObject({ event_type: 'agent.message', status: 'pending', attempts: 1, last_error: expect.stringContaining('ECONNREFUSED') });
  const firstDelay = event!.next_attempt_at.getTime() - Date.now();
  expect(firstDelay).toBeGreaterThan(7_000);
  expect(firstDelay).toBeLessThanOrEqual(8_000);

  // Not due yet: the sweep leaves it alone.
  expect(await later(5_000)).toBe(0);
  expect(await later(3_000)).toBe(1);
  expect((await events())[0]).toMatchObject({ status: 'pending', attempts: 2 });

  await receiver.up();
  receiver.answer = () => ({ status: 500, json: { error: 'database unavailable' } });
  await later(24_000);
  expect((await events())[0]).toMatchObject({ status: 'pending', attempts: 3, last_error: 'HTTP 500: {"error":"database unavailable"}' });

  receiver.answer = () => ({ status: 204 });
  await later(72_000);
  expect((await events())[0]).toMatchObject({ status: 'delivered', attempts: 4, last_error: null });
  expect(receiver.deliveries.map((delivery) => delivery.headers['x-relai-delivery-attempt'])).toEqual(['3', '4']);
  expect(receiver.deliveries[1]!.event).toMatchObject({ type: 'agent.message', data: { text: 'Voici comment faire.', action: 'answer' } });

  const log = await attemptsOf(event!.id);
  expect(log.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([[1, null], [2, null], [3, 500], [4, 204]]);
  expect(log[0]!.error).toMatch(/^network error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  expect(log.every((attempt) => attempt.duration_ms >= 0)).toBe(true);
});

it('fails an attempt that the receiver does not answer within timeout_ms', async () => {
  await configure({ timeout_ms: 200 });
  receiver.answer = () => 'hang';
  await agentReplies(await startConversation(), answer('…'));
  await queue.whenIdle();
  const [event] = await events();
  expect(event).toMatchObject({ status: 'pending', attempts: 1, last_error: 'timed out after 200 ms' });
  expect(await attemptsOf(event!.id)).toEqual([expect.objectContaining({ status_code: null, error: 'timed out after 200 ms' })]);
});

it('stores the data the receiver returns for an action into the session params, for later actions', async () => {
  await configure({
    actions: [
      { name: 'get_account', on: 'conversation.started', params: ['email'] },
      { name: 'tag_resolved', on: 'answer', params: ['crm_id'] },
    ],
  });
  receiver.answer = (delivery) =>
    delivery.event.data.name === 'get_account' ? { status: 200, json: { data: { crm_id: 'ACME-42', tier: 'gold' } } } : { status: 200, json: {} };
  const session = await startConversation({ email: 'camille@example.fr' });
  await queue.whenIdle();
  const stored = await conversations.latest({ tenantId, agentId: 'support', externalId: session.externalId });
  expect(stored!.params).toEqual({ email: 'camille@example.fr', crm_id: 'ACME-42', tier: 'gold' });

  await agentReplies(stored!, answer('Voilà.'));
  await queue.whenIdle();
  expect(receiver.ofType('action.triggered').map((delivery) => delivery.event.data)).toEqual([
    { name: 'get_account', on: 'conversation.started', params: { email: 'camille@example.fr' } },
    { name: 'tag_resolved', on: 'answer', params: { crm_id: 'ACME-42' } },
  ]);
});

it('ignores a response that is not {"data": {...}} without failing the delivery', async () => {
  await configure({ actions: [{ name: 'get_account', on: 'conversation.started' }] });
  receiver.answer = () => ({ status: 200, json: { data: 'not an object' } });
  const session = await startConversation({ plan: 'pro' });
  await queue.whenIdle();
  expect((await events())[0]).toMatchObject({ status: 'delivered' });
  expect((await conversations.latest({ tenantId, agentId: 'support', externalId: session.externalId }))!.params).toEqual({ plan: 'pro' });
});

it('delivers the events of a conversation in order: a later one waits while an earlier one is retried', async () => {
  const first = await startConversation();
  const other = await startConversation();
  let refusals = 1;
  receiver.answer = (delivery) => (delivery.event.data.text === 'un' && refusals-- > 0 ? { status: 503 } : { status: 200 });
  await agentReplies(first, answer('un'));
  await agentReplies(first, answer('deux'));
  await agentReplies(other, answer('autre'));
  await queue.whenIdle();

  const [one, two, another] = await events();
  expect([one, two, another].map((event) => [event!.status, event!.attempts])).toEqual([
    ['pending', 1],
    ['pending', 0],
    ['delivered', 1],
  ]);

  await later(8_000);
  expect((await events()).map((event) => event.status)).toEqual(['delivered', 'delivered', 'delivered']);
  const ofFirst = receiver.deliveries.filter((delivery) => delivery.event.conversation_id === first.externalId);
  expect(ofFirst.map((delivery) => [delivery.event.data.text, delivery.headers['x-relai-delivery-attempt']])).toEqual([
    ['un', '1'],
    ['un', '2'],
    ['deux', '1'],
  ]);
});

it('marks an event failed after max_attempts, lets the next one go, and delivers it again on a manual retry', async () => {
  await configure({ max_attempts: 2 });
  const session = await startConversation();
  receiver.answer = (delivery) => (delivery.event.data.text === 'perdu' ? { status: 410, json: { error: 'gone' } } : { status: 200 });
  await agentReplies(session, answer('perdu'));
  await agentReplies(session, answer('suivant'));
  await queue.whenIdle();
  await later(8_000);

  const [failed, next] = await events();
  expect(failed).toMatchObject({ status: 'failed', attempts: 2, last_error: 'HTTP 410: {"error":"gone"}' });
  expect(next).toMatchObject({ status: 'delivered', attempts: 1 });
  expect((await attemptsOf(failed!.id)).map((attempt) => attempt.status_code)).toEqual([410, 410]);
  // Nothing left to retry on its own.
  expect(await later(3_600_000)).toBe(0);

  receiver.answer = () => ({ status: 200 });
  const channel = (await findIntegrationChannel(handle.db, agent()))!;
  expect(await retryFailedDelivery(handle.db, channel.id, next!.id, services.now!())).toBe('not_failed');
  expect(await retryFailedDelivery(handle.db, channel.id, failed!.id, services.now!())).toMatchObject({ status: 'pending', attempts: 0 });
  await later(0);
  const detail = await getDelivery(handle.db, channel.id, failed!.id);
  expect(detail).toMatchObject({ status: 'delivered', attempts: 1, type: 'agent.message', payload: { data: { text: 'perdu' } } });
  expect(detail!.attempt_log.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([[1, 410], [2, 410], [1, 200]]);
});

describe('exactly one delivery per event', () => {
  async function publishWithoutJob(): Promise<string> {
    const session = await startConversation();
    const channel = (await findIntegrationChannel(handle.db, agent()))!;
    const [eventId] = await handle.db.transaction((tx) =>
      publishAgentEvents(tx, { channel, session, change: { type: 'agent.replied', reply: answer('une fois'), messageId: '1' } }),
    );
    return eventId!;
  }

  it('does not deliver twice when jobs for one event are enqueued twice or run at once', async () => {
    const eventId = await publishWithoutJob();
    await queue.enqueue(deliverOutboxJob, { eventId });
    await queue.enqueue(deliverOutboxJob, { eventId });
    await Promise.all([deliverOutboxEvent(services, eventId), deliverOutboxEvent(services, eventId)]);
    await queue.whenIdle();
    expect(receiver.deliveries).toHaveLength(1);
    expect(await attemptsOf(eventId)).toHaveLength(1);
    expect((await events())[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await deliverOutboxEvent(services, eventId)).toEqual({ status: 'skipped', reason: 'already settled' });
  });

  it('delivers from the sweep an event whose job was never enqueued (a crash right after commit)', async () => {
    const eventId = await publishWithoutJob();
    await queue.whenIdle();
    expect(receiver.deliveries).toHaveLength(0);
    expect(await later(0)).toBe(1);
    expect(receiver.deliveries.map((delivery) => delivery.event.id)).toEqual([eventId]);
  });

  it('writes no event when the transaction that stores the change rolls back', async () => {
    const session = await startConversation();
    const channel = (await findIntegrationChannel(handle.db, agent()))!;
    await expect(
      handle.db.transaction(async (tx) => {
        await publishAgentEvents(tx, { channel, session, change: { type: 'agent.replied', reply: answer('jamais'), messageId: '1' } });
        throw new Error('the reply could not be stored');
      }),
    ).rejects.toThrow('the reply could not be stored');
    expect(await events()).toEqual([]);
  });
});

it('publishes nothing while the channel is paused', async () => {
  await configure({ actions: [{ name: 'get_account', on: 'conversation.started' }] }, false);
  await agentReplies(await startConversation(), answer('…'));
  expect(await events()).toEqual([]);
});
