import type { JobDefinition } from '@relai/queue';
import { z } from 'zod';
import type { ArticleChange } from './sync/article-sync';

/** Job definitions shared by producers (API, CLI, schedules) and the worker that handles them. */

export interface SyncSourcePayload {
  tenantId: string;
  sourceId: string;
  mode: 'full' | 'incremental';
  trigger: string;
}

export const syncSourceJob: JobDefinition<SyncSourcePayload> = {
  name: 'sync-source',
  schema: z.object({
    tenantId: z.uuid(),
    sourceId: z.uuid(),
    mode: z.enum(['full', 'incremental']),
    trigger: z.string().min(1).max(100),
  }),
  // A source that is down gets two more chances a few minutes apart; each try is its own recorded run.
  retry: { attempts: 3, backoffMs: 60_000 },
};

const sourceArticleSchema = z.object({
  externalId: z.string().min(1).max(1000),
  title: z.string().max(2000),
  url: z.string().nullable(),
  collectionPath: z.array(z.string()),
  locale: z.string().nullable(),
  state: z.enum(['published', 'draft', 'deleted']),
  html: z.string().optional(),
  text: z.string().optional(),
  updatedAt: z.coerce.date().nullable(),
  tags: z.array(z.string()).optional(),
});

export interface ArticleChangePayload {
  tenantId: string;
  sourceId: string;
  change: ArticleChange;
  trigger: string;
}

export const articleChangeJob: JobDefinition<ArticleChangePayload> = {
  name: 'article-change',
  schema: z.object({
    tenantId: z.uuid(),
    sourceId: z.uuid(),
    change: z.discriminatedUnion('type', [
      z.object({ type: z.literal('fetch'), externalId: z.string().min(1).max(1000) }),
      z.object({ type: z.literal('upsert'), article: sourceArticleSchema }),
      z.object({ type: z.literal('remove'), externalId: z.string().min(1).max(1000) }),
    ]),
    trigger: z.string().min(1).max(100),
  }),
  retry: { attempts: 5, backoffMs: 2_000 },
};

export { sourceArticleSchema };
