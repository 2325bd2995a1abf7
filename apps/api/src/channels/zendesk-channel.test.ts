import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { processChannelEvent, type ChannelEventPayload } from '@relai/channels';
import { FakeZendeskPlatform, isCommentsList, isTicketUpdate, zendeskWebhookSignature, type FakeZendeskComment, type FakeZendeskTicket, type FakeZendeskUser } from '@relai/channels/testing';
import { serverError, zendeskRateLimited } from '@relai/sources/testing';
import { startChannelHarness, type ChannelHarness } from '../testing/channel-harness';

/**
 * Zendesk email tickets end to end: signed trigger deliveries on the real webhook route, the real
 * queue job and answer engine over the sample help center, and a local Zendesk Ticketing API.
 */

const SIGNING_SECRET = 'zendesk-webhook-signing-secret-42';
const AGENT_USER = 900;
const CREDENTIALS = { email: 'agent-ia@facturo.example', apiToken: 'zd-api-token-123', agentUserId: AGENT_USER };
const TEAMS = [{ id: 'support', name: 'Support N1', external_id: '360001' }];

let h: ChannelHarness;
let zendesk: FakeZendeskPlatform;

beforeAll(async () => {
  [h, zendesk] = await Promise.all([startChannelHarness(inject('pgliteTemplateDir')), FakeZendeskPlatform.start(CREDENTIALS)]);
}, 60_000);

afterAll(async () => {
  await zendesk?.close();
  await h?.dispose();
});

async function admin(method: string, path: string, body: unknown): Promise<Response> {
  const response = await h.t.app.request(path, {
    method,
    headers: { authorization: `Bearer ${h.t.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response;
}

const connect = (settings: Record<string, unknown> = {}) =>
  admin('PUT', '/v1/agents/support/channels/zendesk', {
    settings: { base_url: zendesk.baseUrl, agent_user_id: String(AGENT_USER), ...settings },
    secrets: { webhook_signing_secret: SIGNING_SECRET, email: CREDENTIALS.email, api_token: CREDENTIALS.apiToken },
  });

const configureAgent = (settings: Record<string, unknown>) => admin('PATCH', '/v1/agents/support', { settings: { thresholds: null, ...settings } });

let customers = 0;
function customer(language: 'fr' | 'en'): FakeZendeskUser {
  customers += 1;
  return language === 'fr'
    ? { id: 100 + customers, name: 'Marie Curie', email: `marie${customers}@example.fr`, role: 'end-user' }
    : { id: 100 + customers, name: 'Ada Lovelace', email: `ada${customers}@example.com`, role: 'end-user' };
}

/** The trigger's JSON body of the README, as Zendesk renders its placeholders. */
function triggerBody(ticket: FakeZendeskTicket, comment: FakeZendeskComment): string {
  const requester = zendesk.users.get(ticket.requester_id)!;
  return JSON.stringify({
    ticket_id: String(ticket.id),
    comment_id: String(comment.id),
    author_id: String(comment.author_id),
    public: String(comment.public),
    requester: { id: String(requester.id), name: requester.name, email: requester.email },
    subject: ticket.subject,
    via: 'Mail',
    tags: '',
  });
}

function signedHeaders(rawBody: string, options: { invocation?: string; secret?: string; timestamp?: string } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    'x-zendesk-webhook-signature': zendeskWebhookSignature(options.secret ?? SIGNING_SECRET, timestamp, rawBody),
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-invocation-id': options.invocation ?? randomUUID(),
    'x-zendesk-webhook-id': '01GK8E6BKWMJZD2T8Y5AXJQMG5',
  };
}

/** What Zendesk does when the trigger fires on this comment: a signed POST; then the worker runs. */
async function notify(ticket: FakeZendeskTicket, comment: FakeZendeskComment, options: { invocation?: string; secret?: string; timestamp?: string } = {}): Promise<Response> {
  const rawBody = triggerBody(ticket, comment);
  const response = await h.deliver('zendesk', rawBody, signedHeaders(rawBody, options));
  await h.runJobs();
  return response;
}

/** The job the webhook queues for a comment, to run it by hand (twice, as the queue does after a failure). */
async function job(event: Record<string, unknown>): Promise<ChannelEventPayload> {
  const channel = await h.services.channels.get(h.t.tenantId, 'support', 'zendesk');
  return { channelId: channel!.id, platform: 'zendesk', deliveryId: randomUUID(), event };
}

/** What the agent recorded for the ticket's latest session. */
async function recorded(ticketId: number): Promise<{ customer: string[]; decisions: string[] }> {
  const response = await h.t.app.request(`/v1/agents/support/conversations/zendesk:${ticketId}`, { headers: { authorization: `Bearer ${h.t.adminToken}` } });
  const { messages } = (await response.json()) as { messages: Array<{ role: string; text: string; decision: { action: string } | null }> };
  return {
    customer: messages.filter((message) => message.role === 'user').map((message) => message.text),
    decisions: messages.flatMap((message) => (message.decision ? [message.decision.action] : [])),
  };
}

beforeEach(async () => {
  await connect();
  await configureAgent({ teams: TEAMS, default_team: 'support' });
});

describe('answers by email', () => {
  it.each([
    {
      language: 'fr' as const,
      email: 'Bonjour,\n\nComment réinitialiser mon mot de passe ?\n\nCordialement,\nMarie Curie',
      link: '<a href="https://help.facturo.example/fr/articles/fr-1001-reinitialiser-mot-de-passe">Réinitialiser votre mot de passe</a>',
      intro: "<p>Voici ce que j'ai trouvé :</p>",
    },
    {
      language: 'en' as const,
      email: 'Hi,\n\nHow do I reset my password?\n\nBest regards\nAda',
      link: '<a href="https://help.facturo.example/en/articles/en-1001-reset-your-password">Reset your password</a>',
      intro: "<p>Here's what I found:</p>",
    },
  ])('answers a question ($language) with a public HTML comment linking the article, the ticket pending', async (c) => {
    const { ticket, comment } = zendesk.openTicket(customer(c.language), 'Mot de passe', c.email);
    const response = await notify(ticket, comment);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, duplicate: false });

    const [reply, ...more] = zendesk.commentsAdded(ticket.id);
    expect(more).toEqual([]);
    expect(reply).toMatchObject({ public: true, author_id: AGENT_USER });
    expect(reply!.html_body.startsWith(c.intro)).toBe(true);
    expect(reply!.html_body).toContain(`<ul><li>${c.link}</li>`);
    expect(ticket.status).toBe('pending');
    const [update] = zendesk.requestsMatching(isTicketUpdate(ticket.id));
    expect(update!.headers.authorization).toBe(`Basic ${Buffer.from(`${CREDENTIALS.email}/token:${CREDENTIALS.apiToken}`).toString('base64')}`);
  });

  it('records what the customer wrote in a follow-up email, without the quoted reply and the signature', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    await notify(ticket, comment);
    const followUp = zendesk.addComment(
      ticket.id,
      ticket.requester_id,
      "Je ne reçois pas l'e-mail de réinitialisation du mot de passe.\n\nCordialement,\nMarie Curie\n\n" +
        "Le sam. 21 nov. 2026 à 10:00, Facturo <support@facturo.example> a écrit :\n> Voici ce que j'ai trouvé : réinitialiser votre mot de passe",
    );
    await notify(ticket, followUp);
    expect(zendesk.commentsAdded(ticket.id).length).toBeGreaterThan(1);

    const response = await h.t.app.request(`/v1/agents/support/conversations/zendesk:${ticket.id}`, { headers: { authorization: `Bearer ${h.t.adminToken}` } });
    const { conversation, messages } = (await response.json()) as { conversation: { user: Record<string, unknown> }; messages: Array<{ role: string; text: string }> };
    expect(messages.filter((message) => message.role === 'user').map((message) => message.text)).toEqual([
      'Comment réinitialiser mon mot de passe ?',
      "Je ne reçois pas l'e-mail de réinitialisation du mot de passe.",
    ]);
    expect(conversation.user).toMatchObject({ id: String(ticket.requester_id), name: 'Marie Curie' });
  });

  it('in review mode, leaves the answer as an internal note and writes nothing to the customer', async () => {
    await connect({ reply_mode: 'internal' });
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    await notify(ticket, comment);
    expect(zendesk.commentsAdded(ticket.id)).toMatchObject([{ public: false, html_body: expect.stringContaining("Réponse proposée par l'agent IA, non envoyée au client") }]);
    expect(ticket.status).toBe('new');
  });
});

describe('hands over to humans', () => {
  it("turns a low-confidence answer into an internal note for the default team's group", async () => {
    await configureAgent({ teams: TEAMS, default_team: 'support', thresholds: { answer: 0.999, escalate: 0.05 } });
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    await notify(ticket, comment);
    const [note, ...more] = zendesk.commentsAdded(ticket.id);
    expect(more).toEqual([]);
    expect(note).toMatchObject({ public: false });
    expect(note!.html_body).toContain('Réponse proposée (à vérifier avant envoi) :');
    expect(note!.html_body).toMatch(/<p>Confiance : 0\.\d\d<\/p><p>Sources :<\/p><ul><li><a href="https:\/\/help\.facturo\.example\/fr\/articles\/fr-1001/);
    expect(ticket.group_id).toBe(360001);
    expect(ticket.status).toBe('new');
  });

  it.each([
    { language: 'fr' as const, email: 'Je veux parler à un humain', title: 'Transfert à un humain' },
    { language: 'en' as const, email: 'I want to talk to a person', title: 'Handoff to a human' },
  ])('escalates "$email": a public message, the handoff note as an internal note, the group set', async (c) => {
    const { ticket, comment } = zendesk.openTicket(customer(c.language), 'Aide', c.email);
    await notify(ticket, comment);
    const [message, note, ...more] = zendesk.commentsAdded(ticket.id);
    expect(more).toEqual([]);
    expect(message).toMatchObject({ public: true });
    expect(message!.plain_body.length).toBeGreaterThan(10);
    expect(note).toMatchObject({ public: false });
    expect(note!.html_body.startsWith(`<p>${c.title}`)).toBe(true);
    expect(note!.plain_body).toContain(c.email);
    expect(ticket).toMatchObject({ group_id: 360001, status: 'open' });
  });

  it("uses the channel's default group when the team has no Zendesk group id", async () => {
    await connect({ escalation_group_default: '360099' });
    await configureAgent({ teams: [{ id: 'support', name: 'Support N1' }], default_team: 'support' });
    const { ticket, comment } = zendesk.openTicket(customer('en'), 'Help', 'I want to talk to a person');
    await notify(ticket, comment);
    expect(ticket.group_id).toBe(360099);
  });
});

describe('webhook deliveries', () => {
  it('refuses a forged signature, or a stale one, with 401 and touches nothing', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    expect((await notify(ticket, comment, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await notify(ticket, comment, { timestamp: new Date(Date.now() - 10 * 60_000).toISOString() })).status).toBe(401);
    const rawBody = triggerBody(ticket, comment);
    expect((await h.deliver('zendesk', rawBody, {})).status).toBe(401);
    expect(zendesk.requestsMatching(isCommentsList(ticket.id))).toEqual([]);
    expect(zendesk.commentsAdded(ticket.id)).toEqual([]);
  });

  it('refuses a signed body that is not the trigger payload with 400', async () => {
    const rawBody = JSON.stringify({ ticket_id: '1', comment_id: '', author_id: '2' });
    const response = await h.deliver('zendesk', rawBody, signedHeaders(rawBody));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('{{ticket.latest_comment.id}}');
  });

  it('posts one comment for a delivery Zendesk sends twice', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    expect((await notify(ticket, comment, { invocation: 'inv-dup-1' })).status).toBe(202);
    const again = await notify(ticket, comment, { invocation: 'inv-dup-1' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: true, duplicate: true });
    expect(zendesk.commentsAdded(ticket.id)).toHaveLength(1);
  });

  it('posts one comment when a second trigger fires for the same comment', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('en'), 'Password', 'How do I reset my password?');
    await notify(ticket, comment);
    expect((await notify(ticket, comment)).status).toBe(202);
    expect(zendesk.commentsAdded(ticket.id)).toHaveLength(1);
    expect(zendesk.requestsMatching(isTicketUpdate(ticket.id))).toHaveLength(1);
  });

  it('waits out a 429 and retries a 500, then posts exactly one comment', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    zendesk.inject(isTicketUpdate(ticket.id), zendeskRateLimited(30));
    zendesk.inject(isTicketUpdate(ticket.id), serverError(500));
    expect((await notify(ticket, comment)).status).toBe(202);
    expect(zendesk.requestsMatching(isTicketUpdate(ticket.id))).toHaveLength(3);
    expect(zendesk.commentsAdded(ticket.id)).toHaveLength(1);
    expect(ticket.status).toBe('pending');
  });

  it('acknowledges deliveries while paused and posts nothing, then answers again once resumed', async () => {
    await admin('PATCH', '/v1/agents/support/channels/zendesk', { enabled: false });
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    const paused = await notify(ticket, comment);
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ accepted: true, ignored: 'the channel is paused' });
    expect(zendesk.requestsMatching(isCommentsList(ticket.id))).toEqual([]);
    expect(zendesk.commentsAdded(ticket.id)).toEqual([]);

    await admin('PATCH', '/v1/agents/support/channels/zendesk', { enabled: true });
    const second = zendesk.addComment(ticket.id, ticket.requester_id, 'Comment réinitialiser mon mot de passe ?');
    expect((await notify(ticket, second)).status).toBe(202);
    expect(zendesk.commentsAdded(ticket.id)).toHaveLength(1);
  });

  it("acknowledges the AI agent's own comment without a job, reading or writing nothing", async () => {
    const { ticket } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    const own = zendesk.addComment(ticket.id, AGENT_USER, "Voici ce que j'ai trouvé : …");
    const jobs = h.t.enqueued.length;
    const response = await notify(ticket, own);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: true, ignored: "the AI agent's own comment" });
    expect(h.t.enqueued.length).toBe(jobs);
    expect(zendesk.requestsMatching((request) => request.url.pathname.includes(`/tickets/${ticket.id}`))).toEqual([]);
    expect(zendesk.commentsAdded(ticket.id)).toHaveLength(1);
  });

  it("still ignores the agent's own comment in the worker, for a job queued another way", async () => {
    const { ticket } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    const own = zendesk.addComment(ticket.id, AGENT_USER, "Voici ce que j'ai trouvé : …");
    await processChannelEvent(h.services, await job({ ticketId: String(ticket.id), commentId: String(own.id), authorId: String(AGENT_USER), text: own.body }));
    expect(zendesk.requestsMatching((request) => request.url.pathname.includes(`/tickets/${ticket.id}`))).toEqual([]);
  });

  it("leaves a human agent's public reply alone", async () => {
    const { ticket } = zendesk.openTicket(customer('fr'), 'Mot de passe', 'Comment réinitialiser mon mot de passe ?');
    zendesk.addUser({ id: 200, name: 'Paul (support)', email: 'paul@facturo.example', role: 'admin' });
    const human = zendesk.addComment(ticket.id, 200, 'Je regarde votre compte et je reviens vers vous.');
    await notify(ticket, human);
    expect(zendesk.requestsMatching(isTicketUpdate(ticket.id))).toEqual([]);
  });
});

describe('retries and permanent failures', () => {
  it('finishes an escalation in a retried job: the message recorded and decided once, nothing posted twice', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('fr'), 'Aide', 'Je veux parler à un humain');
    const payload = await job({ ticketId: String(ticket.id), commentId: String(comment.id), authorId: String(ticket.requester_id), text: comment.body });
    // The handoff note (the internal comment) fails every attempt of the first run.
    const handoff = (request: { json: unknown }) => (request.json as { ticket?: { comment?: { public?: boolean } } } | undefined)?.ticket?.comment?.public === false;
    zendesk.inject((request) => isTicketUpdate(ticket.id)(request) && handoff(request), serverError(503), 5);
    await expect(processChannelEvent(h.services, payload)).rejects.toThrow('HTTP 503');
    expect(zendesk.commentsAdded(ticket.id).map((added) => added.public)).toEqual([true]);

    await processChannelEvent(h.services, payload);
    expect(zendesk.commentsAdded(ticket.id).map((added) => added.public)).toEqual([true, false]);
    expect(ticket).toMatchObject({ group_id: 360001, status: 'open' });
    // Without the stored decision, the retry would have recorded the message again and, handed over, stayed silent.
    expect(await recorded(ticket.id)).toEqual({ customer: ['Je veux parler à un humain'], decisions: ['escalate'] });
  });

  it('fails the job once, without retries, when Zendesk refuses the credentials', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('en'), 'Password', 'How do I reset my password?');
    zendesk.inject(isCommentsList(ticket.id), { kind: 'respond', response: { status: 401, json: { error: "Couldn't authenticate you" } } });
    const events = h.jobEvents.length;
    expect((await notify(ticket, comment)).status).toBe(202);
    expect(h.jobEvents.slice(events)).toMatchObject([{ type: 'failed', attempt: 1, willRetry: false, permanent: true, error: { name: 'ChannelPermanentError', platform: 'zendesk', status: 401 } }]);
    expect(zendesk.requestsMatching(isCommentsList(ticket.id))).toHaveLength(1);
    expect(zendesk.commentsAdded(ticket.id)).toEqual([]);
  });

  it('fails the job once when Zendesk rejects the update (422)', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('en'), 'Password', 'How do I reset my password?');
    zendesk.inject(isTicketUpdate(ticket.id), { kind: 'respond', response: { status: 422, json: { error: 'RecordInvalid', description: 'Ticket is closed' } } });
    const events = h.jobEvents.length;
    await notify(ticket, comment);
    expect(h.jobEvents.slice(events)).toMatchObject([{ type: 'failed', willRetry: false, permanent: true, error: { status: 422 } }]);
    expect(zendesk.requestsMatching(isTicketUpdate(ticket.id))).toHaveLength(1);
  });

  it('drops the event, and completes the job, for a ticket that no longer exists', async () => {
    const { ticket, comment } = zendesk.openTicket(customer('en'), 'Password', 'How do I reset my password?');
    zendesk.tickets.delete(ticket.id);
    const events = h.jobEvents.length;
    await notify(ticket, comment);
    expect(h.jobEvents.slice(events)).toMatchObject([{ type: 'completed' }]);
  });
});
