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
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { requireAdmin, requireToken } from '../middleware/auth';
import { parseWith, readJson } from '../validation';

const createSourceBody = newSourceSchema.extend({
  /** Zendesk gives each webhook its signing secret: paste it here. Otherwise one is generated. */
  webhook_secret: z.string().min(16).max(200).optional(),
});

const syncBody = z.object({ mode: z.enum(['full', 'incremental']).default('full') });
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
