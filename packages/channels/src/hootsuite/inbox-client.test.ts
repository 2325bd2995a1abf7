import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPermanentJobError } from '@relai/queue';
import { SourceHttpError } from '@relai/sources';
import { FakeHttpServer, isPath, serverError } from '@relai/sources/testing';
import { ChannelPermanentError } from '../errors';
import { endpointTemplatesSchema } from './endpoints';
import { InboxApiError, InboxApiPermanentError, InboxClient } from './inbox-client';

let server: FakeHttpServer;
let client: InboxClient;
const waits: number[] = [];

beforeAll(async () => {
  server = await FakeHttpServer.start((request) => (request.url.pathname.endsWith('/messages') ? { status: 201, json: { id: 'hs-1' } } : { json: {} }));
  client = new InboxClient({
    baseUrl: `${server.baseUrl}/inbox/v1`,
    endpoints: endpointTemplatesSchema.parse({}),
    apiToken: 'hs-token',
    http: { sleep: async (ms) => void waits.push(ms), random: () => 0, timeoutMs: 2_000 },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  waits.length = 0;
});

const respond = (status: number) => ({ kind: 'respond' as const, response: { status, json: { error: `status ${status}` } } });

describe('the Hootsuite Inbox client', () => {
  it('sends the documented bodies with the bearer token, and returns the id of what it created', async () => {
    expect(await client.sendMessage('c-1', 'Bonjour')).toEqual({ platformId: 'hs-1' });
    await client.transfer('c-1', { to: 'previous_agent', agentId: 'agent-7' }, 'team-9');
    const [message] = server.requestsTo('/inbox/v1/conversations/c-1/messages');
    expect(message).toMatchObject({ method: 'POST', json: { text: 'Bonjour' } });
    expect(message!.headers.authorization).toBe('Bearer hs-token');
    expect(server.requestsTo('/inbox/v1/conversations/c-1/transfer').map((request) => request.json)).toEqual([{ to: 'previous_agent', agent_id: 'agent-7', team_id: 'team-9' }]);
  });

  it.each([400, 401, 403, 404, 422])('fails at once with a permanent error on %i: retrying cannot change it', async (status) => {
    const path = `/inbox/v1/conversations/p-${status}/notes`;
    server.inject(isPath(path), respond(status));
    const error = await client.addNote(`p-${status}`, 'Pour l’équipe').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InboxApiPermanentError);
    expect(error).toBeInstanceOf(ChannelPermanentError);
    expect(error).toMatchObject({ platform: 'hootsuite', operation: 'add_note', status, message: `Hootsuite Inbox API add_note answered ${status}: {"error":"status ${status}"}` });
    expect(isPermanentJobError(error)).toBe(true);
    expect(server.requestsTo(path)).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('leaves to the job what may pass later: a 409, a 5xx that outlasted the retries', async () => {
    server.inject(isPath('/inbox/v1/conversations/r-1/resolve'), respond(409));
    const conflict = await client.resolve('r-1').catch((caught: unknown) => caught);
    expect(conflict).toBeInstanceOf(InboxApiError);
    expect(isPermanentJobError(conflict)).toBe(false);

    server.inject(isPath('/inbox/v1/conversations/r-2/resolve'), serverError(503), 5);
    const unavailable = await client.resolve('r-2').catch((caught: unknown) => caught);
    expect(unavailable).toBeInstanceOf(SourceHttpError);
    expect(isPermanentJobError(unavailable)).toBe(false);
    expect(server.requestsTo('/inbox/v1/conversations/r-2/resolve')).toHaveLength(5);
  });
});
