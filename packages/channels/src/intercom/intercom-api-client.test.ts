import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPermanentJobError } from '@relai/queue';
import { SourceAuthError, SourceHttpError, SourceResponseError } from '@relai/sources';
import { ChannelPermanentError } from '../errors';
import { intercomRateLimited, malformedJson, serverError } from '@relai/sources/testing';
import { IntercomApiClient } from './intercom-api-client';
import { IntercomPlatformFake, isIntercomRequest } from './intercom-platform.fake';

const TOKEN = 'dG9rOmFiYw==';
let fake: IntercomPlatformFake;
let waits: number[];
let client: IntercomApiClient;
let conversationId: string;
let conversations = 0;

beforeAll(async () => {
  fake = await IntercomPlatformFake.start({ accessToken: TOKEN, teamIds: ['5017691'] });
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  waits = [];
  // The clock moves only when the client sleeps.
  const now = () => 1_734_537_600_000 + waits.reduce((sum, ms) => sum + ms, 0);
  client = new IntercomApiClient(
    { baseUrl: fake.baseUrl, accessToken: TOKEN, apiVersion: '2.16' },
    { sleep: async (ms) => void waits.push(ms), now, random: () => 0, baseDelayMs: 100 },
  );
  conversationId = `c${++conversations}`;
  fake.openConversation({ id: conversationId, message: 'Où est ma facture ?', teamAssigneeId: '5017691' });
});

describe('the Intercom API client', () => {
  it('reads a conversation with the token and the pinned version', async () => {
    const conversation = await client.getConversation(conversationId);
    expect(conversation).toMatchObject({ id: conversationId, team_assignee_id: '5017691', source: { body: '<p>Où est ma facture ?</p>' } });
    const [request] = fake.requests.slice(-1);
    expect(request).toMatchObject({ method: 'GET', path: `/conversations/${conversationId}` });
    expect(request!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'intercom-version': '2.16', accept: 'application/json' });
  });

  it('replies, notes, assigns and closes with the documented bodies, as the admin', async () => {
    const comment = await client.reply(conversationId, { messageType: 'comment', adminId: '991', body: '<p>Bonjour</p>' });
    await client.reply(conversationId, { messageType: 'note', adminId: '991', body: '<p>Pour l’équipe</p>' });
    await client.assign(conversationId, { adminId: '991', assigneeId: '0' });
    await client.close(conversationId, { adminId: '991' });
    expect(comment).toEqual({ conversationId, partId: expect.any(String) });
    expect(fake.posted(conversationId, 'reply')).toEqual([
      { message_type: 'comment', type: 'admin', admin_id: '991', body: '<p>Bonjour</p>' },
      { message_type: 'note', type: 'admin', admin_id: '991', body: '<p>Pour l’équipe</p>' },
    ]);
    expect(fake.posted(conversationId, 'parts')).toEqual([
      { message_type: 'assignment', type: 'admin', admin_id: '991', assignee_id: '0' },
      { message_type: 'close', type: 'admin', admin_id: '991' },
    ]);
    expect(fake.conversation(conversationId)).toMatchObject({ state: 'closed', team_assignee_id: null, admin_assignee_id: null });
  });

  it('waits until X-RateLimit-Reset after a 429, retries a 500, and posts once', async () => {
    const reply = isIntercomRequest('POST', `/conversations/${conversationId}/reply`);
    fake.inject(reply, intercomRateLimited(1_734_537_602));
    fake.inject(reply, serverError(500));
    await client.reply(conversationId, { messageType: 'comment', adminId: '991', body: '<p>Bonjour</p>' });
    expect(fake.requests.filter(reply)).toHaveLength(3);
    // Two seconds to the reset, then the 500's backoff.
    expect(waits).toEqual([2_000, 50]);
    expect(fake.conversation(conversationId)).toMatchObject({ conversation_parts: { total_count: 1 } });
  });

  it.each([
    ['401 (a revoked token)', 'wrong-token', 401, SourceAuthError, 'unauthorized: Access Token Invalid'],
    ['404 (a deleted conversation)', TOKEN, 404, SourceHttpError, 'not_found: Resource Not Found'],
  ])('fails at once, without retrying, on %s: a permanent error for the job', async (_case, token, status, cause, reason) => {
    const other = new IntercomApiClient({ baseUrl: fake.baseUrl, accessToken: token, apiVersion: '2.16' }, { sleep: async (ms) => void waits.push(ms) });
    const id = token === TOKEN ? 'no-such-conversation' : conversationId;
    const error = await other.getConversation(id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChannelPermanentError);
    expect(error).toMatchObject({ platform: 'intercom', status });
    expect(isPermanentJobError(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(cause);
    expect((error as Error).cause).toMatchObject({ reason });
    expect(fake.requests.filter(isIntercomRequest('GET', `/conversations/${id}`))).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('refuses a body Intercom rejects (400) as permanent too', async () => {
    const error = await client.reply(conversationId, { messageType: 'comment', adminId: '991', body: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChannelPermanentError);
    expect(error).toMatchObject({ status: 400, message: expect.stringContaining('body is required') });
  });

  it('keeps a server error that outlasted the retries retryable for the job', async () => {
    fake.inject(isIntercomRequest('GET', `/conversations/${conversationId}`), serverError(503), 5);
    const error = await client.getConversation(conversationId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect(error).toMatchObject({ status: 503 });
    expect(isPermanentJobError(error)).toBe(false);
  });

  it('reports a 2xx body that is not JSON', async () => {
    fake.inject(isIntercomRequest('GET', `/conversations/${conversationId}`), malformedJson());
    await expect(client.getConversation(conversationId)).rejects.toBeInstanceOf(SourceResponseError);
  });
});
