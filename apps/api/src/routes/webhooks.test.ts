import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { SourceRecord } from '@relai/ingest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { relaiSignature, zendeskSignature } from '../webhooks/signatures';

let t: TestApp;
let source: SourceRecord;
const SECRET = 'zendesk-signing-secret-123456';

beforeEach(async () => {
  t = await createTestApp(inject('pgliteTemplateDir'));
  source = await t.deps.sources.create(
    t.tenantId,
    { name: 'Guide', config: { kind: 'html-site', startUrl: 'https://help.example.com/' } as never, full_sync_cron: '0 3 * * 1', timezone: 'Europe/Paris', incremental_every_minutes: 10 },
    SECRET,
  );
});
afterEach(() => t.dispose());

const publishedEvent = (id = '7005414006398', type = 'zen:event-type:article.published') =>
  JSON.stringify({
    account_id: 10168721,
    detail: { brand_id: '224348602', id },
    event: { author_id: '225859532', locale: 'fr', section_id: '7005437870078', title: 'Résilier' },
    id: '01GX4P86AC7T0AFF86QGAHTEFR',
    subject: `zen:article:${id}`,
    time: '2023-04-03T23:11:49.571545199Z',
    type,
    zendesk_event_version: '2022-11-06',
  });

function zendesk(body: string, options: { secret?: string; invocation?: string } = {}) {
  const timestamp = '2026-11-21T10:00:00Z';
  return t.app.request(`/v1/webhooks/zendesk/${source.id}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
      'X-Zendesk-Webhook-Signature': zendeskSignature(options.secret ?? SECRET, timestamp, Buffer.from(body)),
      'X-Zendesk-Webhook-Invocation-Id': options.invocation ?? 'inv-1',
    },
    body,
  });
}

describe('Zendesk article webhook', () => {
  it('enqueues a refetch of the published article in its locale', async () => {
    const response = await zendesk(publishedEvent());
    expect(response.status).toBe(202);
    expect(t.enqueued).toEqual([
      { job: 'article-change', payload: { tenantId: t.tenantId, sourceId: source.id, change: { type: 'fetch', externalId: '7005414006398:fr' }, trigger: 'zendesk-webhook' }, options: undefined },
    ]);
  });

  it('processes a duplicate delivery once', async () => {
    await zendesk(publishedEvent());
    const again = await zendesk(publishedEvent());
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(t.enqueued).toHaveLength(1);
  });

  it('refuses a forged or missing signature with 401 and enqueues nothing', async () => {
    expect((await zendesk(publishedEvent(), { secret: 'another-secret-xxxxxxxx' })).status).toBe(401);
    const unsigned = await t.app.request(`/v1/webhooks/zendesk/${source.id}`, { method: 'POST', body: publishedEvent() });
    expect(unsigned.status).toBe(401);
    expect(t.enqueued).toEqual([]);
  });

  it('refuses a signed but malformed body with 400 and enqueues nothing', async () => {
    expect((await zendesk('{"type": "zen:event-type:article.published"')).status).toBe(400);
    expect((await zendesk('{"type": "zen:event-type:article.published"}', { invocation: 'inv-2' })).status).toBe(400);
    expect(t.enqueued).toEqual([]);
  });

  it('takes an unpublished article out in every locale it is indexed in', async () => {
    for (const locale of ['fr', 'en-us']) {
      await t.handle.db.query(
        "INSERT INTO articles (tenant_id, source_id, external_id, title, state, content_hash) VALUES ($1, $2, $3, 't', 'published', 'h')",
        [t.tenantId, source.id, `42:${locale}`],
      );
    }
    const body = JSON.stringify({ type: 'zen:event-type:article.unpublished', id: 'evt', detail: { id: '42' }, event: {} });
    expect((await zendesk(body)).status).toBe(202);
    expect(t.enqueued.map((entry) => (entry.payload as { change: unknown }).change)).toEqual([
      { type: 'remove', externalId: '42:fr' },
      { type: 'remove', externalId: '42:en-us' },
    ]);
  });

  it('acknowledges events that are not about articles without acting', async () => {
    const response = await zendesk(publishedEvent('1', 'zen:event-type:ticket.status_changed'));
    expect(response.status).toBe(200);
    expect(t.enqueued).toEqual([]);
  });
});

describe('generic signed article webhook', () => {
  const post = (body: string, signature = relaiSignature(SECRET, Math.floor(Date.now() / 1000), body)) =>
    t.app.request(`/v1/webhooks/sources/${source.id}/articles`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Relai-Signature': signature, 'X-Relai-Delivery': 'd-1' },
      body,
    });

  it('enqueues a full article pushed by a CMS', async () => {
    const body = JSON.stringify({ event: 'article.upserted', article: { id: 42, title: 'Exporter le FEC', collection: 'Export', language: 'fr', html: '<p>Menu Paramètres</p>' } });
    expect((await post(body)).status).toBe(202);
    expect(t.enqueued[0]!.payload).toMatchObject({
      change: { type: 'upsert', article: { externalId: '42', title: 'Exporter le FEC', collectionPath: ['Export'], locale: 'fr', state: 'published' } },
    });
  });

  it('refuses replayed, forged and unsigned deliveries', async () => {
    const body = JSON.stringify({ event: 'article.deleted', article_id: '42' });
    const old = Math.floor(Date.now() / 1000) - 3600;
    const replay = await post(body, relaiSignature(SECRET, old, body));
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { message: expect.stringMatching(/300 s/) } });
    expect((await post(body, relaiSignature('wrong-secret-000000', Math.floor(Date.now() / 1000), body))).status).toBe(401);
    expect((await post(body, '')).status).toBe(401);
    expect(t.enqueued).toEqual([]);
  });

  it('names the failing field of a signed but invalid event', async () => {
    const response = await post(JSON.stringify({ event: 'article.upserted', article: { id: 'x', title: '' } }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringMatching(/article\.title/) } });
    expect(t.enqueued).toEqual([]);
  });

  it('answers 404 for an unknown source', async () => {
    const response = await t.app.request('/v1/webhooks/sources/00000000-0000-4000-8000-000000000000/articles', { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });
});
