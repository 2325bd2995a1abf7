import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createLogger, SecretBox } from '@relai/config';
import { openTestDatabase, type TestDatabase } from '@relai/db/testing';
import { createEmbedder, type Embedder } from '../embed/embedder';
import { SourceStore, type SourceRecord } from '../sources/source-store';
import { article, MemorySource } from '../testing/memory-source';
import { syncArticle } from './article-sync';
import { SyncAlreadyRunningError, SyncRunStore } from './sync-run-store';
import { runSync, type SyncDeps } from './sync-runner';
import { excludeArticle } from '../indexing/article-store';
import { refreshTermStats } from '../indexing/term-stats';

let handle: TestDatabase;
let remote: MemorySource;
let deps: SyncDeps;
let source: SourceRecord;
let embedded: string[];

function countingEmbedder(base: Embedder): Embedder {
  const embedDocuments = base.embeddings.embedDocuments.bind(base.embeddings);
  base.embeddings.embedDocuments = async (texts: string[]) => {
    embedded.push(...texts);
    return embedDocuments(texts);
  };
  return base;
}

async function depsWith(embedder: Embedder): Promise<SyncDeps> {
  const sources = new SourceStore(handle.db, new SecretBox('k'.repeat(40)));
  return { db: handle.db, embedder, sources, connect: () => remote, logger: createLogger('silent') };
}

beforeEach(async () => {
  handle = await openTestDatabase(inject('pgliteTemplateDir'));
  remote = new MemorySource();
  embedded = [];
  deps = await depsWith(countingEmbedder(await createEmbedder({ provider: 'local' })));
  const tenant = await handle.db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('Facturo') RETURNING id");
  source = await deps.sources.create(
    tenant.rows[0]!.id,
    { name: 'Help center', config: { kind: 'jsonl', path: '/dev/null' }, full_sync_cron: '0 3 * * 1', timezone: 'Europe/Paris', incremental_every_minutes: 10 },
    'webhook-secret-0123456789',
  );
});
afterEach(() => handle.dispose());

const sync = (mode: 'full' | 'incremental' = 'full') => runSync(deps, source, mode, { trigger: 'test' });
const fresh = async () => (source = (await deps.sources.get(source.tenantId, source.id))!);

async function searchable(): Promise<Record<string, string[]>> {
  const { rows } = await handle.db.query<{ external_id: string; texts: string[] }>(
    `SELECT a.external_id, array_agg(c.text ORDER BY c.position) AS texts FROM articles a JOIN chunks c ON c.article_id = a.id
     WHERE a.state = 'published' GROUP BY a.external_id ORDER BY a.external_id`,
  );
  return Object.fromEntries(rows.map((row) => [row.external_id, row.texts]));
}

describe('full sync', () => {
  it('indexes published articles with chunks in their language and skips drafts', async () => {
    remote.put(article('1', { title: 'Politique de remboursement' }));
    remote.put(article('2', { locale: 'en-us', title: 'Refund policy', html: '<p>Refunds are possible within 14 days.</p>' }));
    remote.put(article('3', { state: 'draft' }));
    const summary = await sync();
    expect(summary).toMatchObject({ status: 'succeeded', counts: { seen: 3, created: 2, unchanged: 1, failed: 0 } });
    expect(Object.keys(await searchable())).toEqual(['1', '2']);
    const { rows } = await handle.db.query("SELECT a.external_id, a.language, c.ts_config::text AS config, c.embedding_model FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY 1");
    expect(rows).toEqual([
      { external_id: '1', language: 'fr', config: 'french', embedding_model: deps.embedder.modelId },
      { external_id: '2', language: 'en', config: 'english', embedding_model: deps.embedder.modelId },
    ]);
  });

  it('re-embeds nothing when nothing changed', async () => {
    for (let i = 0; i < 5; i++) remote.put(article(String(i)));
    await sync();
    const before = embedded.length;
    const summary = await sync();
    expect(summary.counts).toMatchObject({ seen: 5, unchanged: 5, created: 0, updated: 0 });
    expect(embedded.length).toBe(before);
  });

  it('replaces the chunks of an edited article and keeps the others', async () => {
    remote.put(article('1', { html: '<p>Ancien délai : 30 jours.</p>' }));
    remote.put(article('2'));
    await sync();
    remote.put(article('1', { html: '<p>Nouveau délai : 14 jours.</p>' }));
    const summary = await sync();
    expect(summary.counts).toMatchObject({ updated: 1, unchanged: 1 });
    const texts = await searchable();
    expect(texts['1']!.join(' ')).toContain('Nouveau délai : 14 jours.');
    expect(texts['1']!.join(' ')).not.toContain('Ancien');
    expect(embedded.filter((text) => text.includes('Ancien')).length).toBe(1);
  });

  it('takes unpublished and vanished articles out of search', async () => {
    remote.put(article('1'));
    remote.put(article('2'));
    remote.put(article('3'));
    await sync();
    remote.put(article('2', { state: 'draft' }));
    remote.articles.delete('3');
    const summary = await sync();
    expect(summary.counts).toMatchObject({ deleted: 2, unchanged: 1 });
    expect(Object.keys(await searchable())).toEqual(['1']);
    const { rows } = await handle.db.query('SELECT external_id, state, deleted_at IS NOT NULL AS gone FROM articles ORDER BY 1');
    expect(rows).toEqual([
      { external_id: '1', state: 'published', gone: false },
      { external_id: '2', state: 'draft', gone: false },
      { external_id: '3', state: 'deleted', gone: true },
    ]);
  });

  it('fails with the reason and removes nothing when the source goes down mid-listing', async () => {
    for (let i = 0; i < 4; i++) remote.put(article(String(i)));
    await sync();
    remote.put(article('0', { html: '<p>Version modifiée</p>' }));
    remote.failAfter = 2;
    const summary = await sync();
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/503/);
    expect(Object.keys(await searchable())).toEqual(['0', '1', '2', '3']);
    const { rows } = await handle.db.query("SELECT status, error FROM sync_runs ORDER BY started_at DESC LIMIT 1");
    expect(rows[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/503/) });
  });

  it('records an empty article as failed, a huge one as truncated, and goes on', async () => {
    remote.put(article('empty', { html: '<script>track()</script><nav>Menu</nav>' }));
    remote.put(article('huge', { html: `<h2>Long</h2>${'<p>Une phrase assez longue pour remplir le corps de cet article.</p>'.repeat(20_000)}` }));
    remote.put(article('broken', { html: '<div><p>Texte <b>non fermé <table><tr><td>cellule' }));
    const summary = await sync();
    expect(summary.counts).toMatchObject({ seen: 3, created: 2, failed: 1 });
    const problems = await handle.db.query('SELECT external_id, kind, reason FROM sync_run_errors ORDER BY external_id');
    expect(problems.rows).toEqual([
      { external_id: 'empty', kind: 'failed', reason: expect.stringMatching(/no text/) },
      { external_id: 'huge', kind: 'truncated', reason: expect.stringMatching(/MB/) },
    ]);
    expect((await searchable())['broken']!.join(' ')).toContain('cellule');
  });

  it('ends in the same state with no duplicates when a crashed run is re-run', async () => {
    for (let i = 0; i < 6; i++) remote.put(article(String(i)));
    remote.failAfter = 3;
    await sync();
    // The crashed process left its run "running" with a stale heartbeat.
    await handle.db.query("UPDATE sync_runs SET status = 'running', heartbeat_at = now() - interval '10 minutes', finished_at = NULL");
    remote.failAfter = null;
    const summary = await sync();
    expect(summary.status).toBe('succeeded');
    const { rows } = await handle.db.query<{ articles: number; chunks: number }>(
      'SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM chunks) AS chunks',
    );
    expect(rows[0]!.articles).toBe(6);
    expect(Object.keys(await searchable())).toHaveLength(6);
    const runs = await handle.db.query("SELECT status, error FROM sync_runs ORDER BY started_at");
    expect(runs.rows[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/abandoned/) });
  });

  it('refuses a second sync of the same source while one runs', async () => {
    const runs = new SyncRunStore(handle.db);
    await runs.start(source.tenantId, source.id, 'full', 'test');
    await expect(sync('incremental')).rejects.toBeInstanceOf(SyncAlreadyRunningError);
  });

  it('re-embeds everything with a new model and never mixes two models', async () => {
    remote.put(article('1'));
    remote.put(article('2'));
    await sync();
    deps = await depsWith(await createEmbedder({ provider: 'local', dimensions: 256 }));
    const summary = await sync();
    expect(summary.counts.updated).toBe(2);
    const { rows } = await handle.db.query('SELECT DISTINCT embedding_model, vector_dims(embedding) AS dims FROM chunks');
    expect(rows).toEqual([{ embedding_model: deps.embedder.modelId, dims: 256 }]);
  });

  it('keeps an article an operator removed out of later syncs', async () => {
    remote.put(article('1'));
    remote.put(article('2'));
    await sync();
    const { rows } = await handle.db.query<{ id: string }>("SELECT id FROM articles WHERE external_id = '1'");
    await excludeArticle(handle.db, source.tenantId, rows[0]!.id);
    remote.put(article('1', { html: '<p>Modifié</p>' }));
    await sync();
    expect(Object.keys(await searchable())).toEqual(['2']);
  });
});

describe('incremental sync', () => {
  it('indexes only what changed since the cursor and deletes nothing', async () => {
    remote.put(article('1'));
    remote.put(article('2'));
    await sync();
    await fresh();
    remote.articles.delete('2');
    remote.put(article('3'));
    const summary = await sync('incremental');
    expect(summary.counts).toMatchObject({ seen: 1, created: 1, deleted: 0 });
    expect(Object.keys(await searchable())).toEqual(['1', '2', '3']);
  });
});

describe('single-article changes (webhooks)', () => {
  it('indexes a pushed article, refetches by id, and removes a deleted one at once', async () => {
    await syncArticle(deps, source, { type: 'upsert', article: article('7', { title: 'Exporter le FEC' }) }, 'webhook');
    expect(Object.keys(await searchable())).toEqual(['7']);
    remote.put(article('8'));
    expect((await syncArticle(deps, source, { type: 'fetch', externalId: '8' }, 'webhook')).status).toBe('created');
    expect((await syncArticle(deps, source, { type: 'remove', externalId: '7' }, 'webhook')).status).toBe('deleted');
    // Fetching an id the source no longer has also removes it.
    remote.articles.delete('8');
    expect((await syncArticle(deps, source, { type: 'fetch', externalId: '8' }, 'webhook')).status).toBe('deleted');
    expect(await searchable()).toEqual({});
  });

  it('keeps the term statistics equal to a full recount through webhook changes and exclusions', async () => {
    remote.put(article('1', { title: 'Politique de remboursement' }));
    remote.put(article('2', { locale: 'en-us', title: 'Refund policy', html: '<p>Refunds are possible within 14 days.</p>' }));
    await sync();
    const stats = async () => {
      const terms = await handle.db.query<{ entry: string }>(
        "SELECT ts_config::text || ':' || lexeme || '=' || df AS entry FROM term_stats WHERE tenant_id = $1 AND df > 0 ORDER BY 1",
        [source.tenantId],
      );
      const corpus = await handle.db.query<{ chunks: number }>('SELECT chunks FROM corpus_stats WHERE tenant_id = $1', [source.tenantId]);
      return { terms: terms.rows.map((row) => row.entry), chunks: corpus.rows[0]?.chunks };
    };
    const recounted = async () => {
      const adjusted = await stats();
      await refreshTermStats(handle.db, source.tenantId);
      return { adjusted, recount: await stats() };
    };
    const longArticle = `<h2>Avoirs</h2><p>${'Un avoir annule une facture validée. '.repeat(120)}</p><h2>Export</h2><p>Exportez le FEC.</p>`;
    await syncArticle(deps, source, { type: 'upsert', article: article('3', { title: 'Créer un avoir', html: longArticle }) }, 'webhook');
    let { adjusted, recount } = await recounted();
    expect(adjusted).toEqual(recount);
    await syncArticle(deps, source, { type: 'upsert', article: article('1', { title: 'Remboursement partiel', html: '<p>Un avoir partiel rembourse le client.</p>' }) }, 'webhook');
    ({ adjusted, recount } = await recounted());
    expect(adjusted).toEqual(recount);
    await syncArticle(deps, source, { type: 'remove', externalId: '3' }, 'webhook');
    ({ adjusted, recount } = await recounted());
    expect(adjusted).toEqual(recount);
    const english = await handle.db.query<{ id: string }>("SELECT id FROM articles WHERE external_id = '2'");
    await excludeArticle(handle.db, source.tenantId, english.rows[0]!.id);
    ({ adjusted, recount } = await recounted());
    expect(adjusted).toEqual(recount);
    expect(recount.terms.some((entry) => entry.startsWith('english:'))).toBe(false);
  });

  it('runs while a full sync of the same source is running', async () => {
    await new SyncRunStore(handle.db).start(source.tenantId, source.id, 'full', 'test');
    const outcome = await syncArticle(deps, source, { type: 'upsert', article: article('9') }, 'webhook');
    expect(outcome.status).toBe('created');
  });
});
