import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { contactMessageEvent, HootsuitePlatformFake, inboxRateLimited, isCall, signedDelivery } from '@relai/channels/testing';
import { sweepHootsuiteTimeouts } from '@relai/channels';
import { startChannelHarness, type ChannelHarness } from '../testing/channel-harness';

/**
 * A Hootsuite Inbox 2.0 custom virtual agent end to end: signed batches on the real webhook route,
 * the real queue job and answer engine over the sample help center, and a local Inbox API.
 */

const SHARED_SECRET = 'hootsuite-shared-secret-0123';
const API_TOKEN = 'hs-api-token-abc';
const TEAMS = [{ id: 'support', name: 'Support', external_id: 'hs-team-9' }];

let h: ChannelHarness;
let platform: HootsuitePlatformFake;

beforeAll(async () => {
  [h, platform] = await Promise.all([startChannelHarness(inject('pgliteTemplateDir')), HootsuitePlatformFake.start({ apiToken: API_TOKEN })]);
}, 60_000);

afterAll(async () => {
  await platform?.close();
  await h?.dispose();
});

async function connect(settings: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await h.t.app.request('/v1/agents/support/channels/hootsuite', {
    method: 'PUT',
    headers: { authorization: `Bearer ${h.t.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ settings: { api_base_url: platform.apiBaseUrl, ...settings }, secrets: { shared_secret: SHARED_SECRET, api_token: API_TOKEN } }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

async function configureAgent(settings: Record<string, unknown>): Promise<void> {
  const response = await h.t.app.request('/v1/agents/support', {
    method: 'PATCH',
    headers: { authorization: `Bearer ${h.t.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ settings: { thresholds: null, rules: null, ...settings } }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

let lastSeqNo = 1000;
let lastId = 0;
const seqNo = () => ++lastSeqNo;
const newConversation = () => `hs-conv-${++lastId}`;
const newMessage = () => `hs-msg-${++lastId}`;

function message(conversationId: string, text: string, extra: { delegatedBy?: string; contactId?: string } = {}) {
  return contactMessageEvent({
    seqNo: seqNo(),
    conversationId,
    messageId: newMessage(),
    text,
    ...(extra.delegatedBy ? { delegatedBy: extra.delegatedBy } : {}),
    ...(extra.contactId ? { contact: { id: extra.contactId, name: 'Camille Martin' } } : {}),
  });
}

/** The VA receives the conversation (inception, or a human delegates it), with the contact's latest message. */
function assigned(conversationId: string, contactMessage: Record<string, unknown> | null, delegatedBy?: string) {
  return {
    seq_no: seqNo(),
    type: 'conversation.assigned',
    conversation: { id: conversationId, ...(delegatedBy ? { delegated_by: { id: delegatedBy } } : {}) },
    message: contactMessage,
  };
}

const messageOf = (event: Record<string, unknown>) => event.message as Record<string, unknown>;

/** The sessions of a conversation id, oldest first, with what was recorded in each. */
async function sessions(conversationId: string): Promise<Array<{ status: string; customer: string[]; decisions: string[] }>> {
  const { rows } = await h.t.handle.db.query<{ status: string; customer: string[] | null; decisions: string[] | null }>(
    `SELECT c.status,
            array_agg(m.text ORDER BY m.id) FILTER (WHERE m.role = 'user') AS customer,
            array_agg(m.action ORDER BY m.id) FILTER (WHERE m.role = 'agent') AS decisions
     FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id
     WHERE c.external_id = $1 GROUP BY c.id, c.session_number ORDER BY c.session_number`,
    [`hootsuite:${conversationId}`],
  );
  return rows.map((row) => ({ status: row.status, customer: row.customer ?? [], decisions: row.decisions ?? [] }));
}

/** POSTs a signed batch, checks Hootsuite's acknowledgement (2xx, empty body), and runs the jobs. */
async function deliver(events: unknown[]): Promise<void> {
  const { rawBody, headers } = signedDelivery(events, SHARED_SECRET);
  const response = await h.deliver('hootsuite', rawBody, headers);
  expect(response.status).toBe(204);
  expect(await response.text()).toBe('');
  await h.runJobs();
}

beforeEach(async () => {
  await connect();
  await configureAgent({ teams: TEAMS, default_team: 'support' });
});

describe('answers', () => {
  it.each([
    { language: 'fr', question: 'Comment réinitialiser mon mot de passe ?', title: 'Réinitialiser votre mot de passe', intro: "Voici ce que j'ai trouvé :" },
    { language: 'en', question: 'How do I reset my password?', title: 'Reset your password', intro: "Here's what I found:" },
  ])('replies with the answer and its sources, then resolves the conversation ($language)', async (c) => {
    const conversationId = newConversation();
    await deliver([message(conversationId, c.question)]);

    const [reply, ...others] = platform.messagesTo(conversationId);
    expect(others).toEqual([]);
    expect(reply!.startsWith(`${c.intro}\n\n`)).toBe(true);
    expect(reply).toMatch(new RegExp(`\\n\\n• ${c.title} — https://help\\.facturo\\.example/\\S+`));
    expect(platform.callsOn(conversationId)).toEqual(['messages', 'resolve']);
    const [call] = platform.accepted('POST', `/conversations/${conversationId}/messages`);
    expect(call!.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
  });

  it('answers without resolving in delegation, and hands back to the agent who delegated', async () => {
    await connect({ activation: 'delegation' });
    const conversationId = newConversation();
    await deliver([message(conversationId, 'How do I reset my password?', { delegatedBy: 'agent-42' })]);
    expect(platform.callsOn(conversationId)).toEqual(['messages']);

    await deliver([message(conversationId, 'I want to talk to a human please', { delegatedBy: 'agent-42' })]);
    expect(platform.transfersOf(conversationId)).toEqual([{ to: 'previous_agent', agent_id: 'agent-42', team_id: 'hs-team-9' }]);
  });

  it('offers numbered options when the question is ambiguous, and waits for the pick', async () => {
    const conversationId = newConversation();
    await deliver([message(conversationId, 'facture')]);
    const [options] = platform.messagesTo(conversationId);
    expect(options).toMatch(/^Votre question peut concerner plusieurs sujets\. .+\n\n1\. .+\n2\. .+\n3\. .+$/);
    expect(platform.callsOn(conversationId)).toEqual(['messages']);
  });
});

describe('handoffs', () => {
  it('hands a low-confidence answer to the "New" queue as an internal note, without writing to the contact', async () => {
    await connect({ topics: { suggestion: 'topic-review' } });
    await configureAgent({ teams: TEAMS, default_team: 'support', thresholds: { answer: 0.999, escalate: 0.05 } });
    const conversationId = newConversation();
    await deliver([message(conversationId, 'Comment réinitialiser mon mot de passe ?')]);

    expect(platform.messagesTo(conversationId)).toEqual([]);
    const [note] = platform.notesOn(conversationId);
    expect(note!.startsWith('Réponse proposée (à vérifier avant envoi) :\n\n')).toBe(true);
    expect(note).toContain('• Réinitialiser votre mot de passe — https://help.facturo.example/');
    expect(platform.topicsOf(conversationId)).toEqual(['topic-review']);
    expect(platform.transfersOf(conversationId)).toEqual([{ to: 'new', team_id: 'hs-team-9' }]);
    expect(platform.callsOn(conversationId)).toEqual(['topics', 'notes', 'transfer']);
  });

  it('escalates a request for a human: tells the contact, tags, sets attributes, leaves the handoff note, transfers to "New"', async () => {
    await connect({ topics: { escalation_reasons: { requested_human: 'topic-human' }, teams: { support: 'topic-support' } } });
    const conversationId = newConversation();
    await deliver([message(conversationId, 'Comment réinitialiser mon mot de passe ?', { contactId: 'ct-77' })]);
    await deliver([message(conversationId, 'Je voudrais parler à un conseiller, s’il vous plaît.', { contactId: 'ct-77' })]);

    expect(platform.messagesTo(conversationId).at(-1)).toBe(
      "Bien sûr ! Je vous mets en relation avec un conseiller de l'équipe Support. Vous aurez une réponse dès que possible.",
    );
    expect(platform.topicsOf(conversationId)).toEqual(['topic-human', 'topic-support']);
    expect(platform.attributesOf('ct-77')).toEqual({ relai_escalation_reason: 'requested_human', relai_last_confidence: expect.stringMatching(/^\d\.\d\d$/) });
    const [note] = platform.notesOn(conversationId);
    for (const line of ['Le client a demandé à parler à un humain.', 'Je voudrais parler à un conseiller', 'Réinitialiser votre mot de passe', 'Camille Martin']) {
      expect(note).toContain(line);
    }
    expect(platform.transfersOf(conversationId)).toEqual([{ to: 'new', team_id: 'hs-team-9' }]);
    // First the answer and its resolution, then the handoff, the transfer last.
    expect(platform.callsOn(conversationId)).toEqual(['messages', 'resolve', 'messages', 'topics', 'notes', 'transfer']);
  });
});

describe('webhook', () => {
  it('is connected with its Inbox API base URL; the response gives the webhook URL, never the secrets', async () => {
    const channel = await connect({ activation: 'inception' });
    expect(channel).toMatchObject({
      platform: 'hootsuite',
      webhook_url: 'https://relai.example.com/v1/channels/hootsuite/support/webhook',
      secrets: { shared_secret: '********', api_token: '********' },
    });
    const invalid = await h.t.app.request('/v1/agents/support/channels/hootsuite', {
      method: 'PUT',
      headers: { authorization: `Bearer ${h.t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { timeouts: { agent_silent_minutes: 90 } } }),
    });
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { message: string } };
    expect(error.message).toContain('settings.api_base_url');
    expect(error.message).toContain('settings.timeouts.agent_silent_minutes');
  });

  it('refuses a forged or missing signature with 401 and does nothing', async () => {
    const conversationId = newConversation();
    const { rawBody } = signedDelivery([message(conversationId, 'How do I reset my password?')], SHARED_SECRET);
    const forged = signedDelivery([message(conversationId, 'How do I reset my password?')], 'not-the-shared-secret').headers;
    for (const headers of [forged, {}]) {
      const response = await h.deliver('hootsuite', rawBody, headers);
      expect(response.status).toBe(401);
    }
    await h.runJobs();
    expect(platform.callsOn(conversationId)).toEqual([]);
  });

  it('acts once per seq_no: a redelivered batch, or an event again in a later batch', async () => {
    const conversationId = newConversation();
    const first = message(conversationId, 'How do I reset my password?');
    await deliver([first]);
    await deliver([first]);
    const second = message(conversationId, 'Thanks!');
    await deliver([first, second]);

    expect(platform.messagesTo(conversationId)).toHaveLength(2);
    expect(platform.messagesTo(conversationId)[1]).toBe("You're welcome! Let me know if there's anything else.");
  });

  it('acknowledges a batch with nothing to act on (agents’ messages, unknown events) without a job', async () => {
    const conversationId = newConversation();
    const fromAgent = { ...message(conversationId, 'Hi, Camille here from support'), message: { id: newMessage(), text: 'Hi!', author: { type: 'agent', id: 'agent-42' } } };
    const enqueued = h.t.enqueued.length;
    await deliver([fromAgent, { seq_no: seqNo(), type: 'contact.updated', contact: { id: 'ct-1' } }]);
    expect(h.t.enqueued.length).toBe(enqueued);
    expect(platform.callsOn(conversationId)).toEqual([]);
  });

  it('retries the platform’s 429 and 500 without replying twice, holding back only the failing conversation', async () => {
    const failing = newConversation();
    const other = newConversation();
    const sendTo = (conversationId: string) => isCall('POST', `/conversations/${conversationId}/messages`);
    platform.inject(sendTo(failing), inboxRateLimited(1));
    platform.inject(sendTo(failing), { kind: 'respond', response: { status: 500, json: { error: 'oops' } } });
    // The resolution fails every attempt of the first job run: the job's retry must not reply again.
    platform.inject(isCall('POST', `/conversations/${failing}/resolve`), { kind: 'respond', response: { status: 503, json: {} } }, 5);
    await deliver([message(failing, 'How do I reset my password?'), message(failing, 'Thanks!'), message(other, 'How do I reset my password?')]);

    expect(platform.requests.filter(sendTo(failing)).map((request) => request.status)).toEqual([429, 500, 201, 201]);
    expect(platform.messagesTo(failing)).toHaveLength(2);
    // Five failed attempts ended the first run; the job's retry resolved without replying again.
    expect(platform.requests.filter(isCall('POST', `/conversations/${failing}/resolve`)).map((request) => request.status)).toEqual([503, 503, 503, 503, 503, 200, 200]);
    // The other conversation went on in the first run; the failing one's next message waited for the retry.
    const sends = platform.requests.filter((request) => (sendTo(failing)(request) || sendTo(other)(request)) && request.status === 201);
    expect(sends.map((request) => request.path.split('/')[2])).toEqual([failing, other, failing]);
  });
});

describe('timeouts', () => {
  it('hands conversations where the VA or the contact went silent to the configured queue, once', async () => {
    await connect({ timeouts: { agent_silent_minutes: 5, contact_silent_minutes: 30, on_agent_timeout: 'new', on_contact_timeout: 'resolved' }, topics: { timeout: 'topic-timeout' } });
    // The VA stays silent on account questions (a "nothing" rule), and waits for the contact after a greeting.
    await configureAgent({ teams: TEAMS, default_team: 'support', rules: [{ when: { collection: 'Compte et sécurité' }, action: 'nothing' }] });
    const vaSilent = newConversation();
    const contactSilent = newConversation();
    const answered = newConversation();
    const closed = newConversation();
    const takenOver = newConversation();
    await deliver([
      message(vaSilent, 'Comment réinitialiser mon mot de passe ?'),
      message(contactSilent, 'Bonjour'),
      message(answered, 'Merci !'),
      message(closed, 'Bonjour'),
      message(takenOver, 'Comment réinitialiser mon mot de passe ?'),
    ]);
    // Conversations that left the VA on the platform's side are not the sweep's any more.
    await deliver([
      { seq_no: seqNo(), type: 'conversation.closed', conversation: { id: closed }, status: 'resolved' },
      { seq_no: seqNo(), type: 'conversation.unassigned', conversation: { id: takenOver } },
    ]);
    expect(platform.callsOn(vaSilent)).toEqual([]);
    expect(platform.callsOn(contactSilent)).toEqual(['messages']);
    expect(platform.callsOn(answered)).toEqual(['messages', 'resolve']);

    const start = Date.now();
    const sweep = async (minutes: number) => {
      const report = await sweepHootsuiteTimeouts(h.services, new Date(start + minutes * 60_000));
      expect(report.failed).toEqual([]);
      const mine = [vaSilent, contactSilent, answered, closed, takenOver];
      return report.handedOff.map((handoff) => [handoff.conversationId, handoff.decision.silent, handoff.decision.queue]).filter(([id]) => mine.includes(id!));
    };
    expect(await sweep(4)).toEqual([]);
    expect(await sweep(6)).toEqual([[vaSilent, 'agent', 'new']]);
    expect(platform.transfersOf(vaSilent)).toEqual([{ to: 'new' }]);
    expect(platform.topicsOf(vaSilent)).toEqual(['topic-timeout']);
    expect(await sweep(31)).toEqual([[contactSilent, 'contact', 'resolved']]);
    expect(platform.resolutionsOf(contactSilent)).toBe(1);
    expect(await sweep(60)).toEqual([]);
    expect(platform.callsOn(answered)).toEqual(['messages', 'resolve']);
    expect(platform.callsOn(closed)).toEqual(['messages']);
    expect(platform.callsOn(takenOver)).toEqual([]);
  });
});

describe('delegated to the VA again after a handover', () => {
  const ESCALATION = 'Je voudrais parler à un conseiller, s’il vous plaît.';

  beforeEach(async () => {
    await connect({ activation: 'delegation' });
  });

  it('ends the escalated session and answers, in a new session, the message the VA stayed silent on', async () => {
    const conversationId = newConversation();
    await deliver([message(conversationId, ESCALATION, { delegatedBy: 'agent-42' })]);
    expect(platform.transfersOf(conversationId)).toEqual([{ to: 'previous_agent', agent_id: 'agent-42', team_id: 'hs-team-9' }]);
    // While the human has it, the agent stays silent on what the contact writes.
    const waiting = message(conversationId, 'Comment réinitialiser mon mot de passe ?', { delegatedBy: 'agent-42' });
    await deliver([waiting]);
    expect(platform.messagesTo(conversationId)).toHaveLength(1);

    await deliver([assigned(conversationId, messageOf(waiting), 'agent-42')]);
    const [, answer, ...more] = platform.messagesTo(conversationId);
    expect(more).toEqual([]);
    expect(answer).toMatch(/^Voici ce que j'ai trouvé :\n\n/);
    expect(await sessions(conversationId)).toEqual([
      { status: 'ended', customer: [ESCALATION, 'Comment réinitialiser mon mot de passe ?'], decisions: ['escalate', 'ignore'] },
      { status: 'active', customer: ['Comment réinitialiser mon mot de passe ?'], decisions: ['answer'] },
    ]);
  });

  it('answers a new message delegated with the conversation, and the next ones, in the new session', async () => {
    const conversationId = newConversation();
    await deliver([message(conversationId, ESCALATION, { delegatedBy: 'agent-42' })]);
    const fresh = contactMessageEvent({ seqNo: seqNo(), conversationId, messageId: newMessage(), text: 'How do I reset my password?', delegatedBy: 'agent-42' });
    await deliver([assigned(conversationId, messageOf(fresh), 'agent-42')]);
    await deliver([message(conversationId, 'Thanks!', { delegatedBy: 'agent-42' })]);
    expect(platform.messagesTo(conversationId).slice(1)).toEqual([expect.stringMatching(/^Here's what I found:/), "You're welcome! Let me know if there's anything else."]);
    expect((await sessions(conversationId)).map((session) => [session.status, session.decisions])).toEqual([
      ['ended', ['escalate']],
      ['active', ['answer', 'answer']],
    ]);
  });

  it('does not take the escalation again when delegated back with the message it escalated on', async () => {
    const conversationId = newConversation();
    const escalation = message(conversationId, ESCALATION, { delegatedBy: 'agent-42' });
    await deliver([escalation]);
    const calls = platform.callsOn(conversationId);
    await deliver([assigned(conversationId, messageOf(escalation), 'agent-42')]);
    expect(platform.callsOn(conversationId)).toEqual(calls);
    // The escalated session ended all the same: the contact's next message is answered.
    await deliver([message(conversationId, 'How do I reset my password?', { delegatedBy: 'agent-42' })]);
    expect(platform.messagesTo(conversationId).at(-1)).toMatch(/^Here's what I found:/);
    expect((await sessions(conversationId)).map((session) => [session.status, session.decisions])).toEqual([
      ['ended', ['escalate']],
      ['active', ['answer']],
    ]);
  });

  it('keeps the session of a conversation that was not handed over, and answers a message carried twice once', async () => {
    await connect({ activation: 'inception' });
    const conversationId = newConversation();
    const created = message(conversationId, 'How do I reset my password?');
    await deliver([assigned(conversationId, messageOf(created)), created]);
    expect(platform.messagesTo(conversationId)).toHaveLength(1);
    expect(await sessions(conversationId)).toEqual([{ status: 'active', customer: ['How do I reset my password?'], decisions: ['answer'] }]);
  });
});

describe('permanent failures', () => {
  it('fails the job once, without retries, when the Inbox API refuses the token', async () => {
    const conversationId = newConversation();
    const send = isCall('POST', `/conversations/${conversationId}/messages`);
    platform.inject(send, { kind: 'respond', response: { status: 401, json: { error: 'unauthorized' } } });
    const events = h.jobEvents.length;
    await deliver([message(conversationId, 'How do I reset my password?')]);
    expect(h.jobEvents.slice(events)).toMatchObject([
      { type: 'failed', attempt: 1, willRetry: false, permanent: true, error: { name: 'InboxApiPermanentError', platform: 'hootsuite', status: 401, operation: 'send_message' } },
    ]);
    expect(platform.requests.filter(send)).toHaveLength(1);
  });

  it('fails a batch once when every failed event failed for good, the other conversations handled', async () => {
    const [gone, rejected, fine] = [newConversation(), newConversation(), newConversation()];
    platform.inject(isCall('POST', `/conversations/${gone}/messages`), { kind: 'respond', response: { status: 404, json: { error: 'not_found' } } });
    platform.inject(isCall('POST', `/conversations/${rejected}/messages`), { kind: 'respond', response: { status: 422, json: { error: 'conversation closed' } } });
    const events = h.jobEvents.length;
    await deliver([message(gone, 'How do I reset my password?'), message(rejected, 'How do I reset my password?'), message(fine, 'How do I reset my password?')]);
    expect(h.jobEvents.slice(events)).toMatchObject([{ type: 'failed', willRetry: false, permanent: true, error: { name: 'ChannelPermanentError', message: '2 Hootsuite events failed permanently' } }]);
    expect(platform.callsOn(fine)).toEqual(['messages', 'resolve']);
  });
});
