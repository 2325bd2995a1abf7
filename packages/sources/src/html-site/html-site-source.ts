import { z } from 'zod';
import { SourceHttpError } from '../http/errors';
import { requestText } from '../http/request';
import type { ArticleSource, ListingOptions, SourceArticle, SourceCursor, SourceListing } from '../interface';
import { createListing } from '../listing';
import type { SourceDeps } from '../listing';
import { extractPage } from './page';
import { pathPattern } from './path-pattern';
import type { PathPattern } from './path-pattern';
import { RobotsRules } from './robots';
import { parseSitemap } from './sitemap';
import type { SitemapEntry } from './sitemap';
import { isHtmlContentType, looksLikeNonHtmlFile, normalizeUrl, pathAndQuery } from './site-urls';

export const htmlSiteConfigSchema = z.object({
  startUrl: z.url({ protocol: /^https?$/ }),
  /** When set, the pages are the sitemap's (index files followed) and links are not crawled. */
  sitemapUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Pages fetched at most per listing (the crawl's work bound, not the number of articles). A full listing that hits it throws. */
  maxPages: z.number().int().min(1).default(500),
  concurrency: z.number().int().min(1).max(32).default(4),
  titleSelector: z.string().min(1).default('h1, title'),
  /** Tried in order; a page where none matches is not an article (e.g. a category listing). */
  bodySelector: z.string().min(1).default('article, main, [role=main], .article-body, body'),
  /** robots.txt path syntax (`*`, final `$`) on path + query. Only matching pages become articles; others are still crawled for links. */
  includePatterns: z.array(z.string().min(1)).optional(),
  /** Same syntax; matching pages are neither fetched nor listed. */
  excludePatterns: z.array(z.string().min(1)).optional(),
  userAgent: z.string().min(1).default('RelaiBot/1.0'),
});
export type HtmlSiteConfig = z.output<typeof htmlSiteConfigSchema>;
export type HtmlSiteConfigInput = z.input<typeof htmlSiteConfigSchema>;

/** Bounds a sitemap index chain (and a loop of indexes pointing at each other). */
const MAX_SITEMAP_FILES = 50;
/** 401/403: private pages, not ours to index; 404/410: gone. Neither is worth failing the crawl. */
const SKIPPED_STATUSES = new Set([401, 403, 404, 410]);

interface QueuedPage {
  url: URL;
  lastmod: Date | null;
}

type PageOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'page'; finalUrl: URL; links: URL[]; followLinks: boolean; article: SourceArticle | null };

/**
 * A public website crawled like a search engine would: same origin only, robots.txt obeyed, meta
 * robots noindex honoured. Each page is an article whose id is its canonical URL.
 */
export class HtmlSiteSource implements ArticleSource {
  readonly kind = 'html-site' as const;
  private readonly config: HtmlSiteConfig;
  private readonly origin: string;
  private readonly include: PathPattern[] | null;
  private readonly exclude: PathPattern[];

  constructor(
    config: HtmlSiteConfigInput,
    private readonly deps: SourceDeps = {},
  ) {
    this.config = htmlSiteConfigSchema.parse(config);
    this.origin = new URL(this.config.startUrl).origin;
    this.include = this.config.includePatterns?.map(pathPattern) ?? null;
    this.exclude = (this.config.excludePatterns ?? []).map(pathPattern);
  }

  /**
   * Throws (after yielding what it fetched) when maxPages cut the crawl short: the full sync deletes
   * what a listing does not yield, so a truncated listing would drop live pages, and different ones
   * from run to run as links change.
   */
  listAll(options: ListingOptions = {}): SourceListing {
    return createListing(() => this.crawl(options, true));
  }

  /**
   * A website has no change feed: every run is a crawl, and the content hash makes unchanged pages
   * cheap downstream. Nothing is deleted on an incremental run, so here maxPages simply stops it.
   */
  listChanged(_cursor: SourceCursor | null, options: ListingOptions = {}): SourceListing {
    return createListing(() => this.crawl(options, false));
  }

  async fetchOne(externalId: string, options: ListingOptions = {}): Promise<SourceArticle | null> {
    const url = normalizeUrl(externalId);
    if (!url || url.origin !== this.origin || this.isExcluded(url)) return null;
    const robots = await this.loadRobots(options.signal);
    if (!robots.isAllowed(this.config.userAgent, pathAndQuery(url))) return null;
    const outcome = await this.fetchPage({ url, lastmod: null }, options.signal);
    return outcome.kind === 'page' ? outcome.article : null;
  }

  private async *crawl(options: ListingOptions, mustBeComplete: boolean): AsyncGenerator<SourceArticle, SourceCursor> {
    // Aborts the requests still in flight when the crawl fails or the consumer stops early.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    try {
      const robots = await this.loadRobots(signal);
      const queue: QueuedPage[] = [];
      const known = new Set<string>();
      const enqueue = (url: URL, lastmod: Date | null) => {
        if (known.has(url.href)) return;
        known.add(url.href);
        if (url.origin !== this.origin || looksLikeNonHtmlFile(url) || this.isExcluded(url)) return;
        if (!robots.isAllowed(this.config.userAgent, pathAndQuery(url))) return;
        queue.push({ url, lastmod });
      };

      const fromSitemap = this.config.sitemapUrl !== undefined;
      const startUrl = normalizeUrl(this.config.startUrl) as URL;
      if (fromSitemap) {
        // Without link following, a page the include patterns reject would be fetched for nothing.
        for (const entry of await this.readSitemaps(signal)) {
          const url = normalizeUrl(entry.loc);
          if (url && this.isIncluded(url)) enqueue(url, entry.lastmod);
        }
      } else {
        enqueue(startUrl, null);
        if (queue.length === 0) throw new Error(`The start URL ${startUrl.href} is excluded or disallowed by robots.txt.`);
      }

      const listed = new Set<string>();
      const running = new Map<number, Promise<{ id: number; page: QueuedPage; outcome: PageOutcome | { kind: 'failed'; error: unknown } }>>();
      let fetched = 0;
      let nextId = 0;
      while (queue.length > 0 || running.size > 0) {
        while (queue.length > 0 && running.size < this.config.concurrency && fetched < this.config.maxPages) {
          const page = queue.shift() as QueuedPage;
          const id = nextId++;
          fetched += 1;
          // Settles, never rejects: a rejection left in the map after we throw would go unhandled.
          running.set(
            id,
            this.fetchPage(page, signal).then(
              (outcome) => ({ id, page, outcome }),
              (error: unknown) => ({ id, page, outcome: { kind: 'failed' as const, error } }),
            ),
          );
        }
        if (running.size === 0) break;
        const { id, page, outcome } = await Promise.race(running.values());
        running.delete(id);
        if (outcome.kind === 'failed') throw outcome.error;
        if (outcome.kind === 'skipped') {
          // Nothing at the start URL means a broken config, not an empty site: an empty listing would delete everything.
          if (!fromSitemap && page.url.href === startUrl.href) throw new Error(`The start URL ${startUrl.href} gave no page: ${outcome.reason}.`);
          continue;
        }
        known.add(outcome.finalUrl.href);
        if (!fromSitemap && outcome.followLinks) for (const link of outcome.links) enqueue(link, null);
        const article = outcome.article;
        if (article && this.isIncluded(outcome.finalUrl) && !listed.has(article.externalId)) {
          listed.add(article.externalId);
          yield article;
        }
      }
      if (mustBeComplete && queue.length > 0) {
        throw new Error(
          `The crawl of ${this.origin} reached maxPages (${this.config.maxPages}) with ${queue.length} pages still to fetch; ` +
            'a partial listing would make the full sync delete the rest. Raise maxPages or narrow includePatterns/excludePatterns.',
        );
      }
      return {};
    } finally {
      stop.abort();
    }
  }

  private isExcluded(url: URL): boolean {
    return this.exclude.some((pattern) => pattern.matches(pathAndQuery(url)));
  }

  private isIncluded(url: URL): boolean {
    return this.include === null || this.include.some((pattern) => pattern.matches(pathAndQuery(url)));
  }

  private headers(accept: string): Record<string, string> {
    return { 'User-Agent': this.config.userAgent, Accept: accept };
  }

  /** A missing robots.txt (4xx) allows everything; a 5xx after retries throws (RFC 9309: assume disallowed). */
  private async loadRobots(signal?: AbortSignal): Promise<RobotsRules> {
    const response = await requestText(`${this.origin}/robots.txt`, { headers: this.headers('text/plain'), ...(signal ? { signal } : {}) }, this.deps);
    if (response.status >= 200 && response.status < 300) return RobotsRules.parse(response.body ?? '');
    return RobotsRules.allowAll();
  }

  /** The sitemap's pages, following index files; any sitemap that cannot be read fails the listing. */
  private async readSitemaps(signal: AbortSignal): Promise<SitemapEntry[]> {
    const pending = [this.config.sitemapUrl as string];
    const read = new Set<string>();
    const entries: SitemapEntry[] = [];
    while (pending.length > 0) {
      const url = pending.shift() as string;
      if (read.has(url)) continue;
      if (read.size >= MAX_SITEMAP_FILES) throw new Error(`More than ${MAX_SITEMAP_FILES} sitemap files under ${this.config.sitemapUrl}; not listing a partial site.`);
      read.add(url);
      const response = await requestText(url, { headers: this.headers('application/xml, text/xml'), signal }, this.deps);
      if (response.status < 200 || response.status >= 300) {
        throw new SourceHttpError({ status: response.status, url, retryable: false, reason: 'sitemap unavailable', body: response.body ?? '' });
      }
      const sitemap = parseSitemap(response.body ?? '');
      if (sitemap.kind === 'index') pending.push(...sitemap.sitemaps);
      else entries.push(...sitemap.entries);
    }
    // Most likely an HTML page served as the sitemap: an empty listing would delete every article.
    if (entries.length === 0) throw new Error(`The sitemap ${this.config.sitemapUrl} lists no pages.`);
    return entries;
  }

  private async fetchPage(page: QueuedPage, signal?: AbortSignal): Promise<PageOutcome> {
    const response = await requestText(
      page.url.href,
      { headers: this.headers('text/html, application/xhtml+xml'), ...(signal ? { signal } : {}) },
      this.deps,
      (candidate) => candidate.ok && isHtmlContentType(candidate.headers.get('content-type')),
    );
    if (response.status < 200 || response.status >= 300) {
      if (SKIPPED_STATUSES.has(response.status)) return { kind: 'skipped', reason: `HTTP ${response.status}` };
      throw new SourceHttpError({ status: response.status, url: page.url.href, retryable: false, reason: 'unexpected status', body: response.body ?? '' });
    }
    const finalUrl = normalizeUrl(response.url) ?? page.url;
    if (finalUrl.origin !== this.origin) return { kind: 'skipped', reason: `redirected off site to ${finalUrl.origin}` };
    if (response.body === null) return { kind: 'skipped', reason: `not HTML (${response.headers.get('content-type')})` };

    const extracted = extractPage(response.body, finalUrl, { title: this.config.titleSelector, body: this.config.bodySelector });
    const robotsHeader = (response.headers.get('x-robots-tag') ?? '').toLowerCase();
    const noindex = extracted.noindex || /\b(noindex|none)\b/.test(robotsHeader);
    const canonical = extracted.canonical && extracted.canonical.origin === this.origin ? extracted.canonical : finalUrl;
    const lastModified = response.headers.get('last-modified');
    const updatedAt = page.lastmod ?? (lastModified && !Number.isNaN(Date.parse(lastModified)) ? new Date(lastModified) : null);
    const article: SourceArticle | null =
      noindex || extracted.html === null
        ? null
        : {
            externalId: canonical.href,
            title: extracted.title,
            url: canonical.href,
            collectionPath: extracted.collectionPath,
            locale: extracted.locale,
            state: 'published',
            html: extracted.html,
            updatedAt,
          };
    return { kind: 'page', finalUrl, links: extracted.links, followLinks: !extracted.nofollow, article };
  }
}
