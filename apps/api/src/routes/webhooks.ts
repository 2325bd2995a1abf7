import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { articleChangeJob, isUuid, type ArticleChange, type SourceRecord } from '@relai/ingest';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import type { Operation } from '../openapi/operation';
import { parseWith } from '../validation';
import { relaiArticleEventSchema, relaiEventToChange, zendeskArticleEventSchema, zendeskEventToChange } from '../webhooks/article-events';
import { claimDelivery, forgetDelivery } from '../webhooks/delivery-dedupe';
import { RELAI_SIGNATURE_TOLERANCE_SECONDS, verifyRelaiSignature, verifyZendeskSignature } from '../webhooks/signatures';

/**
 * Article webhooks answer within milliseconds: verify the signature on the raw body, drop duplicate
 * deliveries, enqueue the change, and let the worker fetch, embed and index it.
 */
export function webhookRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  const loadSource = async (sourceId: string): Promise<SourceRecord & { webhookSecret: string }> => {
    // Webhooks carry no bearer token: the source id names the tenant, the signature proves the caller.
    const { rows } = isUuid(sourceId) ? await deps.db.query<{ tenant_id: string }>('SELECT tenant_id FROM sources WHERE id = $1', [sourceId]) : { rows: [] };
    const source = rows[0] ? await deps.sources.get(rows[0].tenant_id, sourceId) : null;
    if (!source?.webhookSecret) throw new ApiError('not_found', `No source "${sourceId}"`);
    return source as SourceRecord & { webhookSecret: string };
  };

  const enqueueChanges = async (c: Context<AppEnv>, source: SourceRecord, provider: string, deliveryId: string | undefined, changes: ArticleChange[], trigger: string) => {
    if (deliveryId && !(await claimDelivery(deps.db, source.tenantId, provider, deliveryId))) {
      return c.json({ accepted: true, duplicate: true });
    }
    try {
      for (const change of changes) {
        await deps.queue.enqueue(articleChangeJob, { tenantId: source.tenantId, sourceId: source.id, change, trigger });
      }
    } catch (error) {
      if (deliveryId) await forgetDelivery(deps.db, source.tenantId, provider, deliveryId);
      deps.logger.error('webhook not enqueued', { sourceId: source.id, error });
      throw new ApiError('not_ready', 'The job queue is unavailable; retry the delivery later');
    }
    return c.json({ accepted: true, duplicate: false, changes: changes.length }, 202);
  };

  app.post('/v1/webhooks/zendesk/:sourceId', async (c) => {
    const source = await loadSource(c.req.param('sourceId'));
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (!verifyZendeskSignature(source.webhookSecret, c.req.header('x-zendesk-webhook-signature-timestamp'), c.req.header('x-zendesk-webhook-signature'), raw)) {
      throw new ApiError('unauthorized', 'Missing or wrong X-Zendesk-Webhook-Signature');
    }
    const event = parseWith(zendeskArticleEventSchema, parseBody(raw));
    const change = zendeskEventToChange(event);
    if (!change) return c.json({ accepted: true, ignored: `not an article event: ${event.type}` });
    let externalIds = change.locale ? [`${change.articleId}:${change.locale}`] : [change.articleId];
    if (change.kind === 'remove' && !change.locale) {
      const { rows } = await deps.db.query<{ external_id: string }>(
        `SELECT external_id FROM articles WHERE tenant_id = $1 AND source_id = $2 AND (external_id = $3 OR external_id LIKE $3 || ':%')`,
        [source.tenantId, source.id, change.articleId],
      );
      externalIds = rows.map((row) => row.external_id);
    }
    const changes: ArticleChange[] = externalIds.map((externalId) => ({ type: change.kind, externalId }));
    return enqueueChanges(c, source, 'zendesk', c.req.header('x-zendesk-webhook-invocation-id') ?? event.id, changes, 'zendesk-webhook');
  });

  app.post('/v1/webhooks/sources/:sourceId/articles', async (c) => {
    const source = await loadSource(c.req.param('sourceId'));
    const raw = Buffer.from(await c.req.arrayBuffer());
    const check = verifyRelaiSignature(source.webhookSecret, c.req.header('x-relai-signature'), raw);
    if (!check.ok) throw new ApiError('unauthorized', `Webhook refused: ${check.reason}`);
    const event = parseWith(relaiArticleEventSchema, parseBody(raw));
    return enqueueChanges(c, source, 'relai', c.req.header('x-relai-delivery'), [relaiEventToChange(event)], 'webhook');
  });

  return app;
}

function parseBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON');
  }
}

const sourceIdParams = z.object({ sourceId: z.uuid().meta({ description: 'The source’s id (from its webhook URL)' }) });
const enqueued = z.object({
  accepted: z.literal(true),
  duplicate: z.literal(false),
  changes: z.number().int().meta({ description: 'Article changes queued' }),
});
const duplicate = z.object({ accepted: z.literal(true), duplicate: z.literal(true) });
const webhookErrors = {
  not_found: 'No source with this id, or it has no webhook secret',
  not_ready: 'The job queue is unavailable: deliver again later',
};

export const webhookOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/webhooks/zendesk/{sourceId}',
    operationId: 'receiveZendeskArticleEvent',
    summary: 'Zendesk Guide article events',
    description:
      'Point a Zendesk webhook subscribed to article events here, with the signing secret given as `webhook_secret` when the ' +
      'source was created. Published articles are fetched again, unpublished ones leave search; other events are acknowledged.',
    tags: ['Webhooks'],
    auth: 'signature',
    params: sourceIdParams,
    headers: z.object({
      'X-Zendesk-Webhook-Signature': z.string().meta({ description: 'base64 HMAC-SHA256 of timestamp + raw body with the signing secret' }),
      'X-Zendesk-Webhook-Signature-Timestamp': z.string(),
      'X-Zendesk-Webhook-Invocation-Id': z.string().optional().meta({ description: 'Deliveries with an id already seen are dropped' }),
    }),
    body: zendeskArticleEventSchema,
    bodyExample: { type: 'zen:event-type:article.published', id: '01GX4P86AC7T0AFF86QGAHTEFR', detail: { id: '7005414006398' }, event: { locale: 'fr' } },
    responses: {
      200: {
        description: 'A duplicate delivery, or an event that is not about an article: nothing done',
        schema: z.union([duplicate, z.object({ accepted: z.literal(true), ignored: z.string() })]),
      },
      202: { description: 'The change is queued', schema: enqueued },
    },
    errors: webhookErrors,
  },
  {
    method: 'post',
    path: '/v1/webhooks/sources/{sourceId}/articles',
    operationId: 'receiveArticleEvent',
    summary: 'Signed article events from any CMS',
    description:
      'An article id to fetch again (`article.changed`) or remove (`article.deleted`), or a whole article to index ' +
      `(\`article.upserted\`). Sign with the source’s webhook secret; a signature whose timestamp is more than ${RELAI_SIGNATURE_TOLERANCE_SECONDS} s from now is refused.`,
    tags: ['Webhooks'],
    auth: 'signature',
    params: sourceIdParams,
    headers: z.object({
      'X-Relai-Signature': z.string().meta({ description: '`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`' }),
      'X-Relai-Delivery': z.string().optional().meta({ description: 'Deliveries with an id already seen are dropped' }),
    }),
    body: relaiArticleEventSchema,
    bodyExample: { event: 'article.upserted', article: { id: 42, title: 'Exporter le FEC', collection: 'Export', language: 'fr', html: '<p>Menu Paramètres…</p>' } },
    responses: {
      200: { description: 'A duplicate delivery: nothing done', schema: duplicate },
      202: { description: 'The change is queued', schema: enqueued },
    },
    errors: webhookErrors,
  },
];
