import { afterEach, describe, expect, it } from 'vitest';
import { SourceAuthError, SourceHttpError, SourceResponseError } from '../http/errors';
import { collect } from '../testing/collect';
import { createFakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import { isPath, malformedJson, serverError } from '../testing/fake-http-server';
import { FakeIntercomApi, intercomRateLimited } from './intercom-api.fake';
import type { FakeIntercomArticle, FakeIntercomData } from './intercom-api.fake';
import { IntercomSource } from './intercom-source';
import type { IntercomConfigInput } from './intercom-source';

const TOKEN = 'dG9rOmZha2U=';
const T0 = 1_736_900_000;

/** Ten articles, ids "1" (newest) to "10" (oldest), in a three-level collection tree and a second help center. */
function articles(): FakeIntercomArticle[] {
  const placements: number[][] = [[159, 160], [161], [], [999], [170], [159], [160], [161, 159], [159], [170]];
  return placements.map((parentIds, index) => ({
    id: String(index + 1),
    title: index === 1 ? 'Rembourser une carte' : `Article ${index + 1}`,
    body: `<p>Body ${index + 1}</p>`,
    state: index === 2 ? 'draft' : 'published',
    updatedAt: T0 - index * 100,
    parentIds,
    locale: index === 1 ? 'fr' : 'en',
    tags: index === 0 ? ['billing'] : [],
  }));
}

function fixture(clock: FakeClock, overrides: Partial<FakeIntercomData> = {}): FakeIntercomData {
  return {
    accessToken: TOKEN,
    now: clock.now,
    helpCenters: [
      { id: '79', displayName: 'Customers' },
      { id: '80', displayName: 'Partners' },
    ],
    collections: [
      { id: '159', name: 'Billing', parentId: null, helpCenterId: 79 },
      { id: '160', name: 'Refunds', parentId: '159', helpCenterId: null },
      { id: '161', name: 'Card refunds', parentId: '160', helpCenterId: null },
      { id: '170', name: 'Partner program', parentId: null, helpCenterId: 80 },
    ],
    articles: articles(),
    ...overrides,
  };
}

let api: FakeIntercomApi;
let clock: FakeClock;

afterEach(async () => {
  await api.close();
});

async function setUp(overrides: Partial<FakeIntercomData> = {}, config: Partial<IntercomConfigInput> = {}) {
  clock = createFakeClock();
  api = await FakeIntercomApi.start(fixture(clock, overrides));
  const source = new IntercomSource({ accessToken: TOKEN, baseUrl: api.baseUrl, perPage: 3, ...config }, { sleep: clock.sleep, now: clock.now });
  return source;
}

const articlePages = () => api.server.requestsTo('/articles').map((request) => request.url.searchParams.get('page'));

describe('IntercomSource full listing', () => {
  it('lists every article once, with nested collection paths, drafts and metadata', async () => {
    const source = await setUp();
    const totals: number[] = [];
    const listing = source.listAll({ onTotal: (total) => totals.push(total) });
    const listed = await collect(listing);

    expect(listed.map((article) => article.externalId)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(totals).toEqual([10]);
    const byId = new Map(listed.map((article) => [article.externalId, article]));
    expect(byId.get('1')).toMatchObject({
      title: 'Article 1',
      collectionPath: ['Billing', 'Refunds'],
      state: 'published',
      locale: 'en',
      html: '<p>Body 1</p>',
      updatedAt: new Date(T0 * 1000),
      tags: ['billing'],
    });
    expect(byId.get('1')?.url).toMatch(/^http:\/\/help-center\.test\/.+\/articles\/1-/);
    expect(byId.get('2')).toMatchObject({ collectionPath: ['Billing', 'Refunds', 'Card refunds'], locale: 'fr' });
    expect(byId.get('8')?.collectionPath).toEqual(['Billing', 'Refunds', 'Card refunds']);
    expect(byId.get('3')).toMatchObject({ state: 'draft', url: null });
    expect(byId.get('4')?.collectionPath).toEqual([]); // unknown collection id
    expect(byId.get('5')?.collectionPath).toEqual(['Partner program']);
    expect(listing.cursor()).toEqual({ updatedAt: T0 });
    expect(articlePages()).toEqual(['1', '2', '3', '4']);
  });

  it('sends the bearer token, the pinned Intercom-Version and Accept on every request', async () => {
    const source = await setUp();
    await collect(source.listAll());
    expect(api.server.requests.length).toBeGreaterThan(4);
    for (const request of api.server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['intercom-version']).toBe('2.16');
      expect(request.headers.accept).toBe('application/json');
    }
  });

  it('keeps only the articles of the configured help center', async () => {
    const source = await setUp({}, { helpCenterId: 80 });
    const listed = await collect(source.listAll());
    expect(listed.map((article) => article.externalId)).toEqual(['5', '10']);
  });

  it('refuses to list a help center that does not exist rather than yield nothing', async () => {
    const source = await setUp({}, { helpCenterId: '12345' });
    await expect(collect(source.listAll())).rejects.toThrow(/help center 12345 not found.*79 \(Customers\)/);
  });

  it('reads sections and parent_id/parent_type with API versions up to 2.9', async () => {
    const source = await setUp(
      {
        collections: [{ id: '1', name: 'Billing', parentId: null, helpCenterId: 79 }],
        sections: [{ id: '1', name: 'Refunds', parentId: 1 }],
        articles: [
          { id: '45', title: 'In a section', body: '<p>x</p>', state: 'published', updatedAt: T0, parentIds: [], parentId: 1, parentType: 'section' },
          { id: '46', title: 'In a collection', body: '<p>y</p>', state: 'published', updatedAt: T0 - 1, parentIds: [], parentId: 1, parentType: 'collection' },
        ],
      },
      { apiVersion: '2.9' },
    );
    const listed = await collect(source.listAll());
    expect(listed.map((article) => [article.externalId, article.collectionPath])).toEqual([
      ['45', ['Billing', 'Refunds']],
      ['46', ['Billing']],
    ]);
    expect(api.server.requestsTo('/help_center/sections')).toHaveLength(1);
  });

  it('does not ask for sections with 2.10+ (the endpoint is gone)', async () => {
    const source = await setUp();
    await collect(source.listAll());
    expect(api.server.requestsTo('/help_center/sections')).toHaveLength(0);
  });

  it('still lists an article that jumped to page 1 while later pages were being read', async () => {
    const source = await setUp();
    const seen: string[] = [];
    for await (const article of source.listAll().articles) {
      seen.push(article.externalId);
      // Page 1 has been read; article 10 (on the last page) is edited now and moves to the top.
      if (seen.length === 1) api.data.articles.find((candidate) => candidate.id === '10')!.updatedAt = T0 + 50;
    }
    expect([...seen].sort()).toEqual(['1', '10', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses cursor() before the listing is consumed', async () => {
    const source = await setUp();
    expect(() => source.listAll().cursor()).toThrow(/fully consumed/);
  });
});

describe('IntercomSource incremental listing', () => {
  it('stops paging once it passes the cursor and advances the cursor', async () => {
    const source = await setUp();
    const listing = source.listChanged({ updatedAt: T0 - 400 });
    const listed = await collect(listing);
    expect(listed.map((article) => article.externalId)).toEqual(['1', '2', '3', '4', '5']);
    expect(articlePages()).toEqual(['1', '2']); // pages 3 and 4 are never asked for
    expect(listing.cursor()).toEqual({ updatedAt: T0 });
  });

  it('keeps the cursor when nothing changed, re-listing only the article at the cursor', async () => {
    const source = await setUp();
    const listing = source.listChanged({ updatedAt: T0 });
    const listed = await collect(listing);
    expect(listed.map((article) => article.externalId)).toEqual(['1']);
    expect(articlePages()).toEqual(['1']);
    expect(listing.cursor()).toEqual({ updatedAt: T0 });
  });

  it('lists drafts as state draft so they leave search', async () => {
    const source = await setUp();
    const listed = await collect(source.listChanged({ updatedAt: T0 - 200 }));
    expect(listed.find((article) => article.externalId === '3')?.state).toBe('draft');
  });

  it('treats a null cursor as a full listing', async () => {
    const source = await setUp();
    const listing = source.listChanged(null);
    expect(await collect(listing)).toHaveLength(10);
    expect(listing.cursor()).toEqual({ updatedAt: T0 });
  });

  it('rejects a cursor that is not an Intercom cursor', async () => {
    const source = await setUp();
    expect(() => source.listChanged({ startTime: 5 })).toThrow(/Not an Intercom cursor/);
  });
});

describe('IntercomSource translations', () => {
  const translated = (): FakeIntercomArticle[] => [
    {
      ...articles()[1]!,
      translations: {
        en: { title: 'Refund a card', body: '<p>Refunds go back to the card within 5 days.</p>', state: 'published', updatedAt: T0 - 50 },
        de: { title: 'Karte erstatten', body: '<p>Entwurf</p>', state: 'draft', updatedAt: T0 - 50 },
      },
    },
  ];

  it('lists each locale of translated_content as its own article, a draft translation as a draft', async () => {
    const source = await setUp({ articles: translated() });
    const items = await collect(source.listAll());
    expect(items.map((article) => [article.externalId, article.locale, article.state, article.title])).toEqual([
      ['2', 'fr', 'published', 'Rembourser une carte'],
      ['2:en', 'en', 'published', 'Refund a card'],
      ['2:de', 'de', 'draft', 'Karte erstatten'],
    ]);
    expect(items[1]).toMatchObject({ html: '<p>Refunds go back to the card within 5 days.</p>', collectionPath: ['Billing', 'Refunds', 'Card refunds'], url: expect.stringContaining('/en/articles/2-') });
  });

  it('fetches one translation by "<id>:<locale>", and null for a locale the article no longer has', async () => {
    const source = await setUp({ articles: translated() });
    expect(await source.fetchOne('2:en')).toMatchObject({ externalId: '2:en', title: 'Refund a card', locale: 'en' });
    expect(await source.fetchOne('2:it')).toBeNull();
  });
});

describe('IntercomSource fetchOne', () => {
  it('returns the article with its collection path, or null when Intercom answers 404', async () => {
    const source = await setUp();
    expect(await source.fetchOne('2')).toMatchObject({ externalId: '2', collectionPath: ['Billing', 'Refunds', 'Card refunds'] });
    expect(await source.fetchOne('404404')).toBeNull();
  });
});

describe('IntercomSource under faults', () => {
  it('waits until X-RateLimit-Reset on 429, then resumes and completes the listing', async () => {
    const source = await setUp();
    const reset = Math.floor(clock.now() / 1000) + 8;
    api.server.inject(isPath('/articles', { page: '2' }), intercomRateLimited(reset));
    const listed = await collect(source.listAll());
    expect(listed).toHaveLength(10);
    expect(clock.sleeps).toEqual([8000]);
    expect(articlePages()).toEqual(['1', '2', '2', '3', '4']);
  });

  it('slows down when X-RateLimit-Remaining reaches 0, so the window model never has to answer 429', async () => {
    const source = await setUp({ callsPerWindow: 2 });
    const listed = await collect(source.listAll());
    expect(listed).toHaveLength(10);
    expect(api.rateLimitedResponses).toBe(0);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it('retries a 5xx twice and completes the listing', async () => {
    const source = await setUp();
    api.server.inject(isPath('/articles', { page: '3' }), serverError(502), 2);
    const listed = await collect(source.listAll());
    expect(listed).toHaveLength(10);
    expect(articlePages()).toEqual(['1', '2', '3', '3', '3', '4']);
  });

  it('fails with a SourceHttpError after 5 attempts when the 5xx persists', async () => {
    const source = await setUp();
    api.server.inject(isPath('/articles', { page: '2' }), serverError(503), Infinity);
    const failure = collect(source.listAll());
    await expect(failure).rejects.toThrow(SourceHttpError);
    await expect(failure).rejects.toMatchObject({ status: 503, attempts: 5, retryable: true });
    await expect(failure).rejects.toThrow(/page=2.*HTTP 503/);
  });

  it('fails with a SourceResponseError on a malformed JSON body', async () => {
    const source = await setUp();
    api.server.inject(isPath('/help_center/collections'), malformedJson());
    await expect(collect(source.listAll())).rejects.toThrow(SourceResponseError);
  });

  it('fails with a SourceAuthError on 401, without retrying', async () => {
    clock = createFakeClock();
    api = await FakeIntercomApi.start(fixture(clock));
    const source = new IntercomSource({ accessToken: 'wrong', baseUrl: api.baseUrl }, { sleep: clock.sleep, now: clock.now });
    const failure = collect(source.listAll());
    await expect(failure).rejects.toThrow(SourceAuthError);
    await expect(failure).rejects.toThrow(/unauthorized: Access Token Invalid/);
    await expect(failure).rejects.not.toThrow(/wrong/); // the token never appears in errors
    expect(api.server.requests).toHaveLength(1);
  });

  it('retries a request that never gets an answer, then fails', async () => {
    clock = createFakeClock();
    api = await FakeIntercomApi.start(fixture(clock));
    const source = new IntercomSource(
      { accessToken: TOKEN, baseUrl: api.baseUrl },
      { sleep: clock.sleep, now: clock.now, timeoutMs: 50, maxAttempts: 2 },
    );
    api.server.inject(isPath('/articles'), { kind: 'hang' }, Infinity);
    const failure = collect(source.listAll());
    await expect(failure).rejects.toMatchObject({ status: null, retryable: true, attempts: 2 });
    await expect(failure).rejects.toThrow(/timed out/);
    expect(articlePages()).toEqual(['1', '1']);
  });
});
