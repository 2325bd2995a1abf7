import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { AgentReply } from '@relai/answering';
import { agentReply } from '@relai/answering/testing';
import { openTestDatabase, type TestDatabase } from '@relai/db/testing';
import { createAgent, createTenant } from '@relai/tenants';
import { ConversationStore, conversationFor, type SessionKey } from './session-store';
import { agentMetrics } from './metrics-report';

let handle: TestDatabase;
let store: ConversationStore;
let key: SessionKey;
const TTL = 120;
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 21, 9, 0) + minutes * 60_000);

/** An ignored turn has no text, so it is no turn of the conversation. */
const reply = (action: AgentReply['action'], overrides: Partial<AgentReply> = {}) =>
  agentReply({ action, reply: { text: action === 'ignore' ? '' : `reply (${action})`, components: [] }, ...overrides });

beforeEach(async () => {
  handle = await openTestDatabase(inject('pgliteTemplateDir'));
  store = new ConversationStore(handle.db);
  const tenant = await createTenant(handle.db, 'Facturo');
  await createAgent(handle.db, { tenantId: tenant.id, id: 'support', name: 'Support' });
  key = { tenantId: tenant.id, agentId: 'support', externalId: 'conv-1' };
});
afterEach(() => handle.dispose());

describe('ConversationStore', () => {
  it('resumes the alive session of a conversation id and merges the user context', async () => {
    const first = await store.open(key, TTL, { user: { name: 'Ana' }, metaData: { plan: 'pro' } }, at(0));
    expect(first).toMatchObject({ resumed: false, session: { sessionNumber: 1, status: 'active' } });
    const again = await store.open(key, TTL, { user: { email: 'ana@example.com' } }, at(30));
    expect(again.resumed).toBe(true);
    expect(again.session).toMatchObject({ id: first.session.id, userProfile: { name: 'Ana', email: 'ana@example.com' }, params: { plan: 'pro' } });
  });

  it('opens a new session under the same id after the lifetime, and ends the expired one at its expiry', async () => {
    const first = await store.addCustomerMessage(key, TTL, 'Bonjour', {}, at(0));
    const later = await store.addCustomerMessage(key, TTL, 'Toujours là ?', {}, at(TTL + 1));
    expect(later.newSession).toBe(true);
    expect(later.session.sessionNumber).toBe(2);
    expect(later.messages.map((message) => message.text)).toEqual(['Toujours là ?']);
    const { rows } = await handle.db.query<{ status: string; ended_at: Date }>('SELECT status, ended_at FROM conversations WHERE id = $1', [first.session.id]);
    expect(rows[0]).toEqual({ status: 'ended', ended_at: at(TTL) });
  });

  it('starts a new session with a message after end', async () => {
    await store.addCustomerMessage(key, TTL, 'Bonjour', {}, at(0));
    const ended = await store.end(key, at(1));
    expect(ended).toMatchObject({ status: 'ended', sessionNumber: 1 });
    const next = await store.addCustomerMessage(key, TTL, 'Encore une question', {}, at(2));
    expect(next).toMatchObject({ newSession: true, session: { sessionNumber: 2 } });
    expect(await store.end({ ...key, externalId: 'never-seen' })).toBeNull();
  });

  it('hands the session to a human on escalation and keeps it alive', async () => {
    const { session } = await store.addCustomerMessage(key, TTL, 'Je veux un humain', {}, at(0));
    const escalation = { reason: 'requested_human' as const, team: { id: 'billing', name: 'Facturation' }, note: {} as never };
    const stored = await store.addAgentReply(session, reply('escalate', { escalation }), 12, at(0));
    expect(stored.session).toMatchObject({ status: 'escalated', escalation: { reason: 'requested_human', team: 'billing' } });
    const next = await store.addCustomerMessage(key, TTL, 'Allô ?', {}, at(5));
    expect(next).toMatchObject({ newSession: false, session: { status: 'escalated' } });
  });

  it('gives the engine the turns and the options it offered earlier', async () => {
    const { session } = await store.addCustomerMessage(key, TTL, 'Facture', {}, at(0));
    const options = [{ number: 1, label: 'Envoyer une facture', articleId: 'a' }, { number: 2, label: 'Modifier une facture', articleId: 'b' }];
    await store.addAgentReply(session, reply('clarify', { reply: { text: 'Lequel ?', components: [{ type: 'options', options }] } }), 5, at(0));
    await store.addAgentReply(session, reply('ignore'), 5, at(0));
    const { messages } = await store.addCustomerMessage(key, TTL, '2', {}, at(1));
    const { turns, priorDecisions } = conversationFor(messages);
    expect(turns).toEqual([{ role: 'user', text: 'Facture' }, { role: 'agent', text: 'Lequel ?' }, { role: 'user', text: '2' }]);
    expect(priorDecisions.map((decision) => decision.action)).toEqual(['clarify', 'ignore']);
    expect(priorDecisions[0]!.options).toEqual(options);
  });

  it('ends idle sessions in the sweep, with each agent\'s own lifetime', async () => {
    await store.addCustomerMessage(key, TTL, 'Bonjour', {}, at(0));
    await store.addCustomerMessage({ ...key, externalId: 'conv-2' }, TTL, 'Bonjour', {}, at(100));
    expect(await store.expireIdleSessions(at(150))).toBe(1);
    expect((await store.latest(key))?.status).toBe('ended');
    expect((await store.latest({ ...key, externalId: 'conv-2' }))?.status).toBe('active');
  });
});

describe('agentMetrics', () => {
  it('reports resolution, escalation by reason, first response and confidence for a period', async () => {
    const a = await store.addCustomerMessage(key, TTL, 'Comment être remboursé ?', {}, at(0));
    await store.addAgentReply(a.session, reply('answer', { confidence: 0.91 }), 40, new Date(at(0).getTime() + 400));
    const b = await store.addCustomerMessage({ ...key, externalId: 'conv-2' }, TTL, 'Un humain svp', {}, at(10));
    const escalation = { reason: 'requested_human' as const, team: null, note: {} as never };
    await store.addAgentReply(b.session, reply('escalate', { confidence: 0.2, escalation }), 30, new Date(at(10).getTime() + 200));
    await store.addCustomerMessage({ ...key, externalId: 'old' }, TTL, 'Hors période', {}, at(-600));

    const report = await agentMetrics(handle.db, { tenantId: key.tenantId, agentId: 'support', from: at(-60), to: at(60) });
    expect(report).toMatchObject({
      conversations: 2,
      customerMessages: 2,
      decisions: { answer: 1, escalate: 1, suggest: 0, clarify: 0, ignore: 0 },
      autoResolutionRate: 0.5,
      escalationRate: 0.5,
      escalationsByReason: { requested_human: 1 },
      firstResponseMs: { p50: 300, p95: 390, mean: 300 },
      meanConfidence: 0.555,
    });
    expect(report.confidenceHistogram[9]!.count).toBe(1);
    expect(report.confidenceHistogram[2]!.count).toBe(1);
  });
});
