import { z } from 'zod';
import { SourceHttpError, SourceResponseError } from '../http/errors';
import { expectShape, requestJson } from '../http/request';
import type { HttpPolicy } from '../http/request';
import { describeZendeskError } from './zendesk-errors';

const categorySchema = z.object({ id: z.number(), name: z.string() });

const sectionSchema = z.object({
  id: z.number(),
  name: z.string(),
  category_id: z.number().nullish(),
  /** Nested sections (Guide Enterprise). */
  parent_section_id: z.number().nullish(),
});

/** The documented list example omits most fields; only id, title and locale are relied upon. */
const articleSchema = z.object({
  id: z.number(),
  title: z
    .string()
    .nullish()
    .transform((title) => title ?? ''),
  body: z.string().nullish(),
  draft: z.boolean().nullish(),
  locale: z.string(),
  section_id: z.number().nullish(),
  html_url: z.string().nullish(),
  updated_at: z.string().nullish(),
  label_names: z.array(z.string()).nullish(),
});

export type ZendeskCategory = z.output<typeof categorySchema>;
export type ZendeskSection = z.output<typeof sectionSchema>;
export type ZendeskArticle = z.output<typeof articleSchema>;

const cursorEnvelope = z.object({
  meta: z.object({ has_more: z.boolean(), after_cursor: z.string().nullish() }).optional(),
  links: z.object({ next: z.string().nullish() }).optional(),
});
const categoriesPageSchema = cursorEnvelope.extend({ categories: z.array(categorySchema) });
const sectionsPageSchema = cursorEnvelope.extend({ sections: z.array(sectionSchema) });
const articlesPageSchema = cursorEnvelope.extend({ articles: z.array(articleSchema) });

const incrementalPageSchema = z.object({
  articles: z.array(articleSchema),
  next_page: z.string().nullish(),
  end_time: z.number().nullish(),
});
export type ZendeskIncrementalPage = z.output<typeof incrementalPageSchema>;

const localesSchema = z.object({ locales: z.array(z.string()), default_locale: z.string().nullish() });
const showArticleSchema = z.object({ article: articleSchema });

export type ZendeskAuth = { email: string; apiToken: string } | { oauthToken: string };

export interface ZendeskClientConfig {
  baseUrl: string;
  auth: ZendeskAuth;
  pageSize: number;
}

function authorization(auth: ZendeskAuth): string {
  if ('oauthToken' in auth) return `Bearer ${auth.oauthToken}`;
  return `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`).toString('base64')}`;
}

/** Thin typed wrapper over the Zendesk Help Center endpoints the sync needs. */
export class ZendeskClient {
  private readonly policy: HttpPolicy;
  private readonly baseUrl: string;

  constructor(
    private readonly config: ZendeskClientConfig,
    policy: HttpPolicy,
  ) {
    this.policy = { ...policy, describeErrorBody: describeZendeskError };
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
  }

  /** Locales enabled in the help center. */
  async listLocales(signal?: AbortSignal): Promise<string[]> {
    return (await this.get(localesSchema, this.url('/api/v2/help_center/locales.json'), signal)).locales;
  }

  categories(locale: string, signal?: AbortSignal): AsyncGenerator<ZendeskCategory[]> {
    return this.paginate(`/api/v2/help_center/${encodeURIComponent(locale)}/categories.json`, categoriesPageSchema, (page) => page.categories, signal);
  }

  sections(locale: string, signal?: AbortSignal): AsyncGenerator<ZendeskSection[]> {
    return this.paginate(`/api/v2/help_center/${encodeURIComponent(locale)}/sections.json`, sectionsPageSchema, (page) => page.sections, signal);
  }

  articles(locale: string, signal?: AbortSignal): AsyncGenerator<ZendeskArticle[]> {
    return this.paginate(`/api/v2/help_center/${encodeURIComponent(locale)}/articles.json`, articlesPageSchema, (page) => page.articles, signal);
  }

  /** Without a locale Zendesk answers with the article's source locale. 404 → null. */
  async getArticle(id: string, locale: string | null, signal?: AbortSignal): Promise<ZendeskArticle | null> {
    const path = locale
      ? `/api/v2/help_center/${encodeURIComponent(locale)}/articles/${encodeURIComponent(id)}.json`
      : `/api/v2/help_center/articles/${encodeURIComponent(id)}.json`;
    try {
      return (await this.get(showArticleSchema, this.url(path), signal)).article;
    } catch (error) {
      if (error instanceof SourceHttpError && error.status === 404) return null;
      throw error;
    }
  }

  /** One page of the incremental export (up to 1,000 articles changed at or after start_time). */
  async incrementalArticles(startTime: number, signal?: AbortSignal): Promise<ZendeskIncrementalPage> {
    return this.get(incrementalPageSchema, this.url('/api/v2/help_center/incremental/articles.json', { start_time: String(startTime) }), signal);
  }

  private url(path: string, query: Record<string, string> = {}): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }

  /** Cursor pagination: page[size], then links.next (or page[after]=meta.after_cursor) while meta.has_more. */
  private async *paginate<Page extends z.output<typeof cursorEnvelope>, Item>(
    path: string,
    schema: z.ZodType<Page>,
    items: (page: Page) => Item[],
    signal?: AbortSignal,
  ): AsyncGenerator<Item[]> {
    let url = this.url(path, { 'page[size]': String(this.config.pageSize) });
    while (true) {
      const page = await this.get(schema, url, signal);
      yield items(page);
      if (!page.meta?.has_more) return;
      const next = this.nextPageUrl(path, page);
      if (next === null || next === url) {
        throw new SourceResponseError({ status: 200, url, retryable: false, reason: 'has_more is true but the page gives no usable next cursor' });
      }
      url = next;
    }
  }

  /** links.next is followed only on our own origin: the credentials must not go anywhere else. */
  private nextPageUrl(path: string, page: z.output<typeof cursorEnvelope>): string | null {
    const next = page.links?.next ? new URL(page.links.next, this.baseUrl) : null;
    if (next && next.origin === new URL(this.baseUrl).origin) return next.toString();
    const after = page.meta?.after_cursor;
    return after ? this.url(path, { 'page[size]': String(this.config.pageSize), 'page[after]': after }) : null;
  }

  private async get<Schema extends z.ZodType>(schema: Schema, url: string, signal?: AbortSignal): Promise<z.output<Schema>> {
    const response = await requestJson(
      url,
      { headers: { Authorization: authorization(this.config.auth), Accept: 'application/json' }, ...(signal ? { signal } : {}) },
      this.policy,
    );
    return expectShape(schema, response.data, url, response.status);
  }
}
