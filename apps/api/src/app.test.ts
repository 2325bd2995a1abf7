import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp(inject('pgliteTemplateDir'));
});
afterEach(() => t.dispose());

const admin = () => ({ Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' });

describe('health', () => {
  it('answers /healthz and reports the database in /readyz', async () => {
    expect((await t.app.request('/healthz')).status).toBe(200);
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: { ok: true } } });
  });

  it('answers 503 naming the dependency that is down', async () => {
    await t.handle.db.close();
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { database: { ok: false } }, error: { code: 'not_ready' } });
  });
});

describe('errors', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const response = await t.app.request('/v1/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /v1/nope' } });
  });

  it('refuses missing and wrong tokens with 401', async () => {
    expect((await t.app.request('/v1/sources')).status).toBe(401);
    const wrong = await t.app.request('/v1/sources', { headers: { Authorization: 'Bearer rl_wrong' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('keeps agent tokens away from admin endpoints', async () => {
    const response = await t.app.request('/v1/sources', { headers: { Authorization: `Bearer ${t.agentToken}` } });
    expect(response.status).toBe(403);
  });

  it('refuses oversized bodies with 413 before reading them', async () => {
    const response = await t.app.request('/v1/sources', { method: 'POST', headers: admin(), body: 'x'.repeat(3 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });
});

describe('sources API', () => {
  const zendesk = { name: 'Zendesk FR', config: { kind: 'zendesk', baseUrl: 'https://acme.zendesk.com', auth: { email: 'ops@acme.fr', apiToken: 'zd-secret-token' }, locales: ['fr'] } };

  it('creates a source, hides its credentials, schedules and starts its first sync', async () => {
    const response = await t.app.request('/v1/sources', { method: 'POST', headers: admin(), body: JSON.stringify(zendesk) });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { source: { id: string; config: unknown }; webhooks: { zendesk: string; secret: string } };
    expect(JSON.stringify(body.source)).not.toContain('zd-secret-token');
    expect(body.webhooks.zendesk).toBe(`https://relai.example.com/v1/webhooks/zendesk/${body.source.id}`);
    expect(body.webhooks.secret.length).toBeGreaterThan(16);
    expect(t.enqueued).toEqual([
      { job: 'sync-source', payload: { tenantId: t.tenantId, sourceId: body.source.id, mode: 'full', trigger: 'created' }, options: { dedupeKey: `sync-full-${body.source.id}` } },
    ]);
    const stored = await t.handle.db.query('SELECT config::text FROM sources');
    expect(stored.rows[0]!.config).not.toContain('zd-secret-token');
    const list = await (await t.app.request('/v1/sources', { headers: admin() })).json();
    expect(list).toMatchObject({ sources: [{ id: body.source.id, name: 'Zendesk FR', kind: 'zendesk' }] });
  });

  it('names the failing field of an invalid source and stores nothing', async () => {
    const response = await t.app.request('/v1/sources', {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({ name: 'x', config: { kind: 'intercom' }, timezone: 'Mars/Olympus' }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/config\.accessToken/);
    expect(error.message).toMatch(/timezone/);
    expect((await t.handle.db.query('SELECT count(*)::int AS n FROM sources')).rows[0]).toEqual({ n: 0 });
  });

  it('refuses sources that would read server files, malformed JSON and duplicate names', async () => {
    const file = await t.app.request('/v1/sources', { method: 'POST', headers: admin(), body: JSON.stringify({ name: 'f', config: { kind: 'jsonl', path: '/etc/passwd' } }) });
    expect(file.status).toBe(400);
    const malformed = await t.app.request('/v1/sources', { method: 'POST', headers: admin(), body: '{"name":' });
    expect(malformed.status).toBe(400);
    await t.app.request('/v1/sources', { method: 'POST', headers: admin(), body: JSON.stringify(zendesk) });
    const duplicate = await t.app.request('/v1/sources', { method: 'POST', headers: admin(), body: JSON.stringify(zendesk) });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/^name:/) } });
  });

  it('answers 404 for unknown or foreign source ids, including malformed ones', async () => {
    expect((await t.app.request('/v1/sources/not-a-uuid/runs', { headers: admin() })).status).toBe(404);
    expect((await t.app.request('/v1/sources/00000000-0000-4000-8000-000000000000', { headers: admin() })).status).toBe(404);
    expect((await t.app.request('/v1/articles/x', { method: 'DELETE', headers: admin() })).status).toBe(404);
  });

  it('queues a manual sync once even when asked twice', async () => {
    const created = (await (await t.app.request('/v1/sources', { method: 'POST', headers: admin(), body: JSON.stringify(zendesk) })).json()) as { source: { id: string } };
    const first = await t.app.request(`/v1/sources/${created.source.id}/sync`, { method: 'POST', headers: admin(), body: JSON.stringify({ mode: 'incremental' }) });
    const second = await t.app.request(`/v1/sources/${created.source.id}/sync`, { method: 'POST', headers: admin(), body: JSON.stringify({ mode: 'incremental' }) });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ queued: true, mode: 'incremental' });
    expect(await second.json()).toMatchObject({ queued: false, already_queued: true });
  });
});
