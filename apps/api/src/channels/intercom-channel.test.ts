import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { processChannelEvent, type ChannelEventPayload } from '@relai/channels';
import { intercomSignature, IntercomPlatformFake, isIntercomRequest } from '@relai/channels/testing';
import { intercomRateLimited, serverError } from '@relai/sources/testing';
import { startChannelHarness, type ChannelHarness } from '../testing/channel-harness';

/**
 * The agent as an Intercom teammate, end to end: the channel configured through the admin API,
 * signed notifications delivered to the real webhook route, the real queue job and answer engine
 * (sample help center), and a local Intercom API that records what the agent posts.
 */

const CLIENT_SECRET = 'intercom-client-secret';
const ACCESS_TOKEN = 'intercom-access-token';
const BOT_ADMIN = '991';
/** The team inbox the agent monitors. */
const AGENT_INBOX = '5017691';
const SUPPORT_TEAM = '8800';
const ACCOUNTING_TEAM = '7700';
const CUSTOMER = { id: '6762f1571bb69f9f2193bbbb', name: 'Camille Martin', email: 'camille@example.fr' };

let h: ChannelHarness;
let fake: IntercomPlatformFake;

async function admin(method: string, path: string, body: unknown): Promise<Response> {
  return Promise.resolve(
    h.t.app.request(path, { method, headers: { authorization: `Bearer ${h.t.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
}

const TEAMS = [
  { id: 'support', name: 'Support', external_id: SUPPORT_TEAM },
  { id: 'accounting', name: 'Comptabilité', external_id: ACCOUNTING_TEAM },
];
const SETTINGS_KEYS = ['source_ids', 'thresholds', 'tone', 'default_language', 'session_ttl_minutes', 'escalation', 'teams', 'default_team', 'rules', 'answer'];

/** Replaces the agent's settings (unlisted keys back to their defaults). */
async function configureAgent(settings: Record<string, unknown>): Promise<void> {
  const reset = Object.fromEntries(SETTINGS_KEYS.map((key) => [key, null]));
  const response = await admin('PATCH', '/v1/agents/support', { settings: { ...reset, teams: TEAMS, default_team: 'support', ...settings } });
  expect(response.status, await response.clone().text()).toBe(200);
}

beforeAll(async () => {
  h = await startChannelHarness(inject('pgliteTemplateDir'));
  fake = await IntercomPlatformFake.start({ accessToken: ACCESS_TOKEN, teamIds: [AGENT_INBOX, SUPPORT_TEAM, ACCOUNTING_TEAM] });
  const response = await admin('PUT', '/v1/agents/support/channels/intercom', {
    settings: { region: 'eu', base_url: fake.baseUrl, bot_admin_id: BOT_ADMIN, monitored_inbox: AGENT_INBOX },
    secrets: { client_secret: CLIENT_SECRET, access_token: ACCESS_TOKEN },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  expect(await response.json()).toMatchObject({
    enabled: true,
    secrets: { client_secret: '********', access_token: '********' },
    webhook_url: 'https://relai.example.com/v1/channels/intercom/support/webhook',
  });
}, 60_000);

afterAll(async () => {
  await fake?.close();
  await h?.dispose();
});

beforeEach(async () => {
  await configureAgent({});
});

async function deliver(notification: Record<string, unknown>, signature?: string): Promise<Response> {
  const body = JSON.stringify(notification);
  return h.deliver('intercom', body, { 'x-hub-signature': signature ?? intercomSignature(CLIENT_SECRET, body) });
}

let conversations = 0;

/** A customer opens a conversation in the agent's inbox; Intercom notifies; the worker runs. */
async function customerOpens(message: string, inbox: string | null = AGENT_INBOX): Promise<string> {
  const id = `${20_000 + ++conversations}`;
  fake.openConversation({ id, message, customer: CUSTOMER, teamAssigneeId: inbox });
  const response = await deliver(fake.notification('conversation.user.created', id));
  expect(response.status).toBe(202);
  await h.runJobs();
  return id;
}

async function customerReplies(conversationId: string, text: string): Promise<void> {
  fake.customerReplies(conversationId, text);
  expect((await deliver(fake.notification('conversation.user.replied', conversationId))).status).toBe(202);
  await h.runJobs();
}

/** What the customer said, as the agent recorded it in the conversation's latest session. */
async function customerMessages(conversationId: string): Promise<string[]> {
  const response = await h.t.app.request(`/v1/agents/support/conversations/intercom:${conversationId}`, { headers: { authorization: `Bearer ${h.t.agentToken}` } });
  expect(response.status).toBe(200);
  const { messages } = (await response.json()) as { messages: Array<{ role: string; text: string }> };
  return messages.filter((message) => message.role === 'user').map((message) => message.text);
}

/** What the agent recorded for this conversation: its decisions, with citations. */
async function decisions(conversationId: string): Promise<Array<{ action: string; citations: Array<{ article_id: string; url: string | null }> }>> {
  const response = await h.t.app.request(`/v1/agents/support/conversations/intercom:${conversationId}`, { headers: { authorization: `Bearer ${h.t.agentToken}` } });
  expect(response.status).toBe(200);
  const { messages } = (await response.json()) as { messages: Array<{ role: string; decision: { action: string; citations: Array<{ article_id: string; url: string | null }> } | null }> };
  return messages.flatMap((message) => (message.decision ? [message.decision] : []));
}

const comments = (conversationId: string) => fake.posted(conversationId, 'reply').filter((body) => body.message_type === 'comment');
const notes = (conversationId: string) => fake.posted(conversationId, 'reply').filter((body) => body.message_type === 'note');

describe('answering in Intercom', () => {
  it.each([
    {
      language: 'fr',
      question: 'Comment réinitialiser mon mot de passe ?',
      article: 'fr-1001',
      link: '<a href="https://help.facturo.example/fr/articles/fr-1001-reinitialiser-mot-de-passe">Réinitialiser votre mot de passe</a>',
      intro: '<p>Voici ce que j&#39;ai trouvé :</p>',
      thanks: 'Merci !',
      welcome: "<p>Avec plaisir ! N&#39;hésitez pas si vous avez une autre question.</p>",
    },
    {
      language: 'en',
      question: 'How do I reset my password?',
      article: 'en-1001',
      link: '<a href="https://help.facturo.example/en/articles/en-1001-reset-your-password">Reset your password</a>',
      intro: '<p>Here&#39;s what I found:</p>',
      thanks: 'Thanks!',
      welcome: "<p>You&#39;re welcome! Let me know if there&#39;s anything else.</p>",
    },
  ])('answers a customer question as a comment from the bot admin, with the article link ($language)', async (c) => {
    const id = await customerOpens(c.question);

    expect(fake.requests.find(isIntercomRequest('GET', `/conversations/${id}`))?.headers).toMatchObject({ 'intercom-version': '2.16', authorization: `Bearer ${ACCESS_TOKEN}` });
    const [answer, ...others] = comments(id);
    expect(others).toEqual([]);
    expect(answer).toMatchObject({ message_type: 'comment', type: 'admin', admin_id: BOT_ADMIN });
    expect(answer!.body).toMatch(new RegExp(`^${c.intro}`));
    expect(answer!.body).toContain(`<ul><li>${c.link}</li></ul>`);
    expect(notes(id)).toEqual([]);
    expect(fake.posted(id, 'parts')).toEqual([]);
    const [decision] = await decisions(id);
    expect(decision).toMatchObject({ action: 'answer', citations: [expect.objectContaining({ article_id: c.article })] });

    // The customer's reply comes as conversation.user.replied; the agent reads the thread from Intercom.
    await customerReplies(id, c.thanks);
    expect(comments(id).map((comment) => comment.body)).toEqual([answer!.body, c.welcome]);
  });

  it('offers numbered options with the instruction to answer with the number, then answers from the one picked', async () => {
    const id = await customerOpens('facture');
    const [clarify] = comments(id);
    expect(clarify!.body).toMatch(/^<p>Votre question peut concerner plusieurs sujets\. Lequel correspond \? Répondez par le numéro\.<\/p><p>1\. [^<]+<br>2\. [^<]+<br>3\. [^<]+<\/p>$/);
    const second = /<br>2\. ([^<]+)<br>/.exec(clarify!.body as string)![1]!;

    await customerReplies(id, '2');
    const [, answer] = comments(id);
    expect(answer!.body).toContain(`>${second}</a></li></ul>`);
  });

  it('suggests the proposed answer to the rule\'s team in a note and assigns the conversation to it; the customer hears nothing', async () => {
    await configureAgent({ rules: [{ when: { section: 'Banque et comptabilité' }, action: 'suggest', team: 'accounting' }] });
    const id = await customerOpens('Comment exporter mes données comptables pour mon expert-comptable ?');

    expect(comments(id)).toEqual([]);
    const [note, ...otherNotes] = notes(id);
    expect(otherNotes).toEqual([]);
    expect(note).toMatchObject({ type: 'admin', admin_id: BOT_ADMIN });
    expect(note!.body).toMatch(/^<p>Réponse proposée \(à vérifier avant envoi\) :<\/p><p>Voici ce que j&#39;ai trouvé :<\/p>/);
    expect(note!.body).toMatch(/<p>Sources :<\/p><ul><li><a href="https:\/\/help\.facturo\.example\/fr\/articles\/fr-1041[^"]*">[^<]+<\/a><\/li>/);
    expect(note!.body).toContain('Équipe : Comptabilité');
    expect(fake.posted(id, 'parts')).toEqual([{ message_type: 'assignment', type: 'admin', admin_id: BOT_ADMIN, assignee_id: ACCOUNTING_TEAM }]);
    expect(fake.conversation(id)).toMatchObject({ team_assignee_id: Number(ACCOUNTING_TEAM) });
  });

  it('suggests to the default team when confidence is below the answer threshold', async () => {
    await configureAgent({ thresholds: { answer: 1, escalate: 0.05 } });
    const id = await customerOpens('How do I reset my password?');
    expect(comments(id)).toEqual([]);
    expect(notes(id)[0]!.body).toMatch(/^<p>Suggested reply \(review before sending\):<\/p>/);
    expect(fake.posted(id, 'parts')).toEqual([{ message_type: 'assignment', type: 'admin', admin_id: BOT_ADMIN, assignee_id: SUPPORT_TEAM }]);
  });

  it('hands over on "je veux parler à un humain": a word to the customer, the handoff note, the assignment; then stays out', async () => {
    const id = await customerOpens('je veux parler à un humain');

    expect(comments(id)).toEqual([
      { message_type: 'comment', type: 'admin', admin_id: BOT_ADMIN, body: "<p>Bien sûr ! Je vous mets en relation avec un conseiller de l&#39;équipe Support. Vous aurez une réponse dès que possible.</p>" },
    ]);
    const [handoff] = notes(id);
    expect(handoff!.body).toMatch(/^<p>Transfert à un humain<\/p><p>Motif : Le client a demandé à parler à un humain.<\/p><p>Équipe : Support<\/p>/);
    expect(handoff!.body).toContain('Nom : Camille Martin');
    expect(handoff!.body).toContain('E-mail : camille@example.fr');
    expect(fake.posted(id, 'parts')).toEqual([{ message_type: 'assignment', type: 'admin', admin_id: BOT_ADMIN, assignee_id: SUPPORT_TEAM }]);

    // Now in the Support inbox: the next message is a teammate's to answer. The notification says
    // so: acknowledged without a job, nothing read or written in Intercom.
    const posted = fake.requests.length;
    const jobs = h.t.enqueued.length;
    fake.customerReplies(id, 'Allô ?');
    const response = await deliver(fake.notification('conversation.user.replied', id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: true, ignored: `not in the monitored inbox: in team inbox ${SUPPORT_TEAM}, not ${AGENT_INBOX}` });
    await h.runJobs();
    expect(h.t.enqueued.length).toBe(jobs);
    expect(fake.requests.slice(posted)).toEqual([]);
  });

  it('drops a conversation the notification shows in another team inbox at the webhook, without a job', async () => {
    const id = 'other-inbox';
    fake.openConversation({ id, message: 'Comment réinitialiser mon mot de passe ?', customer: CUSTOMER, teamAssigneeId: ACCOUNTING_TEAM });
    const jobs = h.t.enqueued.length;
    const response = await deliver(fake.notification('conversation.user.created', id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: true, ignored: `not in the monitored inbox: in team inbox ${ACCOUNTING_TEAM}, not ${AGENT_INBOX}` });
    await h.runJobs();
    expect(h.t.enqueued.length).toBe(jobs);
    expect(fake.requests.filter((request) => request.path.startsWith(`/conversations/${id}`))).toEqual([]);
  });

  it('queues a new conversation the notification shows unassigned, and lets the worker judge it as it is by then', async () => {
    // Assignment rules may not have run when Intercom notifies: the webhook does not drop "unassigned".
    const id = await customerOpens('Comment réinitialiser mon mot de passe ?', null);
    expect(fake.requests.filter(isIntercomRequest('GET', `/conversations/${id}`))).toHaveLength(1);
    expect(fake.posted(id, 'reply')).toEqual([]);
  });

  it('still leaves alone a conversation a teammate took between the notification and the job', async () => {
    const id = 'taken-meanwhile';
    fake.openConversation({ id, message: 'Comment réinitialiser mon mot de passe ?', customer: CUSTOMER, teamAssigneeId: AGENT_INBOX });
    const notification = fake.notification('conversation.user.created', id);
    // A teammate assigns it to themselves before the worker runs.
    const taken = await fetch(`${fake.baseUrl}/conversations/${id}/parts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message_type: 'assignment', type: 'admin', admin_id: '274', assignee_id: '274' }),
    });
    expect(taken.status).toBe(200);
    expect((await deliver(notification)).status).toBe(202);
    await h.runJobs();
    expect(fake.posted(id, 'reply')).toEqual([]);
    expect(fake.posted(id, 'parts')).toEqual([{ message_type: 'assignment', type: 'admin', admin_id: '274', assignee_id: '274' }]);
  });
});

describe('webhook deliveries', () => {
  it('refuses a forged signature with 401 and queues nothing', async () => {
    fake.openConversation({ id: 'forged', message: 'Comment réinitialiser mon mot de passe ?', teamAssigneeId: AGENT_INBOX });
    const jobs = h.t.enqueued.length;
    const notification = fake.notification('conversation.user.created', 'forged');
    const forged = await deliver(notification, intercomSignature('not-the-client-secret', JSON.stringify(notification)));
    const unsigned = await h.deliver('intercom', JSON.stringify(notification), {});
    expect([forged.status, unsigned.status]).toEqual([401, 401]);
    await h.runJobs();
    expect(h.t.enqueued.length).toBe(jobs);
    expect(fake.requests.filter((request) => request.path.startsWith('/conversations/forged'))).toEqual([]);
  });

  it('processes a notification delivered twice once: one reply', async () => {
    fake.openConversation({ id: 'twice', message: 'Comment réinitialiser mon mot de passe ?', customer: CUSTOMER, teamAssigneeId: AGENT_INBOX });
    const notification = fake.notification('conversation.user.created', 'twice', 'notif_twice');
    const first = await deliver(notification);
    const second = await deliver(notification);
    expect([first.status, second.status]).toEqual([202, 200]);
    expect(await second.json()).toEqual({ accepted: true, duplicate: true });
    await h.runJobs();
    expect(comments('twice')).toHaveLength(1);
  });

  it('acknowledges and ignores topics it does not handle, and refuses a body that is not a notification', async () => {
    const closed = { ...fake.notification('conversation.user.created', 'twice'), topic: 'conversation.admin.closed' };
    const ignored = await deliver(closed);
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toEqual({ accepted: true, ignored: 'topic "conversation.admin.closed" is not handled' });

    const malformed = '{"type":"notification_event",';
    expect((await h.deliver('intercom', malformed, { 'x-hub-signature': intercomSignature(CLIENT_SECRET, malformed) })).status).toBe(400);
  });

  it('waits out a 429 and retries a 500 on the reply: exactly one reply posted', async () => {
    fake.openConversation({ id: 'flaky', message: 'How do I reset my password?', customer: CUSTOMER, teamAssigneeId: AGENT_INBOX });
    const reply = isIntercomRequest('POST', '/conversations/flaky/reply');
    fake.inject(reply, intercomRateLimited(Math.floor(Date.now() / 1000) + 1));
    fake.inject(reply, serverError(500));
    expect((await deliver(fake.notification('conversation.user.created', 'flaky'))).status).toBe(202);
    await h.runJobs();
    expect(fake.requests.filter(reply)).toHaveLength(3);
    expect(comments('flaky')).toHaveLength(1);
    expect(fake.conversation('flaky')).toMatchObject({ conversation_parts: { total_count: 1 } });
  });

  it('finishes a handoff in a retried job without posting twice or deciding again', async () => {
    const text = 'je veux parler à un humain';
    fake.openConversation({ id: 'retried', message: text, customer: CUSTOMER, teamAssigneeId: AGENT_INBOX });
    const channel = await h.services.channels.get(h.t.tenantId, 'support', 'intercom');
    const source = fake.conversation('retried').source as { id: string };
    // The job as the webhook queues it; run here twice, as the queue would after a failure.
    const job: ChannelEventPayload = {
      channelId: channel!.id,
      platform: 'intercom',
      deliveryId: 'notif_retried',
      event: { topic: 'conversation.user.created', conversationId: 'retried', messageId: source.id, text, author: { type: 'user', ...CUSTOMER } },
    };
    // Every attempt of the first run's assignment fails.
    fake.inject(isIntercomRequest('POST', '/conversations/retried/parts'), serverError(503), 5);
    await expect(processChannelEvent(h.services, job)).rejects.toThrow('HTTP 503');
    expect([comments('retried').length, notes('retried').length, fake.posted('retried', 'parts').length]).toEqual([1, 1, 0]);

    await processChannelEvent(h.services, job);
    expect([comments('retried').length, notes('retried').length]).toEqual([1, 1]);
    expect(fake.posted('retried', 'parts')).toEqual([{ message_type: 'assignment', type: 'admin', admin_id: BOT_ADMIN, assignee_id: SUPPORT_TEAM }]);
    // The retry got the first decision back from `converse` (keyed by the message): recorded once.
    expect((await decisions('retried')).map((decision) => decision.action)).toEqual(['escalate']);
    expect(await customerMessages('retried')).toEqual([text]);
  });

  it('fails the job once, without retries, when Intercom refuses the token', async () => {
    fake.openConversation({ id: 'revoked', message: 'How do I reset my password?', customer: CUSTOMER, teamAssigneeId: AGENT_INBOX });
    const read = isIntercomRequest('GET', '/conversations/revoked');
    fake.inject(read, { kind: 'respond', response: { status: 401, json: { type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] } } });
    const events = h.jobEvents.length;
    expect((await deliver(fake.notification('conversation.user.created', 'revoked'))).status).toBe(202);
    await h.runJobs();
    expect(h.jobEvents.slice(events)).toMatchObject([{ type: 'failed', job: 'channel-event', attempt: 1, willRetry: false, permanent: true, error: { name: 'ChannelPermanentError', status: 401 } }]);
    expect(fake.requests.filter(read)).toHaveLength(1);
    expect(fake.posted('revoked', 'reply')).toEqual([]);
  });

  it('fails the job once when Intercom rejects the reply (422), after deciding once', async () => {
    fake.openConversation({ id: 'rejected', message: 'How do I reset my password?', customer: CUSTOMER, teamAssigneeId: AGENT_INBOX });
    const reply = isIntercomRequest('POST', '/conversations/rejected/reply');
    fake.inject(reply, { kind: 'respond', response: { status: 422, json: { type: 'error.list', errors: [{ code: 'parameter_invalid', message: 'Conversation is closed for replies' }] } } });
    const events = h.jobEvents.length;
    expect((await deliver(fake.notification('conversation.user.created', 'rejected'))).status).toBe(202);
    await h.runJobs();
    expect(h.jobEvents.slice(events)).toMatchObject([{ type: 'failed', willRetry: false, permanent: true }]);
    expect(fake.requests.filter(reply)).toHaveLength(1);
    expect((await decisions('rejected')).map((decision) => decision.action)).toEqual(['answer']);
  });

  it('acknowledges deliveries to a paused channel and posts nothing', async () => {
    expect((await admin('PATCH', '/v1/agents/support/channels/intercom', { enabled: false })).status).toBe(200);
    try {
      fake.openConversation({ id: 'paused', message: 'Comment réinitialiser mon mot de passe ?', teamAssigneeId: AGENT_INBOX });
      const response = await deliver(fake.notification('conversation.user.created', 'paused'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: true, ignored: 'the channel is paused' });
      await h.runJobs();
      expect(fake.requests.filter((request) => request.path.startsWith('/conversations/paused'))).toEqual([]);
    } finally {
      await admin('PATCH', '/v1/agents/support/channels/intercom', { enabled: true });
    }
  });
});
