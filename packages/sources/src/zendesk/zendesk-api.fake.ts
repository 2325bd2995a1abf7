import { FakeHttpServer } from '../testing/fake-http-server';
import type { Fault, FakeResponse, RecordedRequest } from '../testing/fake-http-server';

/**
 * A local Zendesk Help Center API reproducing the documented shapes (examples/zendesk/*.json): cursor
 * pagination (page[size] ≤ 100, meta.has_more/after_cursor, links.next), per-locale categories,
 * sections and articles, Show Article (404 when a translation is missing), and the incremental
 * export (next_page carries the new start_time, end_time, up to N articles per page, the last minute
 * left out, start_time refused when less than a minute old).
 */

export interface FakeZendeskTranslation {
  title: string;
  body: string;
  draft?: boolean;
  /** Epoch seconds. */
  updatedAt: number;
}

export interface FakeZendeskArticle {
  id: number;
  sectionId: number;
  sourceLocale: string;
  labels?: string[];
  translations: Record<string, FakeZendeskTranslation>;
}

export interface FakeZendeskData {
  email: string;
  apiToken: string;
  now: () => number;
  locales: string[];
  categories: { id: number; names: Record<string, string> }[];
  sections: { id: number; categoryId: number; parentSectionId?: number; names: Record<string, string> }[];
  articles: FakeZendeskArticle[];
  /** Articles per incremental export page (Zendesk: up to 1,000). */
  incrementalPageSize?: number;
  /** Some accounts keep sending a next_page; the end is then an empty page. */
  nextPageNeverNull?: boolean;
}

const PATH = {
  locales: /^\/api\/v2\/help_center\/locales(?:\.json)?$/,
  list: /^\/api\/v2\/help_center\/([a-z-]+)\/(categories|sections|articles)(?:\.json)?$/,
  showInLocale: /^\/api\/v2\/help_center\/([a-z-]+)\/articles\/(\d+)(?:\.json)?$/,
  show: /^\/api\/v2\/help_center\/articles\/(\d+)(?:\.json)?$/,
  incremental: /^\/api\/v2\/help_center\/incremental\/articles(?:\.json)?$/,
};

const MAX_EXPORT_REQUESTS = 50;

const notFound: FakeResponse = { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };

export function zendeskRateLimited(retryAfterSeconds: number): Fault {
  return {
    kind: 'respond',
    response: {
      status: 429,
      json: { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
      headers: { 'retry-after': String(retryAfterSeconds), 'x-rate-limit': '700', 'x-rate-limit-remaining': '0' },
    },
  };
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const decodeCursor = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString().slice(2));

export class FakeZendeskApi {
  private constructor(
    readonly server: FakeHttpServer,
    readonly data: FakeZendeskData,
  ) {}

  static async start(data: FakeZendeskData): Promise<FakeZendeskApi> {
    let api: FakeZendeskApi | undefined;
    const server = await FakeHttpServer.start((request) => api!.handle(request));
    api = new FakeZendeskApi(server, data);
    return api;
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private handle(request: RecordedRequest): FakeResponse {
    const basic = `Basic ${Buffer.from(`${this.data.email}/token:${this.data.apiToken}`).toString('base64')}`;
    if (request.headers.authorization !== basic && request.headers.authorization !== `Bearer ${this.data.apiToken}`) {
      return { status: 401, json: { error: "Couldn't authenticate you" } };
    }
    const path = request.url.pathname;
    let match: RegExpExecArray | null;

    if (PATH.locales.test(path)) {
      return { json: { locales: this.data.locales, default_locale: this.data.locales[0] } };
    }
    if ((match = PATH.incremental.exec(path))) return this.incremental(request);
    if ((match = PATH.showInLocale.exec(path))) {
      const [, locale = '', id] = match;
      const article = this.data.articles.find((candidate) => candidate.id === Number(id));
      return article?.translations[locale] ? { json: { article: this.articleJson(article, locale, request) } } : notFound;
    }
    if ((match = PATH.show.exec(path))) {
      const article = this.data.articles.find((candidate) => candidate.id === Number(match?.[1]));
      return article ? { json: { article: this.articleJson(article, article.sourceLocale, request) } } : notFound;
    }
    if ((match = PATH.list.exec(path))) {
      const [, locale = '', kind = ''] = match;
      if (!this.data.locales.includes(locale)) return notFound;
      return this.cursorPage(request, kind, this.listItems(kind, locale, request));
    }
    return notFound;
  }

  private listItems(kind: string, locale: string, request: RecordedRequest): unknown[] {
    if (kind === 'categories') {
      return this.data.categories.map((category) => ({
        id: category.id,
        name: category.names[locale],
        description: '',
        locale,
        source_locale: 'en-us',
        html_url: `https://example.zendesk.com/hc/${locale}/categories/${category.id}`,
        url: `${request.url.origin}/api/v2/help_center/categories/${category.id}`,
      }));
    }
    if (kind === 'sections') {
      return this.data.sections.map((section) => ({
        id: section.id,
        name: section.names[locale],
        description: '',
        locale,
        category_id: section.categoryId,
        ...(section.parentSectionId ? { parent_section_id: section.parentSectionId } : {}),
      }));
    }
    return this.data.articles.filter((article) => article.translations[locale]).map((article) => this.articleJson(article, locale, request));
  }

  private cursorPage(request: RecordedRequest, kind: string, items: unknown[]): FakeResponse {
    const size = Number(request.url.searchParams.get('page[size]') ?? '30');
    if (size > 100) return { status: 400, json: { error: 'InvalidPaginationParameter', description: 'page[size] must be 100 or less' } };
    const after = request.url.searchParams.get('page[after]');
    const offset = after ? decodeCursor(after) : 0;
    const end = offset + size;
    const hasMore = end < items.length;
    const link = (cursor: string, direction: 'after' | 'before') => {
      const url = new URL(request.url.pathname, request.url.origin);
      url.searchParams.set('page[size]', String(size));
      url.searchParams.set(`page[${direction}]`, cursor);
      return url.toString();
    };
    return {
      json: {
        [kind]: items.slice(offset, end),
        meta: { has_more: hasMore, after_cursor: hasMore ? encodeCursor(end) : null, before_cursor: offset > 0 ? encodeCursor(offset) : null },
        links: { next: hasMore ? link(encodeCursor(end), 'after') : null, prev: offset > 0 ? link(encodeCursor(offset), 'before') : null },
      },
    };
  }

  private incremental(request: RecordedRequest): FakeResponse {
    // A client stuck asking for the same page fails the test instead of hanging it.
    if (this.server.requestsTo(request.url.pathname).length > MAX_EXPORT_REQUESTS) {
      return { status: 400, json: { error: 'FakeLoopGuard', description: `more than ${MAX_EXPORT_REQUESTS} export requests` } };
    }
    const raw = request.url.searchParams.get('start_time');
    const startTime = Number(raw);
    const newestExported = Math.floor(this.data.now() / 1000) - 60;
    if (raw === null || !Number.isInteger(startTime)) return { status: 400, json: { error: 'InvalidValue', description: 'start_time is required' } };
    if (startTime > newestExported) {
      return { status: 400, json: { error: 'InvalidValue', description: 'start_time must be more than a minute in the past' } };
    }
    const changed = this.data.articles
      .map((article) => ({ article, updatedAt: Math.max(...Object.values(article.translations).map((t) => t.updatedAt)) }))
      .filter(({ updatedAt }) => updatedAt >= startTime && updatedAt <= newestExported)
      .sort((a, b) => a.updatedAt - b.updatedAt || a.article.id - b.article.id);
    const page = changed.slice(0, this.data.incrementalPageSize ?? 1000);
    const endTime = page.at(-1)?.updatedAt ?? startTime;
    const full = page.length === (this.data.incrementalPageSize ?? 1000);
    const nextPage = new URL('/api/v2/help_center/incremental/articles.json', request.url.origin);
    nextPage.searchParams.set('start_time', String(endTime));
    return {
      json: {
        articles: page.map(({ article, updatedAt }) => ({
          ...this.articleJson(article, article.sourceLocale, request),
          updated_at: iso(updatedAt),
        })),
        next_page: full || this.data.nextPageNeverNull ? nextPage.toString() : null,
        end_time: endTime,
        count: page.length,
      },
    };
  }

  private articleJson(article: FakeZendeskArticle, locale: string, request: RecordedRequest): Record<string, unknown> {
    const translation = article.translations[locale];
    if (!translation) throw new Error(`fake: article ${article.id} has no ${locale} translation`);
    const slug = translation.title.replace(/\W+/g, '-');
    return {
      id: article.id,
      url: `${request.url.origin}/api/v2/help_center/${locale}/articles/${article.id}.json`,
      html_url: `https://example.zendesk.com/hc/${locale}/articles/${article.id}-${slug}`,
      author_id: 3465,
      comments_disabled: false,
      draft: translation.draft ?? false,
      promoted: false,
      position: 0,
      vote_sum: 0,
      vote_count: 0,
      section_id: article.sectionId,
      created_at: iso(translation.updatedAt - 86_400),
      updated_at: iso(translation.updatedAt),
      edited_at: iso(translation.updatedAt),
      title: translation.title,
      source_locale: article.sourceLocale,
      locale,
      outdated: false,
      outdated_locales: [],
      permission_group_id: 123,
      user_segment_id: null,
      user_segment_ids: [],
      content_tag_ids: ['01GT23D51Y', '01GT23FWWN'],
      label_names: article.labels ?? [],
      body: translation.body,
    };
  }
}
