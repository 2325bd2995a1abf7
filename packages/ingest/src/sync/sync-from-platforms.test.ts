import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createLogger, SecretBox } from '@relai/config';
import { openTestDatabase, type TestDatabase } from '@relai/db/testing';
import { createSource } from '@relai/sources';
import { createFakeClock, FakeIntercomApi, intercomRateLimited, isPath, serverError, type FakeIntercomArticle } from '@relai/sources/testing';
import { createEmbedder } from '../embed/embedder';
import { SourceStore, type SourceRecord } from '../sources/source-store';
import { runSync, type SyncDeps } from './sync-runner';

/** The real Intercom connector against a local fake of the Intercom API, through the real sync engine. */
let handle: TestDatabase;
let intercom: FakeIntercomApi;
let deps: SyncDeps;
let source: SourceRecord;
const clock = createFakeClock(Date.UTC(2026, 10, 21, 9, 0, 0));

const articles: FakeIntercomArticle[] = Array.from({ length: 12 }, (_, index) => ({
  id: String(100 + index),
  title: index % 2 ? `How to export invoices ${index}` : `Comment exporter ses factures ${index}`,
  body: index % 2 ? `<h2>Steps</h2><p>Open Settings, then Export number ${index}.</p>` : `<h2>Étapes</h2><p>Ouvrez Paramètres puis Export numéro ${index}.</p>`,
  state: index === 11 ? 'draft' : 'published',
  updatedAt: 1_763_700_000 + index,
  parentIds: [2],
  locale: index % 2 ? 'en' : 'fr',
}));

beforeEach(async () => {
  handle = await openTestDatabase(inject('pgliteTemplateDir'));
  intercom = await FakeIntercomApi.start({
    accessToken: 'ic-token',
    now: clock.now,
    helpCenters: [{ id: '1', displayName: 'Aide' }],
    collections: [
      { id: '1', name: 'Facturation', parentId: null, helpCenterId: 1 },
      { id: '2', name: 'Export', parentId: '1', helpCenterId: null },
    ],
    articles: structuredClone(articles),
  });
  const sources = new SourceStore(handle.db, new SecretBox('k'.repeat(40)));
  deps = {
    db: handle.db,
    embedder: await createEmbedder({ provider: 'local' }),
    sources,
    logger: createLogger('silent'),
    connect: (record) => createSource(record.config, { sleep: clock.sleep, now: clock.now, timeoutMs: 500, maxAttempts: 3, baseDelayMs: 1 }),
  };
  const tenant = await handle.db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('t') RETURNING id");
  source = await sources.create(
    tenant.rows[0]!.id,
    { name: 'Intercom', config: { kind: 'intercom', accessToken: 'ic-token', baseUrl: intercom.baseUrl, perPage: 5 } as never, full_sync_cron: '0 3 * * 1', timezone: 'Europe/Paris', incremental_every_minutes: 10 },
    'secret-secret-secret',
  );
});
afterEach(async () => {
  await intercom.close();
  await handle.dispose();
});

const published = async () =>
  (await handle.db.query<{ external_id: string; collection_path: string[]; language: string }>(
    "SELECT external_id, collection_path, language FROM articles WHERE state = 'published' ORDER BY external_id",
  )).rows;

describe('sync from Intercom', () => {
  it('waits out a 429 until the reset and completes the listing', async () => {
    intercom.server.inject(isPath('/articles', { page: '2' }), intercomRateLimited(Math.floor(clock.now() / 1000) + 8));
    const summary = await runSync(deps, source, 'full', { trigger: 'test' });
    expect(summary).toMatchObject({ status: 'succeeded', counts: { seen: 12, created: 11 } });
    expect(clock.sleeps.some((ms) => ms >= 7_000)).toBe(true);
    const rows = await published();
    expect(rows).toHaveLength(11);
    expect(rows[0]).toEqual({ external_id: '100', collection_path: ['Facturation', 'Export'], language: 'fr' });
  });

  it('fails with the reason after retrying a 5xx, and keeps what was indexed', async () => {
    await runSync(deps, source, 'full', { trigger: 'test' });
    intercom.server.inject(isPath('/articles', { page: '2' }), serverError(503), 10);
    intercom.data.articles.splice(0, 3); // would be garbage-collected by a complete listing
    const summary = await runSync(deps, source, 'full', { trigger: 'test' });
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/503/);
    expect(await published()).toHaveLength(11);
  });

  it('fails a run whose source stops answering, and keeps what was indexed', async () => {
    await runSync(deps, source, 'full', { trigger: 'test' });
    intercom.server.inject(isPath('/articles', { page: '1' }), { kind: 'hang' }, 10);
    const summary = await runSync(deps, source, 'full', { trigger: 'test' });
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/timed out|timeout|abort/i);
    expect(await published()).toHaveLength(11);
  });
});
