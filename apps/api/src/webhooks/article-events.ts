import { z } from 'zod';
import type { ArticleChange } from '@relai/ingest';
import { documentedAs } from '../openapi/operation';

/** Zendesk article events → what to do with our copy. Pure: tested without a server. */
export const zendeskArticleEventSchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  detail: z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }),
  event: z.looseObject({ locale: z.string().optional() }).optional(),
});

export type ZendeskArticleEvent = z.infer<typeof zendeskArticleEventSchema>;

/**
 * "published" (also every re-publish: Zendesk has no "updated" event) → fetch the article again;
 * "unpublished" → out of search; any other article event → refetch, which also notices a deletion.
 * Returns null for events that are not about articles. Without a locale, every locale is concerned.
 */
export function zendeskEventToChange(event: ZendeskArticleEvent): { kind: 'fetch' | 'remove'; articleId: string; locale: string | null } | null {
  if (!event.type.startsWith('zen:event-type:article.')) return null;
  const action = event.type.slice('zen:event-type:article.'.length);
  return { kind: action === 'unpublished' ? 'remove' : 'fetch', articleId: event.detail.id, locale: event.event?.locale?.toLowerCase() ?? null };
}

/** The generic CMS webhook body: an article id to refetch or remove, or a full article to index. */
export const relaiArticleEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('article.upserted'),
    article: z.object({
      id: z.union([z.string().min(1), z.number()]).transform(String),
      title: z.string().min(1).max(2000),
      url: z.url().nullable().optional(),
      collection: z.string().max(500).optional(),
      section: z.string().max(500).optional(),
      language: z.string().max(20).optional(),
      state: z.enum(['published', 'draft']).default('published'),
      html: z.string().optional(),
      text: z.string().optional(),
      updated_at: documentedAs(z.coerce.date(), { type: 'string', format: 'date-time' }).optional(),
      tags: z.array(z.string().max(200)).max(100).optional(),
    }).refine((article) => article.html !== undefined || article.text !== undefined, 'give the body as html or text'),
  }),
  z.object({ event: z.literal('article.changed'), article_id: z.union([z.string().min(1), z.number()]).transform(String) }),
  z.object({ event: z.literal('article.deleted'), article_id: z.union([z.string().min(1), z.number()]).transform(String) }),
]);

export type RelaiArticleEvent = z.infer<typeof relaiArticleEventSchema>;

export function relaiEventToChange(event: RelaiArticleEvent): ArticleChange {
  switch (event.event) {
    case 'article.changed':
      return { type: 'fetch', externalId: event.article_id };
    case 'article.deleted':
      return { type: 'remove', externalId: event.article_id };
    case 'article.upserted': {
      const { article } = event;
      return {
        type: 'upsert',
        article: {
          externalId: article.id,
          title: article.title,
          url: article.url ?? null,
          collectionPath: [article.collection, article.section].filter((part): part is string => !!part),
          locale: article.language ?? null,
          state: article.state,
          ...(article.html !== undefined ? { html: article.html } : { text: article.text ?? '' }),
          updatedAt: article.updated_at ?? null,
          ...(article.tags ? { tags: article.tags } : {}),
        },
      };
    }
  }
}
