import { z } from 'zod';
import type { ArticleSource, ListingOptions, SourceArticle, SourceCursor, SourceListing } from '../interface';
import { createListing } from '../listing';
import type { SourceDeps } from '../listing';
import { CollectionTree } from './collection-tree';
import { listAllArticles } from './full-listing';
import { listArticlesChangedSince } from './incremental-listing';
import { articleContentSchema, IntercomClient } from './intercom-client';
import type { IntercomArticle, IntercomArticleContent } from './intercom-client';

const REGION_BASE_URLS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;

export const intercomConfigSchema = z.object({
  accessToken: z.string().min(1),
  region: z.enum(['us', 'eu', 'au']).default('us'),
  /** Overrides the regional URL (tests, proxies). */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Pinned: without the header Intercom applies the app's default version, whose shapes differ. */
  apiVersion: z.string().default('2.16'),
  /** Only articles placed in this help center's collections (articles in no collection are left out). */
  helpCenterId: z.union([z.string(), z.number()]).transform(String).optional(),
  perPage: z.number().int().min(1).max(250).default(50),
});
export type IntercomConfig = z.output<typeof intercomConfigSchema>;
export type IntercomConfigInput = z.input<typeof intercomConfigSchema>;

/** Intercom cursor: the newest article updated_at (epoch seconds) seen at the start of the last listing. */
const intercomCursorSchema = z.object({ updatedAt: z.number().int().nonnegative() });

/**
 * The article in its default locale (external id: the Intercom id) and in each other locale of
 * translated_content (external id "<id>:<locale>"): a French help center translated into English
 * answers English customers from the English text. A translation that is not published stays out.
 */
function toSourceArticles(article: IntercomArticle, collectionPath: string[]): SourceArticle[] {
  const tags = article.tags?.tags.map((tag) => tag.name) ?? [];
  const version = (externalId: string, locale: string | null, content: IntercomArticleContent): SourceArticle => ({
    externalId,
    title: content.title,
    url: content.url ?? null,
    collectionPath,
    locale,
    // Anything not published (draft, or a state added later) must stay out of search.
    state: content.state === 'published' ? 'published' : 'draft',
    html: content.body ?? '',
    updatedAt: new Date(content.updated_at * 1000),
    tags,
  });
  const defaultLocale = article.default_locale ?? null;
  return [
    version(article.id, defaultLocale, article),
    ...translationsOf(article)
      .filter(([locale]) => locale !== defaultLocale)
      .map(([locale, content]) => version(`${article.id}${LOCALE_SEPARATOR}${locale}`, locale, content)),
  ];
}

const LOCALE_SEPARATOR = ':';

function translationsOf(article: IntercomArticle): Array<[string, IntercomArticleContent]> {
  return Object.entries(article.translated_content ?? {}).flatMap(([locale, value]): Array<[string, IntercomArticleContent]> => {
    if (locale === 'type') return [];
    const content = articleContentSchema.safeParse(value);
    return content.success ? [[locale, content.data]] : [];
  });
}

/** Intercom help center articles, through the REST API (no webhook exists for articles: poll listChanged). */
export class IntercomSource implements ArticleSource {
  readonly kind = 'intercom' as const;
  private readonly config: IntercomConfig;
  private readonly client: IntercomClient;

  constructor(config: IntercomConfigInput, deps: SourceDeps = {}) {
    this.config = intercomConfigSchema.parse(config);
    this.client = new IntercomClient(
      {
        baseUrl: this.config.baseUrl ?? REGION_BASE_URLS[this.config.region],
        accessToken: this.config.accessToken,
        apiVersion: this.config.apiVersion,
      },
      deps,
    );
  }

  listAll(options: ListingOptions = {}): SourceListing {
    return createListing(() => this.list(null, options));
  }

  listChanged(cursor: SourceCursor | null, options: ListingOptions = {}): SourceListing {
    if (cursor === null) return this.listAll(options);
    const parsed = intercomCursorSchema.safeParse(cursor);
    if (!parsed.success) throw new Error(`Not an Intercom cursor (expected { updatedAt: epoch seconds }): ${JSON.stringify(cursor)}`);
    return createListing(() => this.list(parsed.data.updatedAt, options));
  }

  /** An article by external id: "<id>" in its default locale, "<id>:<locale>" a translation (null once removed). */
  async fetchOne(externalId: string, options: ListingOptions = {}): Promise<SourceArticle | null> {
    const [id] = externalId.split(LOCALE_SEPARATOR);
    const article = await this.client.getArticle(id!, options.signal);
    if (!article) return null;
    const tree = await this.loadTree(options.signal);
    const placement = tree.place(article);
    if (!this.inScope(placement.helpCenterIds)) return null;
    return toSourceArticles(article, placement.collectionPath).find((version) => version.externalId === externalId) ?? null;
  }

  /** `since` null: a full listing; otherwise the articles updated since then. */
  private async *list(since: number | null, options: ListingOptions): AsyncGenerator<SourceArticle, SourceCursor> {
    if (this.config.helpCenterId !== undefined) await this.assertHelpCenterExists(options.signal);
    const tree = await this.loadTree(options.signal);
    const articles =
      since === null
        ? listAllArticles(this.client, {
            perPage: this.config.perPage,
            ...(options.signal ? { signal: options.signal } : {}),
            // With a help-center filter the API total would overstate what we yield.
            ...(options.onTotal && this.config.helpCenterId === undefined ? { onTotal: options.onTotal } : {}),
          })
        : listArticlesChangedSince(this.client, since, { perPage: this.config.perPage, ...(options.signal ? { signal: options.signal } : {}) });
    try {
      let step = await articles.next();
      while (!step.done) {
        const placement = tree.place(step.value);
        if (this.inScope(placement.helpCenterIds)) yield* toSourceArticles(step.value, placement.collectionPath);
        step = await articles.next();
      }
      return { updatedAt: step.value };
    } finally {
      // Stops the paging generator too when the consumer leaves early.
      await articles.return(0);
    }
  }

  private inScope(helpCenterIds: Set<string>): boolean {
    return this.config.helpCenterId === undefined || helpCenterIds.has(this.config.helpCenterId);
  }

  private async loadTree(signal?: AbortSignal): Promise<CollectionTree> {
    const collections = await this.client.listCollections(signal);
    const sections = this.client.hasSectionsEndpoint ? await this.client.listSections(signal) : [];
    return new CollectionTree(collections, sections);
  }

  /** A mistyped id would otherwise yield an empty listing, and a full sync would then delete everything. */
  private async assertHelpCenterExists(signal?: AbortSignal): Promise<void> {
    const helpCenters = await this.client.listHelpCenters(signal);
    if (!helpCenters.some((helpCenter) => helpCenter.id === this.config.helpCenterId)) {
      const known = helpCenters.map((helpCenter) => `${helpCenter.id} (${helpCenter.display_name ?? 'unnamed'})`).join(', ') || 'none';
      throw new Error(`Intercom help center ${this.config.helpCenterId} not found; this workspace has: ${known}.`);
    }
  }
}
