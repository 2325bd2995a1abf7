import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPermanentJobError } from '@relai/queue';
import { SourceAuthError, SourceHttpError, SourceResponseError } from '@relai/sources';
import { ChannelPermanentError } from '../errors';
import { malformedJson, serverError, zendeskRateLimited } from '@relai/sources/testing';
import { ZendeskTicketNotFoundError } from './zendesk-errors';
import { FakeZendeskPlatform, isCommentsList, isTicketUpdate, type FakeZendeskUser } from './zendesk-platform.fake';
import { ZendeskTicketsClient } from './zendesk-tickets-client';

const credentials = { email: 'ia@acme.fr', apiToken: 'token-123', agentUserId: 900 };
const customer: FakeZendeskUser = { id: 100, name: 'Marie Curie', email: 'marie@example.fr', role: 'end-user' };
const waits: number[] = [];
const policy = { sleep: async (ms: number) => void waits.push(ms), random: () => 0, timeoutMs: 2_000 };

let zendesk: FakeZendeskPlatform;
let client: ZendeskTicketsClient;
beforeAll(async () => {
  zendesk = await FakeZendeskPlatform.start(credentials);
  client = new ZendeskTicketsClient(zendesk.baseUrl, { email: credentials.email, apiToken: credentials.apiToken }, policy);
});
afterAll(() => zendesk.close());
beforeEach(() => {
  waits.length = 0;
});

describe('Zendesk tickets client', () => {
  it('reads the latest comments oldest first with their authors, authenticated as {email}/token', async () => {
    const { ticket, comment } = zendesk.openTicket(customer, 'Factures', 'Où sont mes factures ?');
    const reply = zendesk.addComment(ticket.id, 900, 'Dans Paramètres.');
    const later = zendesk.addComment(ticket.id, 100, 'Merci !');
    const thread = await client.recentComments(String(ticket.id), 2);
    expect(thread.comments.map((each) => each.id)).toEqual([String(reply.id), String(later.id)]);
    expect(thread.comments[1]).toEqual({ id: String(later.id), authorId: '100', text: 'Merci !', public: true });
    expect(thread.users.get('100')).toEqual({ id: '100', name: 'Marie Curie', email: 'marie@example.fr', role: 'end-user' });
    const [request] = zendesk.requestsMatching(isCommentsList(ticket.id));
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from('ia@acme.fr/token:token-123').toString('base64')}`);
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({ sort_order: 'desc', per_page: '2', include: 'users' });
    expect(comment.id).toBeLessThan(reply.id);
  });

  it('adds a comment with a status and a group in one PUT', async () => {
    const { ticket } = zendesk.openTicket(customer, 'Aide', 'Bonjour');
    await client.updateTicket(String(ticket.id), { comment: { html_body: '<p>Bonjour</p>', public: false }, status: 'open', group_id: 360001 });
    expect(zendesk.requestsMatching(isTicketUpdate(ticket.id)).map((request) => request.json)).toEqual([
      { ticket: { comment: { html_body: '<p>Bonjour</p>', public: false }, status: 'open', group_id: 360001 } },
    ]);
    expect(zendesk.tickets.get(ticket.id)).toMatchObject({ status: 'open', group_id: 360001 });
    expect(zendesk.commentsAdded(ticket.id)).toMatchObject([{ author_id: 900, public: false, html_body: '<p>Bonjour</p>' }]);
  });

  it('waits out a 429 for its Retry-After and retries a 500, then succeeds once', async () => {
    const { ticket } = zendesk.openTicket(customer, 'Aide', 'Bonjour');
    zendesk.inject(isTicketUpdate(ticket.id), zendeskRateLimited(7));
    zendesk.inject(isTicketUpdate(ticket.id), serverError(500));
    await client.updateTicket(String(ticket.id), { comment: { body: 'Réponse', public: true } });
    expect(zendesk.requestsMatching(isTicketUpdate(ticket.id))).toHaveLength(3);
    expect(waits[0]).toBe(7_000);
    expect(zendesk.commentsAdded(ticket.id)).toHaveLength(1);
  });

  it('throws typed errors: not found, unauthorized, malformed body', async () => {
    const missing = await client.recentComments('999999', 10).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ZendeskTicketNotFoundError);
    expect(missing).toBeInstanceOf(ChannelPermanentError);
    const { ticket } = zendesk.openTicket(customer, 'Aide', 'Bonjour');
    const wrongToken = new ZendeskTicketsClient(zendesk.baseUrl, { email: credentials.email, apiToken: 'wrong' }, policy);
    const unauthorized = await wrongToken.recentComments(String(ticket.id), 10).catch((error: unknown) => error);
    expect(unauthorized).toBeInstanceOf(ChannelPermanentError);
    expect(unauthorized).toMatchObject({ platform: 'zendesk', status: 401 });
    expect((unauthorized as Error).cause).toBeInstanceOf(SourceAuthError);
    expect(((unauthorized as Error).cause as SourceAuthError).reason).toBe("Couldn't authenticate you");
    zendesk.inject(isCommentsList(ticket.id), malformedJson());
    await expect(client.recentComments(String(ticket.id), 10)).rejects.toBeInstanceOf(SourceResponseError);
    const invalid = await client.updateTicket(String(ticket.id), { comment: { body: 'x', public: true }, status: 'nope' as never }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ChannelPermanentError);
    expect((invalid as ChannelPermanentError).status).toBe(422);
    expect((invalid as Error).cause).toBeInstanceOf(SourceHttpError);
  });

  it('marks what retrying cannot fix as permanent for the job, and nothing else', async () => {
    const { ticket } = zendesk.openTicket(customer, 'Aide', 'Bonjour');
    zendesk.inject(isTicketUpdate(ticket.id), { kind: 'respond', response: { status: 403, json: { error: 'Forbidden', description: 'You do not have access to this page' } } });
    const forbidden = await client.updateTicket(String(ticket.id), { comment: { body: 'x', public: true } }).catch((error: unknown) => error);
    expect(isPermanentJobError(forbidden)).toBe(true);
    // A 409 (a concurrent update) or a 5xx that outlasted the client's retries may pass on the job's retry.
    zendesk.inject(isTicketUpdate(ticket.id), { kind: 'respond', response: { status: 409, json: { error: 'Conflict' } } });
    const conflict = await client.updateTicket(String(ticket.id), { comment: { body: 'x', public: true } }).catch((error: unknown) => error);
    zendesk.inject(isTicketUpdate(ticket.id), serverError(503), 5);
    const unavailable = await client.updateTicket(String(ticket.id), { comment: { body: 'x', public: true } }).catch((error: unknown) => error);
    expect([conflict, unavailable].map((error) => [(error as SourceHttpError).status, isPermanentJobError(error)])).toEqual([
      [409, false],
      [503, false],
    ]);
    expect(zendesk.commentsAdded(ticket.id)).toEqual([]);
  });
});
