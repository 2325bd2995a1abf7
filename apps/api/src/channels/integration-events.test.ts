import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { deliverOutboxEvent, deliverOutboxJob, publishExpiredSessions, sweepOutbox, type OutboxServices } from '@relai/channels';
import { FakeReceiver } from '@relai/channels/testing';
import { integrationDeliveryOperations, integrationDeliveryRoutes } from '../routes/integration-deliveries';
import { startChannelHarness, type ChannelHarness } from '../testing/channel-harness';
import { verifyRelaiSignature } from '../webhooks/signatures';

/**
 * An integration (a WhatsApp bridge) calls the conversations API and receives agent events on its
 * webhook: the real app and the outbox delivery job in one process, the sample help center synced,
 * a local receiver standing in for the integration, and a clock moved by hand for retries.
 */

const SECRET = 'whsec_bridge_0123456789abcdef';

let h: ChannelHarness;
let receiver: FakeReceiver;
let services: OutboxServices;
let clockOffsetMs = 0;

beforeAll(async () => {
  h = await startChannelHarness(inject('pgliteTemplateDir'));
  // Mounted as app.ts mounts it.
  h.t.app.route('/', integrationDeliveryRoutes(h.t.deps));
  receiver = await FakeReceiver.start();
  services = { ...h.services, queue: h.t.deps.queue, now: () => new Date(Date.now() + clockOffsetMs) };
  h.t.deps.queue.process(deliverOutboxJob, async (payload) => {
    await deliverOutboxEvent(services, payload.eventId);
  });
  const teams = await admin('PATCH', '/v1/agents/support', {
    settings: { teams: [{ id: 'support', name: 'Support', external_id: 'lp-skill-12' }], default_team: 'support' },
  });
  expect(teams.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await receiver?.down();
  await h?.dispose();
});

beforeEach(async () => {
  receiver.deliveries.length = 0;
  receiver.answer = () => ({ status: 200 });
  await receiver.up();
  await h.t.handle.db.query('DELETE FROM outbox_events');
  expect((await connect({})).status).toBeLessThan(300);
});

function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return Promise.resolve(
    h.t.app.request(path, {
      method,
      headers: { authorization: `Bearer ${h.t.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

function connect(settings: Record<string, unknown>): Promise<Response> {
  return admin('PUT', '/v1/agents/support/channels/integration', {
    settings: { webhook_url: receiver.url, timeout_ms: 2_000, ...settings },
    secrets: { signing_secret: SECRET },
  });
}

async function agentApi(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await h.t.app.request(`/v1/agents/support${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.t.agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

let conversationCount = 0;
const newConversation = () => `whatsapp-3361234${++conversationCount}`;

async function say(conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<any> {
  const { status, json } = await agentApi(`/conversations/${conversationId}/messages`, { text, ...extra });
  expect(status).toBe(200);
  return json;
}

/** The body, checked against the operation's documented response schema. */
async function documented(operationId: string, response: Response): Promise<any> {
  const operation = integrationDeliveryOperations.find((candidate) => candidate.operationId === operationId)!;
  const schema = operation.responses[response.status]?.schema;
  expect(schema, `${operationId} answered ${response.status}, which it does not document`).toBeDefined();
  const body = await response.json();
  expect(schema!.safeParse(body).error?.issues ?? []).toEqual([]);
  return body;
}

/** Lets `ms` pass, then runs the outbox sweep and the jobs it enqueued. */
async function later(ms: number): Promise<void> {
  clockOffsetMs += ms;
  await sweepOutbox(services, services.now!());
  await h.runJobs();
}

describe('connecting the integration', () => {
  it('validates the webhook URL and actions, never returns the secret, and has no inbound webhook', async () => {
    const insecure = await connect({ webhook_url: 'http://bridge.example.com/relai' });
    expect(insecure.status).toBe(400);
    expect(await insecure.text()).toContain('settings.webhook_url');
    expect((await connect({ actions: [{ name: 'get_account', on: 'message.received' }] })).status).toBe(400);

    const connected = await connect({ actions: [{ name: 'get_account', on: 'conversation.started', params: ['email'] }] });
    expect(connected.status).toBe(200);
    expect(await connected.json()).toMatchObject({ platform: 'integration', enabled: true, secrets: { signing_secret: '********' }, webhook_url: null });
    const inbound = await h.deliver('integration', '{}', {});
    expect(inbound.status).toBe(404);
  });
});

describe('agent events', () => {
  it('posts a signed agent.message for every reply, with the article links as buttons, and nothing while a human has the conversation', async () => {
    const id = newConversation();
    const answered = await say(id, 'Comment réinitialiser mon mot de passe ?');
    expect(answered.action).toBe('answer');
    await h.runJobs();

    const [message] = receiver.ofType('agent.message');
    expect(message!.event).toMatchObject({
      type: 'agent.message',
      agent_id: 'support',
      conversation_id: id,
      session: 1,
      data: {
        message_id: answered.message_id,
        action: 'answer',
        text: answered.reply.text,
        language: 'fr',
        buttons: [expect.objectContaining({ article_id: 'fr-1001', url: expect.stringContaining('https://help.facturo.example/') })],
        citations: [expect.objectContaining({ article_id: 'fr-1001' })],
      },
    });
    expect(verifyRelaiSignature(SECRET, String(message!.headers['x-relai-signature']), Buffer.from(message!.rawBody))).toEqual({ ok: true });
    expect(verifyRelaiSignature('a-different-secret-entirely', String(message!.headers['x-relai-signature']), Buffer.from(message!.rawBody)).ok).toBe(false);

    expect((await say(id, 'Je veux parler à un conseiller')).action).toBe('escalate');
    expect((await say(id, 'Allô ?')).action).toBe('ignore');
    await h.runJobs();
    expect(receiver.ofType('agent.message').map((delivery) => delivery.event.data.action)).toEqual(['answer', 'escalate']);
  });

  it('requests the escalation after the message and the escalation actions, with the team to escalate to and the handoff note', async () => {
    expect((await connect({ actions: [{ name: 'tag_handoff', on: 'escalation', params: ['plan'] }] })).status).toBe(200);
    const id = newConversation();
    await say(id, 'Je veux parler à un conseiller', { user: { name: 'Camille Martin' }, meta_data: { plan: 'pro' } });
    await h.runJobs();

    expect(receiver.deliveries.map((delivery) => delivery.event.type)).toEqual(['agent.message', 'action.triggered', 'escalation.requested']);
    expect(receiver.deliveries[1]!.event.data).toEqual({ name: 'tag_handoff', on: 'escalation', params: { plan: 'pro' } });
    const escalation = receiver.deliveries[2]!.event;
    expect(escalation).toMatchObject({
      conversation_id: id,
      data: {
        escalateTo: { id: 'support', name: 'Support', external_id: 'lp-skill-12' },
        reason: 'requested_human',
        reason_text: 'Le client a demandé à parler à un humain.',
        note: { last_question: 'Je veux parler à un conseiller', user_profile: { name: 'Camille Martin' } },
      },
    });
    expect(escalation.data.note.text).toContain('Camille Martin');
  });

  it('stores what the integration answers to an action in the session, shown as meta_data on the next message', async () => {
    expect(
      (
        await connect({
          actions: [
            { name: 'get_account', on: 'conversation.started', params: ['email'] },
            { name: 'close_ticket', on: 'conversation.ended', params: ['crm_id'] },
          ],
        })
      ).status,
    ).toBe(200);
    receiver.answer = (delivery) => (delivery.event.data.name === 'get_account' ? { status: 200, json: { data: { crm_id: 'ACME-42', tier: 'gold' } } } : { status: 200 });
    const id = newConversation();
    const started = await agentApi('/conversations', { conversation_id: id, meta_data: { email: 'camille@example.fr' } });
    expect(started.status).toBe(201);
    await h.runJobs();
    expect(receiver.deliveries[0]!.event.data).toEqual({ name: 'get_account', on: 'conversation.started', params: { email: 'camille@example.fr' } });

    const next = await say(id, 'Comment exporter mes factures ?');
    expect(next.conversation.meta_data).toEqual({ email: 'camille@example.fr', crm_id: 'ACME-42', tier: 'gold' });

    expect((await agentApi(`/conversations/${id}/end`, {})).status).toBe(200);
    // Ending an ended conversation publishes nothing more.
    expect((await agentApi(`/conversations/${id}/end`, {})).status).toBe(200);
    await h.runJobs();
    expect(receiver.ofType('action.triggered').map((delivery) => delivery.event.data)).toEqual([
      { name: 'get_account', on: 'conversation.started', params: { email: 'camille@example.fr' } },
      { name: 'close_ticket', on: 'conversation.ended', params: { crm_id: 'ACME-42' } },
    ]);
  });
  it('tells the integration when a session ends by running out of time', async () => {
    expect((await connect({ actions: [{ name: 'close_ticket', on: 'conversation.ended', params: [] }] })).status).toBe(200);
    const id = newConversation();
    await say(id, 'Comment exporter mes factures ?');
    await h.runJobs();
    await h.t.handle.db.query(`UPDATE conversations SET last_message_at = now() - interval '3 hours' WHERE external_id = $1`, [id]);
    expect(await h.t.deps.conversations.expireIdleSessions(new Date(), publishExpiredSessions)).toBe(1);
    await later(0);
    expect(receiver.ofType('action.triggered').map((delivery) => [delivery.event.conversation_id, delivery.event.data.name])).toEqual([[id, 'close_ticket']]);
  });
});

describe('delivery log', () => {
  it('shows an event waiting while the receiver is down, delivers it when the receiver is back, and retries a failed one on request', async () => {
    await receiver.down();
    const id = newConversation();
    await say(id, 'Comment réinitialiser mon mot de passe ?');
    await h.runJobs();

    const waiting = await admin('GET', '/v1/agents/support/channels/integration/deliveries');
    const [pending] = (await documented('listIntegrationDeliveries', waiting)).deliveries;
    expect(pending).toMatchObject({ type: 'agent.message', conversation_id: id, session: 1, status: 'pending', attempts: 1, last_error: expect.stringContaining('ECONNREFUSED') });
    expect(Date.parse(pending.next_attempt_at) - Date.now()).toBeGreaterThan(5_000);

    await receiver.up();
    await later(10_000);
    const detail = await admin('GET', `/v1/agents/support/channels/integration/deliveries/${pending.id}`);
    expect(await documented('getIntegrationDelivery', detail)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      last_error: null,
      payload: { id: pending.id, type: 'agent.message' },
      attempt_log: [
        { attempt: 1, status_code: null, error: expect.stringContaining('ECONNREFUSED') },
        { attempt: 2, status_code: 200, error: null },
      ],
    });
    expect(receiver.deliveries.map((delivery) => delivery.event.id)).toEqual([pending.id]);

    expect((await connect({ max_attempts: 1 })).status).toBe(200);
    receiver.answer = () => ({ status: 500 });
    await say(id, 'Et pour changer mon adresse e-mail ?');
    await h.runJobs();
    const failedList = await admin('GET', '/v1/agents/support/channels/integration/deliveries?status=failed');
    const [failed] = (await documented('listIntegrationDeliveries', failedList)).deliveries;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 500', next_attempt_at: null });

    receiver.answer = () => ({ status: 200 });
    const retried = await admin('POST', `/v1/agents/support/channels/integration/deliveries/${failed.id}/retry`);
    expect(await documented('retryIntegrationDelivery', retried)).toMatchObject({ delivery: { id: failed.id, status: 'pending', attempts: 0 } });
    await h.runJobs();
    const redelivered = (await (await admin('GET', `/v1/agents/support/channels/integration/deliveries/${failed.id}`)).json()) as { status: string };
    expect(redelivered.status).toBe('delivered');
    expect((await admin('POST', `/v1/agents/support/channels/integration/deliveries/${failed.id}/retry`)).status).toBe(409);
    expect((await admin('POST', '/v1/agents/support/channels/integration/deliveries/4d7f6a52-52a1-4c1e-9a8e-3b1f0c2d9e10/retry')).status).toBe(404);
    const byAgentToken = await h.t.app.request('/v1/agents/support/channels/integration/deliveries', { headers: { authorization: `Bearer ${h.t.agentToken}` } });
    expect(byAgentToken.status).toBe(403);
  });
});
