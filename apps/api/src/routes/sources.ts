import crypto from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { isUniqueViolation } from '@relai/db';
import {
  excludeArticle,
  getSyncRun,
  isUuid,
  listArticles,
  listSyncRuns,
  newSourceSchema,
  publicSource,
  restoreArticle,
  scheduleSourceSyncs,
  syncDedupeKey,
  syncSourceJob,
  articleChangeJob,
  unscheduleSourceSyncs,
  type SourceRecord,
} from '@relai/ingest';
import { sourceConfigSchema } from '@relai/sources';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { requireAdmin, requireToken } from '../middleware/auth';
import type { Operation } from '../openapi/operation';
import { parseWith, readJson } from '../validation';

const createSourceBody = newSourceSchema.extend({
  webhook_secret: z
    .string()
    .min(16)
    .max(200)
    .optional()
    .meta({ description: 'Zendesk gives each webhook its signing secret: paste it here. Otherwise one is generated.' }),
});

const syncBody = z.object({
  mode: z.enum(['full', 'incremental']).default('full').meta({ description: 'A full sync also removes the articles deleted at the source' }),
});
const listRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
const listArticlesQuery = z.object({
  state: z.enum(['published', 'draft', 'deleted']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Knowledge management for tenant admins: sources, their syncs and runs, and individual articles. */
export function sourceRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/v1/sources/*', requireToken(deps.db), requireAdmin);
  app.use('/v1/sources', requireToken(deps.db), requireAdmin);
  app.use('/v1/articles/*', requireToken(deps.db), requireAdmin);

  const loadSource = async (tenantId: string, sourceId: string): Promise<SourceRecord> => {
    const source = isUuid(sourceId) ? await deps.sources.get(tenantId, sourceId) : null;
    if (!source) throw new ApiError('not_found', `No source "${sourceId}"`);
    return source;
  };
  const webhookUrls = (source: SourceRecord) => ({
    articles: `${deps.config.http.publicUrl}/v1/webhooks/sources/${source.id}/articles`,
    ...(source.kind === 'zendesk' ? { zendesk: `${deps.config.http.publicUrl}/v1/webhooks/zendesk/${source.id}` } : {}),
  });

  app.post('/v1/sources', async (c) => {
    const body = await readJson(c, createSourceBody);
    if (body.config.kind === 'jsonl' || body.config.kind === 'folder') {
      // These read files on the server: only an operator with shell access may add them.
      throw new ApiError('invalid_request', `config.kind: "${body.config.kind}" sources read server files; add them with \`relai sources add\``);
    }
    const secret = body.webhook_secret ?? crypto.randomBytes(24).toString('base64url');
    let source: SourceRecord;
    try {
      source = await deps.sources.create(c.get('identity').tenantId, body, secret);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('conflict', `name: a source named "${body.name}" already exists`);
      throw error;
    }
    await scheduleSourceSyncs(deps.queue, source);
    await deps.queue.enqueue(
      syncSourceJob,
      { tenantId: source.tenantId, sourceId: source.id, mode: 'full', trigger: 'created' },
      { dedupeKey: syncDedupeKey(source.id, 'full') },
    );
    // The webhook secret is shown this once; it is stored encrypted.
    return c.json({ source: publicSource(source), webhooks: { ...webhookUrls(source), secret } }, 201);
  });

  app.get('/v1/sources', async (c) => {
    const sources = await deps.sources.list(c.get('identity').tenantId);
    return c.json({ sources: sources.map(publicSource) });
  });

  app.get('/v1/sources/:sourceId', async (c) => {
    const source = await loadSource(c.get('identity').tenantId, c.req.param('sourceId'));
    return c.json({ source: publicSource(source), webhooks: webhookUrls(source) });
  });

  app.delete('/v1/sources/:sourceId', async (c) => {
    const source = await loadSource(c.get('identity').tenantId, c.req.param('sourceId'));
    await unscheduleSourceSyncs(deps.queue, source.id);
    // Cascades to its articles and chunks: they leave search in the same statement.
    await deps.sources.delete(source.tenantId, source.id);
    return c.body(null, 204);
  });

  app.post('/v1/sources/:sourceId/sync', async (c) => {
    const source = await loadSource(c.get('identity').tenantId, c.req.param('sourceId'));
    // The body is optional ("sync now" = full); when present it must be valid.
    const { mode } = c.req.header('content-type') ? await readJson(c, syncBody) : syncBody.parse({});
    const queued = await deps.queue.enqueue(
      syncSourceJob,
      { tenantId: source.tenantId, sourceId: source.id, mode, trigger: 'api' },
      { dedupeKey: syncDedupeKey(source.id, mode) },
    );
    return c.json({ queued: !queued.deduplicated, already_queued: queued.deduplicated, mode, runs: `/v1/sources/${source.id}/runs` }, 202);
  });

  app.get('/v1/sources/:sourceId/runs', async (c) => {
    const source = await loadSource(c.get('identity').tenantId, c.req.param('sourceId'));
    const { limit } = parseWith(listRunsQuery, c.req.query());
    return c.json({ runs: await listSyncRuns(deps.db, source.tenantId, source.id, limit) });
  });

  app.get('/v1/sources/:sourceId/runs/:runId', async (c) => {
    const source = await loadSource(c.get('identity').tenantId, c.req.param('sourceId'));
    const runId = c.req.param('runId');
    const run = isUuid(runId) ? await getSyncRun(deps.db, source.tenantId, source.id, runId) : null;
    if (!run) throw new ApiError('not_found', `No sync run "${runId}" for this source`);
    return c.json({ run });
  });

  app.get('/v1/sources/:sourceId/articles', async (c) => {
    const source = await loadSource(c.get('identity').tenantId, c.req.param('sourceId'));
    const query = parseWith(listArticlesQuery, c.req.query());
    return c.json({ articles: await listArticles(deps.db, source.tenantId, source.id, query) });
  });

  app.delete('/v1/articles/:articleId', async (c) => {
    const articleId = c.req.param('articleId');
    const article = isUuid(articleId) ? await excludeArticle(deps.db, c.get('identity').tenantId, articleId) : null;
    if (!article) throw new ApiError('not_found', `No article "${articleId}"`);
    return c.json({ article });
  });

  app.post('/v1/articles/:articleId/restore', async (c) => {
    const articleId = c.req.param('articleId');
    const tenantId = c.get('identity').tenantId;
    const article = isUuid(articleId) ? await restoreArticle(deps.db, tenantId, articleId) : null;
    if (!article) throw new ApiError('not_found', `No article "${articleId}"`);
    await deps.queue.enqueue(articleChangeJob, {
      tenantId,
      sourceId: article.source_id,
      change: { type: 'fetch', externalId: article.external_id },
      trigger: 'restore',
    });
    return c.json({ article });
  });

  return app;
}

const sourceKinds = sourceConfigSchema.options.map((option) => option.shape.kind.value);

const publicSourceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(sourceKinds),
  config: z.record(z.string(), z.unknown()).meta({ description: 'The configuration as created, credentials shown as "********"' }),
  full_sync_cron: z.string(),
  timezone: z.string(),
  incremental_every_minutes: z.number().int(),
  last_synced_at: z.iso.datetime().nullable(),
});

const webhookUrlsSchema = z.object({
  articles: z.url().meta({ description: 'The generic signed article webhook, for any CMS' }),
  zendesk: z.url().optional().meta({ description: 'Zendesk article events: Zendesk sources only' }),
});

const syncRunSchema = z.object({
  id: z.uuid(),
  mode: z.enum(['full', 'incremental']),
  trigger: z.string().meta({ description: 'What started it: schedule, api, created, cli…' }),
  status: z.enum(['running', 'succeeded', 'failed']),
  counts: z.object({
    seen: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    deleted: z.number().int(),
    failed: z.number().int(),
  }),
  error: z.string().nullable(),
  started_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
});

const articleSchema = z.object({
  id: z.uuid(),
  source_id: z.uuid(),
  external_id: z.string().meta({ description: 'The article’s id at its source (with its locale for Zendesk: `42:fr`)' }),
  title: z.string(),
  url: z.string().nullable(),
  collection_path: z.array(z.string()),
  locale: z.string().nullable(),
  language: z.string().nullable(),
  state: z.enum(['published', 'draft', 'deleted']),
  searchable: z.boolean().meta({ description: 'Published, not excluded, and indexed: search can return it' }),
  excluded: z.boolean().meta({ description: 'Removed from the index by an admin, until restored' }),
  chunks: z.number().int(),
  last_error: z.string().nullable(),
  source_updated_at: z.iso.datetime().nullable(),
  indexed_at: z.iso.datetime(),
});

const sourceIdParams = z.object({ sourceId: z.uuid().meta({ description: 'The source’s id' }) });
const articleIdParams = z.object({ articleId: z.uuid().meta({ description: 'The article’s id in Relai (`id`, not `external_id`)' }) });
const noSuchSource = 'No source with this id for this tenant';
const tags = ['Knowledge sources'];

export const sourceOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/sources',
    operationId: 'createSource',
    summary: 'Add a knowledge source',
    description:
      'Kinds: `intercom`, `zendesk` and `html-site`; `jsonl` and `folder` read server files, so only an operator adds them ' +
      '(`relai sources add`). The source gets its schedules and a first full sync at once. The answer carries the webhook ' +
      'URLs and signing secret: the secret is shown this once.',
    tags,
    auth: 'admin',
    body: createSourceBody,
    bodyExample: {
      name: 'Help center FR',
      config: { kind: 'zendesk', subdomain: 'acme', auth: { email: 'ops@acme.fr', apiToken: '…' }, locales: ['fr', 'en-us'] },
      full_sync_cron: '0 3 * * 1',
      timezone: 'Europe/Paris',
      incremental_every_minutes: 10,
    },
    responses: {
      201: {
        description: 'Created; its first sync is queued',
        schema: z.object({
          source: publicSourceSchema,
          webhooks: webhookUrlsSchema.extend({ secret: z.string().meta({ description: 'Signs webhook deliveries: shown this once' }) }),
        }),
      },
    },
    errors: { unsupported_media_type: 'The body is not sent as `application/json`', conflict: 'A source with this name exists' },
  },
  {
    method: 'get',
    path: '/v1/sources',
    operationId: 'listSources',
    summary: 'List the tenant’s sources',
    tags,
    auth: 'admin',
    responses: { 200: { description: 'Oldest first', schema: z.object({ sources: z.array(publicSourceSchema) }) } },
  },
  {
    method: 'get',
    path: '/v1/sources/{sourceId}',
    operationId: 'getSource',
    summary: 'One source and its webhook URLs',
    tags,
    auth: 'admin',
    params: sourceIdParams,
    responses: { 200: { description: 'The source', schema: z.object({ source: publicSourceSchema, webhooks: webhookUrlsSchema }) } },
    errors: { not_found: noSuchSource },
  },
  {
    method: 'delete',
    path: '/v1/sources/{sourceId}',
    operationId: 'deleteSource',
    summary: 'Remove a source and its articles',
    description: 'Its schedules stop and its articles leave search at once.',
    tags,
    auth: 'admin',
    params: sourceIdParams,
    responses: { 204: { description: 'Removed' } },
    errors: { not_found: noSuchSource },
  },
  {
    method: 'post',
    path: '/v1/sources/{sourceId}/sync',
    operationId: 'syncSource',
    summary: 'Sync a source now',
    description: 'Without a body, a full sync. A sync of the same mode already queued is not queued twice.',
    tags,
    auth: 'admin',
    params: sourceIdParams,
    body: syncBody,
    bodyOptional: true,
    bodyExample: { mode: 'incremental' },
    responses: {
      202: {
        description: 'Queued (or already queued)',
        schema: z.object({
          queued: z.boolean(),
          already_queued: z.boolean(),
          mode: z.enum(['full', 'incremental']),
          runs: z.string().meta({ description: 'Where to follow the run' }),
        }),
      },
    },
    errors: { not_found: noSuchSource, unsupported_media_type: 'A body not sent as `application/json`' },
  },
  {
    method: 'get',
    path: '/v1/sources/{sourceId}/runs',
    operationId: 'listSyncRuns',
    summary: 'The source’s sync runs',
    tags,
    auth: 'admin',
    params: sourceIdParams,
    query: listRunsQuery,
    responses: { 200: { description: 'Latest first', schema: z.object({ runs: z.array(syncRunSchema) }) } },
    errors: { not_found: noSuchSource },
  },
  {
    method: 'get',
    path: '/v1/sources/{sourceId}/runs/{runId}',
    operationId: 'getSyncRun',
    summary: 'One sync run and its per-article problems',
    tags,
    auth: 'admin',
    params: sourceIdParams.extend({ runId: z.uuid().meta({ description: 'The run’s id' }) }),
    responses: {
      200: {
        description: 'The run',
        schema: z.object({
          run: syncRunSchema.extend({
            problems: z.array(
              z.object({
                external_id: z.string(),
                title: z.string().nullable(),
                kind: z.enum(['failed', 'truncated']),
                reason: z.string(),
              }),
            ).meta({ description: 'Articles that failed or were truncated (1000 at most)' }),
          }),
        }),
      },
    },
    errors: { not_found: 'No such source, or no such run of this source' },
  },
  {
    method: 'get',
    path: '/v1/sources/{sourceId}/articles',
    operationId: 'listSourceArticles',
    summary: 'The source’s articles and their index state',
    tags,
    auth: 'admin',
    params: sourceIdParams,
    query: listArticlesQuery,
    responses: { 200: { description: 'By title', schema: z.object({ articles: z.array(articleSchema) }) } },
    errors: { not_found: noSuchSource },
  },
  {
    method: 'delete',
    path: '/v1/articles/{articleId}',
    operationId: 'excludeArticle',
    summary: 'Take one article out of search',
    description: 'Its passages leave search now, and later syncs keep it out (even if still published) until it is restored.',
    tags,
    auth: 'admin',
    params: articleIdParams,
    responses: { 200: { description: 'The excluded article', schema: z.object({ article: articleSchema }) } },
    errors: { not_found: 'No article with this id for this tenant' },
  },
  {
    method: 'post',
    path: '/v1/articles/{articleId}/restore',
    operationId: 'restoreArticle',
    summary: 'Put an excluded article back',
    description: 'Syncs index it again; a refetch from its source is queued now.',
    tags,
    auth: 'admin',
    params: articleIdParams,
    responses: { 200: { description: 'The restored article', schema: z.object({ article: articleSchema }) } },
    errors: { not_found: 'No article with this id for this tenant' },
  },
];
