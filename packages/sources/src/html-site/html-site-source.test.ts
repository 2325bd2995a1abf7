import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../testing/collect';
import type { FakeHttpServer, FakeResponse } from '../testing/fake-http-server';
import { HtmlSiteSource } from './html-site-source';
import type { HtmlSiteConfigInput } from './html-site-source';
import { htmlPage, startFakeSite } from './site.fake';

const HEADER = '<header><nav class="site-nav"><a href="/">Home</a> <a href="/help/">Help</a></nav></header>';
const FOOTER = '<footer>© Acme — <a href="/legal" rel="nofollow">Legal</a></footer>';

function routes(base: string): Record<string, FakeResponse> {
  return {
    '/robots.txt': { text: 'User-agent: *\nDisallow: /private/\nAllow: /private/public-note$\n\nUser-agent: OtherBot\nDisallow: /\n' },
    '/': htmlPage({
      title: 'Acme Help',
      body: `${HEADER}<main><h1>Acme Help</h1><ul>
        <li><a href="/help/billing">Billing</a></li>
        <li><a href="/help/refunds#how">Refunds</a></li>
        <li><a href="/help/refunds?utm=nav">Refunds again</a></li>
        <li><a href="/private/secret">Secret</a></li>
        <li><a href="/private/public-note">Note</a></li>
        <li><a href="https://external.example.com/page">Partner</a></li>
        <li><a href="/files/guide.pdf">PDF</a></li>
        <li><a href="/help/logo">Logo</a></li>
        <li><a href="/help/hidden">Hidden</a></li>
        <li><a href="mailto:help@acme.test">Mail</a></li>
        <li><a href="/help/missing">Missing</a></li>
      </ul></main>${FOOTER}`,
    }),
    '/help/billing': htmlPage({
      lang: 'fr',
      title: 'Facturation | Acme',
      head: '<link rel="canonical" href="/help/billing">',
      headers: { 'last-modified': 'Wed, 01 Jan 2025 10:00:00 GMT' },
      body: `${HEADER}<nav aria-label="Breadcrumb"><ol><li><a href="/">Accueil</a></li><li><a href="/help/">Aide</a></li><li aria-current="page">Facturation</li></ol></nav>
        <main><article><h1>Facturation</h1><p>Vos factures sont disponibles chaque mois.</p><a href="/help/refunds">Remboursements</a></article></main>${FOOTER}`,
    }),
    '/help/refunds': htmlPage({
      title: 'Refunds',
      head: '<link rel="canonical" href="/help/refunds">',
      body: `${HEADER}<main><nav class="toc"><a href="#how">How</a></nav><h1>Refunds</h1><p id="how">Refunds take 5 days.</p></main>${FOOTER}`,
    }),
    '/private/public-note': htmlPage({ title: 'Public note', body: `<h1>Public note</h1><p>Anyone can read this.</p>${FOOTER}` }),
    '/private/secret': htmlPage({ body: '<h1>Secret</h1>' }),
    '/help/logo': { contentType: 'image/png', text: '\u0089PNG' },
    '/help/hidden': htmlPage({ head: '<meta name="robots" content="noindex, follow">', body: '<main><h1>Hidden index</h1><a href="/help/gem">Gem</a></main>' }),
    '/help/gem': htmlPage({ body: '<main><h1>Gem</h1><p>Only linked from a noindex page.</p></main>' }),
    '/sitemap.xml': {
      contentType: 'application/xml',
      text: `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>${base}/sitemap-help.xml</loc></sitemap><sitemap><loc>${base}/sitemap-help.xml</loc></sitemap></sitemapindex>`,
    },
    '/sitemap-help.xml': {
      contentType: 'application/xml',
      text: `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>${base}/help/billing</loc><lastmod>2025-02-01</lastmod></url>
        <url><loc>${base}/help/refunds</loc><lastmod>2025-03-01T10:00:00+01:00</lastmod></url>
        <url><loc>https://external.example.com/x</loc></url>
        <url><loc>${base}/private/secret</loc></url>
        <url><loc>${base}/help/gem</loc></url></urlset>`,
    },
  };
}

let site: FakeHttpServer;
let fetched: string[];
let inFlight: number;
let maxInFlight: number;

afterEach(async () => {
  await site.close();
});

/** Starts the site; `edit` changes its routes. */
async function startSite(edit: (table: Record<string, FakeResponse>) => void = () => {}): Promise<void> {
  site = await startFakeSite((base) => {
    const table = routes(base);
    edit(table);
    return table;
  });
}

/** A source on the running site whose fetch records every URL and the requests in flight. */
function crawler(config: Partial<HtmlSiteConfigInput> = {}): HtmlSiteSource {
  fetched = [];
  inFlight = 0;
  maxInFlight = 0;
  const recordingFetch: typeof fetch = async (input, init) => {
    fetched.push(String(input));
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight -= 1;
    }
  };
  return new HtmlSiteSource({ startUrl: `${site.baseUrl}/`, ...config }, { fetch: recordingFetch, maxAttempts: 2, sleep: async () => {} });
}

async function setUp(config: Partial<HtmlSiteConfigInput> = {}, edit?: (table: Record<string, FakeResponse>) => void): Promise<HtmlSiteSource> {
  await startSite(edit);
  return crawler(config);
}

const paths = (urls: string[]) => urls.map((url) => new URL(url).pathname + new URL(url).search).sort();
const pageRequests = () => site.requests.filter((request) => !request.url.pathname.endsWith('robots.txt') && !request.url.pathname.endsWith('.xml'));

describe('HtmlSiteSource crawl', () => {
  it('crawls same-origin links, obeys robots.txt, skips noindex pages and non-HTML files', async () => {
    const source = await setUp();
    const listing = source.listAll();
    const listed = await collect(listing);

    expect(paths(listed.map((article) => article.externalId))).toEqual(['/', '/help/billing', '/help/gem', '/help/refunds', '/private/public-note']);
    expect(fetched.some((url) => url.includes('external.example.com'))).toBe(false);
    expect(fetched.some((url) => url.includes('/private/secret') || url.endsWith('.pdf'))).toBe(false);
    expect(site.requestsTo('/help/hidden')).toHaveLength(1); // fetched for its links, not listed
    expect(site.requestsTo('/legal')).toHaveLength(0); // rel=nofollow
    expect(site.requests[0]?.url.pathname).toBe('/robots.txt');
    expect(site.requests.every((request) => request.headers['user-agent'] === 'RelaiBot/1.0')).toBe(true);
    expect(listing.cursor()).toEqual({});
  });

  it('selects the body (keeping in-body boilerplate), the title, breadcrumbs, locale and Last-Modified', async () => {
    const source = await setUp();
    const byPath = new Map((await collect(source.listAll())).map((article) => [new URL(article.externalId).pathname, article]));

    const billing = byPath.get('/help/billing');
    expect(billing).toMatchObject({
      title: 'Facturation',
      collectionPath: ['Aide'],
      locale: 'fr',
      state: 'published',
      updatedAt: new Date('2025-01-01T10:00:00Z'),
    });
    expect(billing?.html).toMatch(/^<article>/);
    expect(billing?.html).not.toMatch(/site-nav|©/);

    const refunds = byPath.get('/help/refunds');
    expect(refunds?.html).toMatch(/^<main>/);
    expect(refunds?.html).toContain('class="toc"');
    expect(refunds).toMatchObject({ collectionPath: [], locale: null, updatedAt: null });

    const note = byPath.get('/private/public-note');
    expect(note?.html).toMatch(/^<body>/);
    expect(note?.html).toContain('© Acme');
  });

  it('lists two URLs with the same canonical once, under the canonical URL', async () => {
    const source = await setUp();
    const listed = await collect(source.listAll());
    expect(site.requests.filter((request) => request.url.pathname === '/help/refunds').length).toBeGreaterThanOrEqual(2);
    expect(listed.filter((article) => article.externalId.includes('/help/refunds'))).toEqual([
      expect.objectContaining({ externalId: `${site.baseUrl}/help/refunds` }),
    ]);
  });

  it('fetches at most maxPages pages; a full listing cut short by it throws instead of passing as complete', async () => {
    const source = await setUp({ maxPages: 3 });
    const yielded: string[] = [];
    const listing = source.listAll();
    await expect(
      (async () => {
        for await (const article of listing.articles) yielded.push(article.externalId);
      })(),
    ).rejects.toThrow(/reached maxPages \(3\) with \d+ pages still to fetch/);
    expect(pageRequests()).toHaveLength(3);
    expect(yielded.length).toBeGreaterThan(0);
  });

  it('lets an incremental crawl stop at maxPages (nothing is deleted on incremental runs)', async () => {
    const source = await setUp({ maxPages: 3 });
    const listing = source.listChanged(null);
    expect((await collect(listing)).length).toBeGreaterThan(0);
    expect(pageRequests()).toHaveLength(3);
    expect(listing.cursor()).toEqual({});
  });

  it('never has more than `concurrency` requests in flight', async () => {
    const source = await setUp({ concurrency: 2 });
    await collect(source.listAll());
    expect(pageRequests().length).toBeGreaterThan(5);
    expect(maxInFlight).toBe(2);
  });

  it('treats a missing robots.txt as allowing everything', async () => {
    const source = await setUp({}, (table) => delete table['/robots.txt']);
    const listed = await collect(source.listAll());
    expect(paths(listed.map((article) => article.externalId))).toContain('/private/secret');
  });

  it('lists only include matches but still crawls through other pages; never fetches excluded ones', async () => {
    const source = await setUp({ includePatterns: ['/help/'], excludePatterns: ['/help/refunds'] });
    const listed = await collect(source.listAll());
    expect(paths(listed.map((article) => article.externalId))).toEqual(['/help/billing', '/help/gem']);
    expect(site.requestsTo('/help/refunds')).toHaveLength(0);
  });

  it('throws when the start page is missing rather than list an empty site', async () => {
    const source = await setUp({}, (table) => delete table['/']);
    await expect(collect(source.listAll())).rejects.toThrow(/start URL .* gave no page: HTTP 404/);
  });
});

describe('HtmlSiteSource from a sitemap', () => {
  it('lists the sitemap pages (index followed) with lastmod, without following links', async () => {
    await startSite();
    const source = crawler({ sitemapUrl: `${site.baseUrl}/sitemap.xml` });
    const listed = await collect(source.listAll());

    expect(paths(listed.map((article) => article.externalId))).toEqual(['/help/billing', '/help/gem', '/help/refunds']);
    const byPath = new Map(listed.map((article) => [new URL(article.externalId).pathname, article]));
    expect(byPath.get('/help/billing')?.updatedAt).toEqual(new Date('2025-02-01T00:00:00Z'));
    expect(byPath.get('/help/refunds')?.updatedAt).toEqual(new Date('2025-03-01T09:00:00Z'));
    expect(byPath.get('/help/gem')?.updatedAt).toBeNull();
    expect(site.requestsTo('/sitemap-help.xml')).toHaveLength(1);
    expect(site.requestsTo('/')).toHaveLength(0);
    expect(site.requestsTo('/private/secret')).toHaveLength(0);
  });

  it('fails when the sitemap cannot be read or lists nothing, instead of listing an empty site', async () => {
    await startSite((table) => {
      table['/soft-404.xml'] = htmlPage({ body: '<h1>Page not found</h1>' });
    });
    await expect(collect(crawler({ sitemapUrl: `${site.baseUrl}/no-sitemap.xml` }).listAll())).rejects.toThrow(/sitemap unavailable/);
    await expect(collect(crawler({ sitemapUrl: `${site.baseUrl}/soft-404.xml` }).listAll())).rejects.toThrow(/lists no pages/);
  });
});

describe('HtmlSiteSource fetchOne', () => {
  it('fetches one page by URL; null when gone, off site, disallowed or noindex', async () => {
    const source = await setUp();
    expect(await source.fetchOne(`${site.baseUrl}/help/billing#top`)).toMatchObject({ externalId: `${site.baseUrl}/help/billing`, title: 'Facturation' });
    expect(await source.fetchOne(`${site.baseUrl}/help/missing`)).toBeNull();
    expect(await source.fetchOne('https://external.example.com/page')).toBeNull();
    expect(await source.fetchOne(`${site.baseUrl}/private/secret`)).toBeNull();
    expect(await source.fetchOne(`${site.baseUrl}/help/hidden`)).toBeNull();
    expect(site.requestsTo('/private/secret')).toHaveLength(0);
  });
});
