import { z } from 'zod';
import type { ArticleSource, ListingOptions, SourceArticle, SourceCursor, SourceListing } from '../interface';
import { createListing } from '../listing';
import type { SourceDeps } from '../listing';
import { listAllTranslations } from './full-listing';
import { HelpCenterTree } from './help-center-tree';
import { MIN_LAG_SECONDS, listTranslationsChangedSince } from './incremental-listing';
import { normalizeLocale, toSourceArticle } from './zendesk-article';
import { ZendeskClient } from './zendesk-client';

export const zendeskConfigSchema = z
  .object({
    subdomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/i, 'a Zendesk subdomain, e.g. "acme" for acme.zendesk.com')
      .optional(),
    /** Overrides https://{subdomain}.zendesk.com (tests, proxies, host-mapped help centers). */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    auth: z.union([z.object({ email: z.string().min(1), apiToken: z.string().min(1) }), z.object({ oauthToken: z.string().min(1) })]),
    /** Default: every locale enabled in the help center (GET /api/v2/help_center/locales). */
    locales: z.array(z.string().min(1)).min(1).optional(),
    pageSize: z.number().int().min(1).max(100).default(100),
  })
  .refine((config) => config.subdomain !== undefined || config.baseUrl !== undefined, { message: 'subdomain or baseUrl is required' });
export type ZendeskConfig = z.output<typeof zendeskConfigSchema>;
export type ZendeskConfigInput = z.input<typeof zendeskConfigSchema>;

/** Zendesk cursor: start_time (epoch seconds) of the next incremental export, always >= 60 s in the past. */
const zendeskCursorSchema = z.object({ startTime: z.number().int().nonnegative() });

const EXTERNAL_ID = /^(\d+)(?::([A-Za-z0-9_-]+))?$/;

/** Zendesk Guide articles; one SourceArticle per translation, externalId "{id}:{locale}". */
export class ZendeskSource implements ArticleSource {
  readonly kind = 'zendesk' as const;
  private readonly config: ZendeskConfig;
  private readonly client: ZendeskClient;
  private readonly now: () => number;

  constructor(config: ZendeskConfigInput, deps: SourceDeps = {}) {
    this.config = zendeskConfigSchema.parse(config);
    this.now = deps.now ?? Date.now;
    this.client = new ZendeskClient(
      {
        baseUrl: this.config.baseUrl ?? `https://${this.config.subdomain}.zendesk.com`,
        auth: this.config.auth,
        pageSize: this.config.pageSize,
      },
      deps,
    );
  }

  listAll(options: ListingOptions = {}): SourceListing {
    return createListing(() => this.listFull(options));
  }

  listChanged(cursor: SourceCursor | null, options: ListingOptions = {}): SourceListing {
    // From the beginning, the list endpoints are cheaper than replaying the whole export locale by locale.
    if (cursor === null) return this.listAll(options);
    const parsed = zendeskCursorSchema.safeParse(cursor);
    if (!parsed.success) throw new Error(`Not a Zendesk cursor (expected { startTime: epoch seconds }): ${JSON.stringify(cursor)}`);
    return createListing(() => this.listIncremental(parsed.data.startTime, options));
  }

  /** "{id}:{locale}" fetches that translation; a bare id fetches the article in its source locale. */
  async fetchOne(externalId: string, options: ListingOptions = {}): Promise<SourceArticle | null> {
    const match = EXTERNAL_ID.exec(externalId.trim());
    if (!match?.[1]) throw new Error(`Not a Zendesk article id (expected "123" or "123:en-us"): ${externalId}`);
    const locale = match[2] ? normalizeLocale(match[2]) : null;
    const article = await this.client.getArticle(match[1], locale, options.signal);
    if (!article) return null;
    const articleLocale = normalizeLocale(article.locale);
    // Asked for a translation, got a fallback in another locale: that translation does not exist.
    if (locale !== null && articleLocale !== locale) return null;
    return toSourceArticle(article, await HelpCenterTree.load(this.client, articleLocale, options.signal));
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private async locales(signal?: AbortSignal): Promise<string[]> {
    return (this.config.locales ?? (await this.client.listLocales(signal))).map(normalizeLocale);
  }

  private async *listFull(options: ListingOptions): AsyncGenerator<SourceArticle, SourceCursor> {
    // Taken before the first request: whatever changes while we list is newer and comes next time.
    const startTime = this.nowSeconds() - MIN_LAG_SECONDS;
    yield* listAllTranslations(this.client, await this.locales(options.signal), options.signal);
    return { startTime };
  }

  private async *listIncremental(startTime: number, options: ListingOptions): AsyncGenerator<SourceArticle, SourceCursor> {
    const next = yield* listTranslationsChangedSince(this.client, startTime, {
      locales: await this.locales(options.signal),
      nowSeconds: () => this.nowSeconds(),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { startTime: next };
  }
}
