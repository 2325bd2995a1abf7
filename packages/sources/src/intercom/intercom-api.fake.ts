import { FakeHttpServer } from '../testing/fake-http-server';
import type { Fault, FakeResponse, RecordedRequest } from '../testing/fake-http-server';
import { apiVersionNumber } from './intercom-client';

/**
 * A local Intercom REST API reproducing the documented 2.16 shapes (examples/intercom/*.json), the
 * 2.15 article fields (parent_id/parent_type) and the 2.7–2.9 /help_center/sections endpoint, chosen by
 * the Intercom-Version header like the real API. Rate limits follow the documented 10-second windows.
 */

export interface FakeIntercomCollection {
  id: string;
  name: string;
  parentId: string | null;
  helpCenterId: number | null;
}

export interface FakeIntercomSection {
  id: string;
  name: string;
  parentId: number;
}

export interface FakeIntercomArticle {
  id: string;
  title: string;
  body: string;
  state: 'published' | 'draft';
  updatedAt: number;
  parentIds: number[];
  /** Old API versions only. */
  parentId?: number;
  parentType?: 'collection' | 'section';
  locale?: string;
  tags?: string[];
  /** Other locales of the article, as translated_content holds them. */
  translations?: Record<string, { title: string; body: string; state: 'published' | 'draft'; updatedAt: number }>;
}

export interface FakeIntercomData {
  accessToken: string;
  now: () => number;
  helpCenters?: { id: string; displayName: string }[];
  collections?: FakeIntercomCollection[];
  sections?: FakeIntercomSection[];
  articles?: FakeIntercomArticle[];
  /** Calls allowed per 10-second window; beyond it the fake answers 429 like Intercom. */
  callsPerWindow?: number;
}

/** The version an app gets when the client sends no Intercom-Version header. */
const APP_DEFAULT_VERSION = '2.7';
const WINDOW_SECONDS = 10;

const WORKSPACE_ID = 'this_is_an_id64_that_should_be_at_least_4';

function errorList(code: string, message: string): unknown {
  return { type: 'error.list', request_id: '2e760b85-9020-471b-89dc-f579ec8a0104', errors: [{ code, message }] };
}

/** The documented 429 body (error_429.json) with the rate-limit headers. */
export function intercomRateLimited(resetEpochSeconds: number): Fault {
  return {
    kind: 'respond',
    response: {
      status: 429,
      json: errorList('rate_limit_exceeded', 'Exceeded rate limit'),
      headers: { 'x-ratelimit-limit': '10000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetEpochSeconds) },
    },
  };
}

function paged<Item>(items: Item[], request: RecordedRequest, defaultPerPage: number): unknown {
  const page = Math.max(1, Number(request.url.searchParams.get('page') ?? '1'));
  const perPage = Math.max(1, Number(request.url.searchParams.get('per_page') ?? String(defaultPerPage)));
  return {
    type: 'list',
    pages: { type: 'pages', page, per_page: perPage, total_pages: Math.ceil(items.length / perPage) },
    total_count: items.length,
    data: items.slice((page - 1) * perPage, page * perPage),
  };
}

function articleJson(article: FakeIntercomArticle, version: number): Record<string, unknown> {
  return {
    id: article.id,
    type: 'article',
    workspace_id: WORKSPACE_ID,
    parent_ids: article.parentIds,
    ...(version <= apiVersionNumber('2.15') ? { parent_id: article.parentId ?? null, parent_type: article.parentType ?? null } : {}),
    tags: { type: 'tag.list', tags: (article.tags ?? []).map((name, index) => ({ type: 'tag', id: String(index + 1), name })) },
    title: article.title,
    description: '',
    body: article.body,
    author_id: 991267492,
    state: article.state,
    created_at: article.updatedAt - 3600,
    updated_at: article.updatedAt,
    url: article.state === 'published' ? `http://help-center.test/myapp-64/en/articles/${article.id}-${article.title.toLowerCase().replace(/\W+/g, '-')}` : null,
    default_locale: article.locale ?? 'en',
    translated_content: {
      type: 'article_translated_content',
      [article.locale ?? 'en']: articleContent(article.id, article.locale ?? 'en', article),
      ...Object.fromEntries(Object.entries(article.translations ?? {}).map(([locale, content]) => [locale, articleContent(article.id, locale, content)])),
    },
  };
}

function articleContent(id: string, locale: string, content: { title: string; body: string; state: string; updatedAt: number }): Record<string, unknown> {
  return {
    type: 'article_content',
    title: content.title,
    description: '',
    body: content.body,
    author_id: 991267492,
    state: content.state,
    created_at: content.updatedAt - 3600,
    updated_at: content.updatedAt,
    url: content.state === 'published' ? `http://help-center.test/myapp-64/${locale}/articles/${id}-${content.title.toLowerCase().replace(/\W+/g, '-')}` : null,
  };
}

export class FakeIntercomApi {
  readonly data: Required<Omit<FakeIntercomData, 'callsPerWindow'>> & { callsPerWindow: number };
  /** How many 429s the window model had to send (a polite client keeps this at 0). */
  rateLimitedResponses = 0;
  private windowStart = -1;
  private callsInWindow = 0;

  private constructor(
    readonly server: FakeHttpServer,
    data: FakeIntercomData,
  ) {
    this.data = {
      helpCenters: [],
      collections: [],
      sections: [],
      articles: [],
      callsPerWindow: Number.POSITIVE_INFINITY,
      ...data,
    };
  }

  static async start(data: FakeIntercomData): Promise<FakeIntercomApi> {
    let api: FakeIntercomApi | undefined;
    const server = await FakeHttpServer.start((request) => api!.handle(request));
    api = new FakeIntercomApi(server, data);
    return api;
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private handle(request: RecordedRequest): FakeResponse {
    const { headers, overLimit } = this.countCall();
    if (overLimit) {
      this.rateLimitedResponses += 1;
      return { status: 429, json: errorList('rate_limit_exceeded', 'Exceeded rate limit'), headers };
    }
    if (request.headers.authorization !== `Bearer ${this.data.accessToken}`) {
      return { status: 401, json: errorList('unauthorized', 'Access Token Invalid'), headers };
    }
    const version = apiVersionNumber(String(request.headers['intercom-version'] ?? APP_DEFAULT_VERSION));
    const respond = (json: unknown, status = 200): FakeResponse => ({ status, json, headers });
    const path = request.url.pathname;

    if (path === '/help_center/help_centers') {
      return respond({
        type: 'list',
        data: this.data.helpCenters.map((helpCenter) => ({
          id: helpCenter.id,
          workspace_id: WORKSPACE_ID,
          created_at: 1734537325,
          updated_at: 1734537325,
          identifier: `help-center-${helpCenter.id}`,
          website_turned_on: false,
          display_name: helpCenter.displayName,
          url: 'https://help.mycompany.com',
          custom_domain: 'help.mycompany.com',
        })),
      });
    }
    if (path === '/help_center/collections') {
      const collections = this.data.collections.map((collection, index) => ({
        id: collection.id,
        workspace_id: WORKSPACE_ID,
        name: collection.name,
        url: `http://help-center.test/myapp-96/collection-${collection.id}`,
        order: index + 1,
        created_at: 1734537309,
        updated_at: 1734537309,
        description: null,
        icon: 'bookmark',
        parent_id: collection.parentId,
        help_center_id: collection.helpCenterId,
      }));
      return respond(paged(collections, request, 20));
    }
    if (path === '/help_center/sections' && version <= apiVersionNumber('2.9')) {
      const sections = this.data.sections.map((section) => ({
        id: section.id,
        type: 'section',
        workspace_id: WORKSPACE_ID,
        name: section.name,
        parent_id: section.parentId,
        created_at: 1734537309,
        updated_at: 1734537309,
      }));
      return respond(paged(sections, request, 20));
    }
    if (path === '/articles') {
      const newestFirst = [...this.data.articles].sort((a, b) => b.updatedAt - a.updatedAt);
      return respond(paged(newestFirst.map((article) => articleJson(article, version)), request, 25));
    }
    const articleMatch = /^\/articles\/([^/]+)$/.exec(path);
    if (articleMatch) {
      const article = this.data.articles.find((candidate) => candidate.id === decodeURIComponent(articleMatch[1] ?? ''));
      return article ? respond(articleJson(article, version)) : respond(errorList('not_found', 'Resource Not Found'), 404);
    }
    return respond(errorList('not_found', 'Resource Not Found'), 404);
  }

  /** Counts calls in the current 10-second window of the injected clock. */
  private countCall(): { headers: Record<string, string>; overLimit: boolean } {
    const nowSeconds = Math.floor(this.data.now() / 1000);
    const window = Math.floor(nowSeconds / WINDOW_SECONDS);
    if (window !== this.windowStart) {
      this.windowStart = window;
      this.callsInWindow = 0;
    }
    this.callsInWindow += 1;
    const limit = this.data.callsPerWindow;
    const remaining = Number.isFinite(limit) ? Math.max(0, limit - this.callsInWindow) : 9999;
    return {
      overLimit: this.callsInWindow > limit,
      headers: {
        'x-ratelimit-limit': Number.isFinite(limit) ? String(limit) : '10000',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String((window + 1) * WINDOW_SECONDS),
      },
    };
  }
}
