import { z } from 'zod';
import { SourceHttpError } from '../http/errors';
import { RateLimitGate, expectShape, requestJson } from '../http/request';
import type { HttpPolicy } from '../http/request';
import { describeIntercomError } from './intercom-errors';

/** Object ids are strings, but many foreign keys (parent_ids, help_center_id) are integers. */
const intercomIdSchema = z.union([z.string(), z.number()]).transform(String);

const pagesSchema = z.object({ page: z.number(), total_pages: z.number() });

function pageListSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ data: z.array(item), total_count: z.number().optional(), pages: pagesSchema.optional() });
}

const helpCenterSchema = z.object({ id: intercomIdSchema, display_name: z.string().nullish() });

const collectionSchema = z.object({
  id: intercomIdSchema,
  name: z.string(),
  /** Since 2.10 a "section" is a collection whose parent_id is set. */
  parent_id: intercomIdSchema.nullish(),
  /** Only root collections carry it; nested ones have null. */
  help_center_id: intercomIdSchema.nullish(),
});

/** API 2.7–2.9 only: sections hang under a collection through parent_id. */
const sectionSchema = z.object({ id: intercomIdSchema, name: z.string(), parent_id: intercomIdSchema.nullish() });

/** One locale of an article (schema `article_content`); the article's top level holds its default locale. */
export const articleContentSchema = z.object({
  title: z
    .string()
    .nullish()
    .transform((title) => title ?? ''),
  body: z.string().nullish(),
  state: z.string(),
  updated_at: z.number(),
  url: z.string().nullish(),
});
export type IntercomArticleContent = z.output<typeof articleContentSchema>;

const articleSchema = articleContentSchema.extend({
  id: intercomIdSchema,
  default_locale: z.string().nullish(),
  parent_ids: z.array(intercomIdSchema).nullish(),
  /** Up to 2.15; 2.16 keeps only parent_ids. */
  parent_id: intercomIdSchema.nullish(),
  parent_type: z.string().nullish(),
  tags: z.object({ tags: z.array(z.object({ name: z.string() })) }).nullish(),
  /** Per locale ("fr", "en", plus `type`); read entry by entry in translationsOf, a malformed one is skipped. */
  translated_content: z.record(z.string(), z.unknown()).nullish(),
});

export type IntercomCollection = z.output<typeof collectionSchema>;
export type IntercomSection = z.output<typeof sectionSchema>;
export type IntercomArticle = z.output<typeof articleSchema>;
export type IntercomHelpCenter = z.output<typeof helpCenterSchema>;

const articlePageSchema = pageListSchema(articleSchema);
export type IntercomArticlePage = z.output<typeof articlePageSchema>;

export interface IntercomClientConfig {
  baseUrl: string;
  accessToken: string;
  apiVersion: string;
}

/** "2.9" → 2009, comparable across versions; "Unstable" and other names count as newest. */
export function apiVersionNumber(version: string): number {
  const match = /^(\d+)\.(\d+)$/.exec(version.trim());
  if (!match) return Number.POSITIVE_INFINITY;
  return Number(match[1]) * 1000 + Number(match[2]);
}

const LAST_VERSION_WITH_SECTIONS = apiVersionNumber('2.9');

/** Thin typed wrapper over the Intercom REST endpoints the help-center sync needs. */
export class IntercomClient {
  private readonly policy: HttpPolicy;

  constructor(
    private readonly config: IntercomClientConfig,
    policy: HttpPolicy,
  ) {
    this.policy = { ...policy, rateLimitGate: new RateLimitGate(), describeErrorBody: describeIntercomError };
  }

  get hasSectionsEndpoint(): boolean {
    return apiVersionNumber(this.config.apiVersion) <= LAST_VERSION_WITH_SECTIONS;
  }

  async listHelpCenters(signal?: AbortSignal): Promise<IntercomHelpCenter[]> {
    return this.allPages('/help_center/help_centers', helpCenterSchema, 100, signal);
  }

  async listCollections(signal?: AbortSignal): Promise<IntercomCollection[]> {
    return this.allPages('/help_center/collections', collectionSchema, 100, signal);
  }

  /** Old API versions only; a 404 (the endpoint gone, or a workspace without sections) means none. */
  async listSections(signal?: AbortSignal): Promise<IntercomSection[]> {
    try {
      return await this.allPages('/help_center/sections', sectionSchema, 100, signal);
    } catch (error) {
      if (error instanceof SourceHttpError && error.status === 404) return [];
      throw error;
    }
  }

  /** One page of GET /articles, most recently updated first. */
  async getArticlesPage(page: number, perPage: number, signal?: AbortSignal): Promise<IntercomArticlePage> {
    return this.get(articlePageSchema, '/articles', { page: String(page), per_page: String(perPage) }, signal);
  }

  async getArticle(id: string, signal?: AbortSignal): Promise<IntercomArticle | null> {
    try {
      return await this.get(articleSchema, `/articles/${encodeURIComponent(id)}`, {}, signal);
    } catch (error) {
      if (error instanceof SourceHttpError && error.status === 404) return null;
      throw error;
    }
  }

  private async allPages<Item extends z.ZodType>(
    path: string,
    item: Item,
    perPage: number,
    signal?: AbortSignal,
  ): Promise<z.output<Item>[]> {
    const schema = pageListSchema(item);
    const items: z.output<Item>[] = [];
    for (let page = 1; ; page += 1) {
      const result = await this.get(schema, path, { page: String(page), per_page: String(perPage) }, signal);
      items.push(...result.data);
      if (!result.pages || page >= result.pages.total_pages || result.data.length === 0) return items;
    }
  }

  private async get<Schema extends z.ZodType>(
    schema: Schema,
    path: string,
    query: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<z.output<Schema>> {
    // Concatenated, not resolved, so a base URL with a path (a proxy) keeps it.
    const url = new URL(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await requestJson(
      url.toString(),
      {
        headers: {
          Authorization: `Bearer ${this.config.accessToken}`,
          'Intercom-Version': this.config.apiVersion,
          Accept: 'application/json',
        },
        ...(signal ? { signal } : {}),
      },
      this.policy,
    );
    return expectShape(schema, response.data, url.toString(), response.status);
  }
}
