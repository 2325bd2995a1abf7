import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttpServer, isPath, serverError } from './fake-http-server';

let server: FakeHttpServer;
beforeAll(async () => {
  // Echoes what it read, to show the handler sees the body too.
  server = await FakeHttpServer.start((request) => ({ json: { method: request.method, received: request.json ?? request.body } }));
});
afterAll(() => server.close());

describe('FakeHttpServer', () => {
  it('records JSON bodies, as text and decoded, and hands them to the handler', async () => {
    const payload = { ticket: { comment: { body: 'Réponse', public: true } } };
    const response = await fetch(`${server.baseUrl}/api/v2/tickets/1.json`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    expect(await response.json()).toEqual({ method: 'PUT', received: payload });
    const [request] = server.requestsTo('/api/v2/tickets/1.json');
    expect(request).toMatchObject({ method: 'PUT', body: JSON.stringify(payload), json: payload });
    expect(request!.headers['content-type']).toBe('application/json');
  });

  it('records a body that is not JSON as text only, and a GET with an empty body', async () => {
    await fetch(`${server.baseUrl}/form`, { method: 'POST', body: 'a=1&b=Élodie' });
    await fetch(`${server.baseUrl}/page?x=1`);
    expect(server.requestsTo('/form')).toMatchObject([{ body: 'a=1&b=Élodie', json: undefined }]);
    expect(server.requestsTo('/page')).toMatchObject([{ method: 'GET', body: '', json: undefined }]);
    expect(server.requestsTo('/page')[0]!.url.searchParams.get('x')).toBe('1');
  });

  it('lets fault rules match on the body', async () => {
    server.inject((request) => isPath('/messages')(request) && (request.json as { text?: string } | undefined)?.text === 'fail me', serverError(503));
    const failed = await fetch(`${server.baseUrl}/messages`, { method: 'POST', body: JSON.stringify({ text: 'fail me' }) });
    const passed = await fetch(`${server.baseUrl}/messages`, { method: 'POST', body: JSON.stringify({ text: 'fine' }) });
    expect([failed.status, passed.status]).toEqual([503, 200]);
    expect(server.requestsTo('/messages').map((request) => request.json)).toEqual([{ text: 'fail me' }, { text: 'fine' }]);
  });
});
