import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceAuthError, SourceHttpError, SourceResponseError } from '../http/errors';
import { collect } from '../testing/collect';
import { createFakeClock } from '../testing/fake-clock';
import type { FakeClock } from '../testing/fake-clock';
import { malformedJson, serverError } from '../testing/fake-http-server';
import type { RecordedRequest } from '../testing/fake-http-server';
import { FakeZendeskApi, zendeskRateLimited } from './zendesk-api.fake';
import type { FakeZendeskData } from './zendesk-api.fake';
import { ZendeskSource } from './zendesk-source';
import type { ZendeskConfigInput } from './zendesk-source';

const EMAIL = 'agent@example.com';
const API_TOKEN = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';

let clock: FakeClock;
let api: FakeZendeskApi;

beforeEach(() => {
  clock = createFakeClock();
});

afterEach(async () => {
  await api.close();
});

const nowSeconds = () => Math.floor(clock.now() / 1000);
const DAY = 86_400;

function fixture(overrides: Partial<FakeZendeskData> = {}): FakeZendeskData {
  const t = nowSeconds();
  return {
    email: EMAIL,
    apiToken: API_TOKEN,
    now: clock.now,
    locales: ['en-us', 'fr'],
    categories: [
      { id: 1, names: { 'en-us': 'Billing', fr: 'Facturation' } },
      { id: 2, names: { 'en-us': 'Account', fr: 'Compte' } },
    ],
    sections: [
      { id: 10, categoryId: 1, names: { 'en-us': 'Refunds', fr: 'Remboursements' } },
      { id: 11, categoryId: 1, parentSectionId: 10, names: { 'en-us': 'Card refunds', fr: 'Remboursements carte' } },
      { id: 20, categoryId: 2, names: { 'en-us': 'Login', fr: 'Connexion' } },
    ],
    articles: [
      {
        id: 100,
        sectionId: 10,
        sourceLocale: 'en-us',
        labels: ['refund'],
        translations: {
          'en-us': { title: 'Get a refund', body: '<p>Refunds take 5 days.</p>', updatedAt: t - 5 * DAY },
          fr: { title: 'Obtenir un remboursement', body: '<p>Les remboursements prennent 5 jours.</p>', updatedAt: t - 4 * DAY },
        },
      },
      { id: 101, sectionId: 11, sourceLocale: 'en-us', translations: { 'en-us': { title: 'Card refunds', body: '<p>Cards</p>', updatedAt: t - 3 * DAY } } },
      {
        id: 102,
        sectionId: 20,
        sourceLocale: 'en-us',
        translations: {
          'en-us': { title: 'Reset your password', body: '<p>Click reset.</p>', updatedAt: t - 2 * DAY },
          fr: { title: 'Réinitialiser le mot de passe', body: '<p>Cliquez.</p>', draft: true, updatedAt: t - 2 * DAY },
        },
      },
      { id: 103, sectionId: 20, sourceLocale: 'fr', translations: { fr: { title: 'Compte bloqué', body: '<p>Bloqué</p>', updatedAt: t - DAY } } },
      { id: 104, sectionId: 10, sourceLocale: 'en-us', translations: { 'en-us': { title: 'Draft', body: '<p>wip</p>', draft: true, updatedAt: t - 6 * DAY } } },
    ],
    ...overrides,
  };
}

async function setUp(overrides: Partial<FakeZendeskData> = {}, config: Partial<ZendeskConfigInput> = {}) {
  api = await FakeZendeskApi.start(fixture(overrides));
  return new ZendeskSource(
    { baseUrl: api.baseUrl, auth: { email: EMAIL, apiToken: API_TOKEN }, pageSize: 2, ...config },
    { sleep: clock.sleep, now: clock.now },
  );
}

const ids = (articles: { externalId: string }[]) => articles.map((article) => article.externalId);
const startTimes = () => api.server.requestsTo('/api/v2/help_center/incremental/articles.json').map((r) => Number(r.url.searchParams.get('start_time')));
const isArticlesList = (locale: string) => (request: RecordedRequest) => request.url.pathname === `/api/v2/help_center/${locale}/articles.json`;

describe('ZendeskSource full listing', () => {
  it('lists every translation of every enabled locale through cursor pagination', async () => {
    const source = await setUp();
    const listing = source.listAll();
    const listed = await collect(listing);

    expect(ids(listed)).toEqual(['100:en-us', '101:en-us', '102:en-us', '104:en-us', '100:fr', '102:fr', '103:fr']);
    const byId = new Map(listed.map((article) => [article.externalId, article]));
    expect(byId.get('100:en-us')).toMatchObject({
      title: 'Get a refund',
      url: 'https://example.zendesk.com/hc/en-us/articles/100-Get-a-refund',
      collectionPath: ['Billing', 'Refunds'],
      locale: 'en-us',
      state: 'published',
      html: '<p>Refunds take 5 days.</p>',
      updatedAt: new Date((nowSeconds() - 5 * DAY) * 1000),
      tags: ['refund'],
    });
    expect(byId.get('100:fr')).toMatchObject({ title: 'Obtenir un remboursement', collectionPath: ['Facturation', 'Remboursements'], locale: 'fr' });
    expect(byId.get('101:en-us')?.collectionPath).toEqual(['Billing', 'Refunds', 'Card refunds']);
    expect(byId.get('102:fr')?.state).toBe('draft');
    expect(byId.get('104:en-us')?.state).toBe('draft');
    expect(listing.cursor()).toEqual({ startTime: nowSeconds() - 60 });

    const enPages = api.server.requests.filter(isArticlesList('en-us'));
    expect(enPages.map((request) => request.url.searchParams.get('page[size]'))).toEqual(['2', '2']);
    expect(enPages[0]?.url.searchParams.get('page[after]')).toBeNull();
    expect(enPages[1]?.url.searchParams.get('page[after]')).toBeTruthy();
  });

  it('lists only the configured locales, without asking for the enabled ones', async () => {
    const source = await setUp({}, { locales: ['FR'] });
    expect(ids(await collect(source.listAll()))).toEqual(['100:fr', '102:fr', '103:fr']);
    expect(api.server.requestsTo('/api/v2/help_center/locales.json')).toHaveLength(0);
  });

  it('sends Basic auth as "{email}/token:{api_token}", or a bearer OAuth token', async () => {
    const source = await setUp();
    await source.fetchOne('100:en-us');
    const expected = `Basic ${Buffer.from(`${EMAIL}/token:${API_TOKEN}`).toString('base64')}`;
    expect(api.server.requests[0]?.headers.authorization).toBe(expected);

    const oauth = new ZendeskSource({ baseUrl: api.baseUrl, auth: { oauthToken: API_TOKEN } }, { sleep: clock.sleep });
    expect(await oauth.fetchOne('100:en-us')).not.toBeNull();
    expect(api.server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
  });
});

describe('ZendeskSource incremental export', () => {
  it('follows end_time across pages and yields every configured locale of each changed article', async () => {
    const source = await setUp({ incrementalPageSize: 2 });
    const since = nowSeconds() - 3 * DAY - 10;
    const listing = source.listChanged({ startTime: since });
    const listed = await collect(listing);

    // 101 (en-us only) → its fr translation is reported gone; 102 → en-us record + fetched fr draft; 103 (fr source) → en-us gone.
    expect(listed.map((article) => [article.externalId, article.state])).toEqual([
      ['101:en-us', 'published'],
      ['101:fr', 'deleted'],
      ['102:en-us', 'published'],
      ['102:fr', 'draft'],
      ['103:en-us', 'deleted'],
      ['103:fr', 'published'],
    ]);
    expect(listed.find((article) => article.externalId === '103:fr')?.collectionPath).toEqual(['Compte', 'Connexion']);
    expect(startTimes()).toEqual([since, nowSeconds() - 2 * DAY, nowSeconds() - DAY]);
    expect(listing.cursor()).toEqual({ startTime: nowSeconds() - DAY });
  });

  it('stops on an empty page when next_page is never null, keeping the cursor', async () => {
    const source = await setUp({ nextPageNeverNull: true });
    const since = nowSeconds() - 3600;
    const listing = source.listChanged({ startTime: since });
    expect(await collect(listing)).toEqual([]);
    expect(startTimes()).toEqual([since]);
    expect(listing.cursor()).toEqual({ startTime: since });
  });

  it('stops when end_time does not advance instead of asking for the same page forever', async () => {
    const t = nowSeconds() - DAY;
    const same = (id: number) => ({ id, sectionId: 10, sourceLocale: 'en-us', translations: { 'en-us': { title: `A${id}`, body: '<p/>', updatedAt: t } } });
    const source = await setUp({ incrementalPageSize: 2, articles: [same(1), same(2), same(3)] }, { locales: ['en-us'] });
    const listing = source.listChanged({ startTime: t - 100 });
    expect(ids(await collect(listing))).toEqual(['1:en-us', '2:en-us']);
    expect(startTimes()).toEqual([t - 100, t]);
    expect(listing.cursor()).toEqual({ startTime: t });
  });

  it('keeps start_time at least 60 s in the past, so changes of the last minute come next time', async () => {
    const source = await setUp({}, { locales: ['en-us'] });
    const recent = nowSeconds() - 10;
    const justEdited = api.data.articles.find((article) => article.id === 104)!;
    justEdited.translations['en-us']!.updatedAt = nowSeconds() - 30;

    const first = source.listChanged({ startTime: recent });
    expect(await collect(first)).toEqual([]);
    expect(startTimes()).toEqual([nowSeconds() - 60]);
    expect(first.cursor()).toEqual({ startTime: nowSeconds() - 60 });

    clock.advance(120_000);
    const second = source.listChanged(first.cursor());
    expect(ids(await collect(second))).toEqual(['104:en-us']);
    expect((second.cursor().startTime as number) <= nowSeconds() - 60).toBe(true);
  });

  it('starts with a full listing when there is no cursor yet', async () => {
    const source = await setUp();
    const listing = source.listChanged(null);
    expect(await collect(listing)).toHaveLength(7);
    expect(startTimes()).toEqual([]);
    expect(listing.cursor()).toEqual({ startTime: nowSeconds() - 60 });
  });

  it('rejects a cursor that is not a Zendesk cursor', async () => {
    const source = await setUp();
    expect(() => source.listChanged({ updatedAt: 1 })).toThrow(/Not a Zendesk cursor/);
  });
});

describe('ZendeskSource fetchOne', () => {
  it('fetches one translation by "{id}:{locale}", or the source locale for a bare id', async () => {
    const source = await setUp();
    expect(await source.fetchOne('100:fr')).toMatchObject({ externalId: '100:fr', collectionPath: ['Facturation', 'Remboursements'] });
    expect(await source.fetchOne('103')).toMatchObject({ externalId: '103:fr', title: 'Compte bloqué' });
    expect(api.server.requestsTo('/api/v2/help_center/fr/articles/100.json')).toHaveLength(1);
  });

  it('returns null when the article or that translation is gone (404)', async () => {
    const source = await setUp();
    expect(await source.fetchOne('101:fr')).toBeNull();
    expect(await source.fetchOne('999')).toBeNull();
    await expect(source.fetchOne('../etc')).rejects.toThrow(/Not a Zendesk article id/);
  });
});

describe('ZendeskSource under faults', () => {
  it('honours Retry-After on 429, then completes the listing', async () => {
    const source = await setUp();
    api.server.inject((request) => isArticlesList('en-us')(request) && request.url.searchParams.has('page[after]'), zendeskRateLimited(30));
    expect(await collect(source.listAll())).toHaveLength(7);
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('retries a 5xx twice and completes the listing', async () => {
    const source = await setUp();
    api.server.inject(isArticlesList('fr'), serverError(500), 2);
    expect(await collect(source.listAll())).toHaveLength(7);
    expect(api.server.requests.filter(isArticlesList('fr'))).toHaveLength(4);
  });

  it('fails with a SourceHttpError after 5 attempts when the 5xx persists', async () => {
    const source = await setUp();
    api.server.inject(isArticlesList('fr'), serverError(503, { error: 'ServiceUnavailable', description: 'Maintenance' }), Infinity);
    const failure = collect(source.listAll());
    await expect(failure).rejects.toThrow(SourceHttpError);
    await expect(failure).rejects.toMatchObject({ status: 503, attempts: 5, reason: 'ServiceUnavailable: Maintenance' });
  });

  it('fails with a SourceResponseError on a malformed JSON body', async () => {
    const source = await setUp();
    api.server.inject((request) => request.url.pathname.endsWith('/sections.json'), malformedJson());
    await expect(collect(source.listAll())).rejects.toThrow(SourceResponseError);
  });

  it('fails with a SourceAuthError on 401, without retrying or leaking the token', async () => {
    api = await FakeZendeskApi.start(fixture());
    const source = new ZendeskSource({ baseUrl: api.baseUrl, auth: { email: EMAIL, apiToken: 'wrong-token' } }, { sleep: clock.sleep });
    const failure = collect(source.listAll());
    await expect(failure).rejects.toThrow(SourceAuthError);
    await expect(failure).rejects.toThrow(/Couldn't authenticate you/);
    await expect(failure).rejects.not.toThrow(/wrong-token/);
    expect(api.server.requests).toHaveLength(1);
  });

  it('retries an export request that never gets an answer, then fails', async () => {
    api = await FakeZendeskApi.start(fixture());
    const source = new ZendeskSource(
      { baseUrl: api.baseUrl, auth: { email: EMAIL, apiToken: API_TOKEN }, locales: ['en-us'] },
      { sleep: clock.sleep, now: clock.now, timeoutMs: 50, maxAttempts: 3 },
    );
    api.server.inject((request) => request.url.pathname.includes('/incremental/'), { kind: 'hang' }, Infinity);
    const failure = collect(source.listChanged({ startTime: 0 }));
    await expect(failure).rejects.toMatchObject({ status: null, attempts: 3, retryable: true });
    expect(startTimes()).toEqual([0, 0, 0]);
  });
});
