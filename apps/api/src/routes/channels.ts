import { Hono } from 'hono';
import { z } from 'zod';
import { ChannelPayloadError, channelEventJob, PLATFORMS, type ChannelRecord, type Platform } from '@relai/channels';
import type { AppDeps, AppEnv } from '../context';
import { ApiError, describeZodError } from '../errors';
import { requireAdmin, requireAgentAccess, requireToken } from '../middleware/auth';
import type { Operation } from '../openapi/operation';
import { parseWith, readJson } from '../validation';
import { claimDelivery, forgetDelivery } from '../webhooks/delivery-dedupe';

const platformParam = z.enum(PLATFORMS as [Platform, ...Platform[]], { message: `expected one of ${PLATFORMS.join(', ')}` });

export const putChannelBody = z.object({
  enabled: z.boolean().default(true),
  /** Platform settings (monitored inbox, bot admin id, subdomain, activation...): see the README. */
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Webhook secrets and platform tokens: stored encrypted, never returned. Omitted keys keep their stored value. */
  secrets: z.record(z.string(), z.unknown()).optional(),
});

export const patchChannelBody = z.object({ enabled: z.boolean() });

/**
 * An agent's channels (admin) and the platforms' inbound webhooks. A webhook is verified on its raw
 * body, deduplicated by the platform's delivery id, queued, and acknowledged at once: the worker
 * decides and acts on the platform.
 */
export function channelRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const adminOfAgent = [requireToken(deps.db), requireAdmin, requireAgentAccess(deps.db)] as const;
  const adapterFor = (platform: Platform) => {
    const adapter = deps.channels.adapters.get(platform);
    if (!adapter) throw new ApiError('not_found', `The ${platform} channel is not available`);
    return adapter;
  };
  const webhookUrl = (platform: Platform, agentId: string) => `${deps.config.http.publicUrl}/v1/channels/${platform}/${agentId}/webhook`;
  const view = (channel: ChannelRecord) => ({
    platform: channel.platform,
    enabled: channel.enabled,
    settings: channel.settings,
    // Which secrets are set, never their values.
    secrets: Object.fromEntries(Object.keys(channel.secrets).map((key) => [key, '********'])),
    webhook_url: adapterFor(channel.platform).inbound ? webhookUrl(channel.platform, channel.agentId) : null,
    created_at: channel.createdAt.toISOString(),
    updated_at: channel.updatedAt.toISOString(),
  });

  app.put('/v1/agents/:agentId/channels/:platform', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    const platform = parseWith(platformParam, c.req.param('platform'));
    const adapter = adapterFor(platform);
    const body = await readJson(c, putChannelBody);
    const existing = await deps.channels.store.get(agent.tenantId, agent.id, platform);
    const settings = adapter.settingsSchema.safeParse(body.settings);
    if (!settings.success) throw new ApiError('invalid_request', describeZodError({ issues: settings.error.issues.map((issue) => ({ ...issue, path: ['settings', ...issue.path] })) }));
    const secrets = adapter.secretsSchema.safeParse({ ...(existing?.secrets ?? {}), ...(body.secrets ?? {}) });
    if (!secrets.success) throw new ApiError('invalid_request', describeZodError({ issues: secrets.error.issues.map((issue) => ({ ...issue, path: ['secrets', ...issue.path] })) }));
    const channel = await deps.channels.store.put({
      tenantId: agent.tenantId,
      agentId: agent.id,
      platform,
      enabled: body.enabled,
      settings: body.settings,
      secrets: secrets.data,
    });
    return c.json(view(channel), existing ? 200 : 201);
  });

  app.get('/v1/agents/:agentId/channels', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    return c.json({ channels: (await deps.channels.store.list(agent.tenantId, agent.id)).map(view) });
  });

  app.get('/v1/agents/:agentId/channels/:platform', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    const platform = parseWith(platformParam, c.req.param('platform'));
    const channel = await deps.channels.store.get(agent.tenantId, agent.id, platform);
    if (!channel) throw new ApiError('not_found', `Agent "${agent.id}" has no ${platform} channel`);
    return c.json(view(channel));
  });

  /** Pause or resume without disconnecting: a paused channel acknowledges deliveries and ignores them. */
  app.patch('/v1/agents/:agentId/channels/:platform', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    const platform = parseWith(platformParam, c.req.param('platform'));
    const body = await readJson(c, patchChannelBody);
    const channel = await deps.channels.store.setEnabled(agent.tenantId, agent.id, platform, body.enabled);
    if (!channel) throw new ApiError('not_found', `Agent "${agent.id}" has no ${platform} channel`);
    return c.json(view(channel));
  });

  app.delete('/v1/agents/:agentId/channels/:platform', ...adminOfAgent, async (c) => {
    const agent = c.get('agent');
    const platform = parseWith(platformParam, c.req.param('platform'));
    if (!(await deps.channels.store.remove(agent.tenantId, agent.id, platform))) throw new ApiError('not_found', `Agent "${agent.id}" has no ${platform} channel`);
    return c.body(null, 204);
  });

  app.post('/v1/channels/:platform/:agentId/webhook', async (c) => {
    const platform = parseWith(platformParam, c.req.param('platform'));
    const agentId = c.req.param('agentId');
    const adapter = adapterFor(platform);
    const channel = adapter.inbound ? await deps.channels.store.findForWebhook(agentId, platform) : null;
    if (!channel || !adapter.inbound) throw new ApiError('not_found', `No ${platform} channel for agent "${agentId}"`);
    const request = { rawBody: Buffer.from(await c.req.arrayBuffer()), headers: Object.fromEntries(c.req.raw.headers) };
    const typed = { ...channel, settings: adapter.settingsSchema.parse(channel.settings), secrets: adapter.secretsSchema.parse(channel.secrets) };
    const verification = adapter.inbound.verify(request, typed);
    if (!verification.ok) throw new ApiError('unauthorized', `Webhook refused: ${verification.reason}`);
    const acknowledge = (body: Record<string, unknown>, status: 200 | 202 = 200) =>
      adapter.inbound!.acknowledgement === 'empty' ? c.body(null, 204) : c.json({ accepted: true, ...body }, status);

    if (!channel.enabled) return acknowledge({ ignored: 'the channel is paused' });
    let parsed;
    try {
      // With the channel: an adapter drops what its settings already rule out, before any job.
      parsed = adapter.inbound.parse(request, typed);
    } catch (error) {
      if (error instanceof ChannelPayloadError) throw new ApiError('invalid_request', error.message);
      throw error;
    }
    if (!parsed.event) return acknowledge({ ignored: parsed.ignoredReason ?? 'not an event this channel handles' });
    const provider = `channel:${platform}:${channel.agentId}`;
    if (parsed.deliveryId && !(await claimDelivery(deps.db, channel.tenantId, provider, parsed.deliveryId))) {
      return acknowledge({ duplicate: true });
    }
    try {
      await deps.queue.enqueue(channelEventJob, { channelId: channel.id, platform, deliveryId: parsed.deliveryId, event: parsed.event }, {
        dedupeKey: parsed.deliveryId ? `${channel.id}-${parsed.deliveryId}`.replace(/[^A-Za-z0-9_-]/g, '_') : undefined,
      });
    } catch (error) {
      if (parsed.deliveryId) await forgetDelivery(deps.db, channel.tenantId, provider, parsed.deliveryId);
      deps.logger.error('channel event not enqueued', { channelId: channel.id, error });
      throw new ApiError('not_ready', 'The job queue is unavailable; retry the delivery later');
    }
    return acknowledge({ duplicate: false }, 202);
  });

  return app;
}

const channelParams = z.object({ agentId: z.string(), platform: platformParam });
const channelView = z.object({
  platform: platformParam,
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.string()).meta({ description: 'Which secrets are set; values are never returned' }),
  webhook_url: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const channelOperations: Operation[] = [
  {
    method: 'put',
    path: '/v1/agents/{agentId}/channels/{platform}',
    operationId: 'putChannel',
    summary: 'Connect an agent to a platform (or update the connection)',
    description: 'Settings are validated per platform; secrets are stored encrypted and never returned (omitted secrets keep their stored value). The response gives the webhook URL to paste into the platform.',
    tags: ['Channels'],
    auth: 'admin',
    params: channelParams,
    body: putChannelBody,
    bodyExample: { settings: { inbox_id: '5512', bot_admin_id: '991', region: 'eu' }, secrets: { client_secret: '…', access_token: '…' } },
    responses: { 201: { description: 'Connected', schema: channelView }, 200: { description: 'Updated', schema: channelView } },
    errors: { not_found: 'No such agent or platform', unsupported_media_type: 'The body is not JSON' },
  },
  {
    method: 'get',
    path: '/v1/agents/{agentId}/channels',
    operationId: 'listChannels',
    summary: 'An agent’s channels',
    tags: ['Channels'],
    auth: 'admin',
    params: z.object({ agentId: z.string() }),
    responses: { 200: { description: 'Channels', schema: z.object({ channels: z.array(channelView) }) } },
    errors: { not_found: 'No such agent' },
  },
  {
    method: 'get',
    path: '/v1/agents/{agentId}/channels/{platform}',
    operationId: 'getChannel',
    summary: 'One channel',
    tags: ['Channels'],
    auth: 'admin',
    params: channelParams,
    responses: { 200: { description: 'The channel', schema: channelView } },
    errors: { not_found: 'No such agent or channel' },
  },
  {
    method: 'patch',
    path: '/v1/agents/{agentId}/channels/{platform}',
    operationId: 'pauseChannel',
    summary: 'Pause or resume a channel without disconnecting it',
    tags: ['Channels'],
    auth: 'admin',
    params: channelParams,
    body: patchChannelBody,
    responses: { 200: { description: 'The channel', schema: channelView } },
    errors: { not_found: 'No such agent or channel', unsupported_media_type: 'The body is not JSON' },
  },
  {
    method: 'delete',
    path: '/v1/agents/{agentId}/channels/{platform}',
    operationId: 'deleteChannel',
    summary: 'Disconnect a channel',
    tags: ['Channels'],
    auth: 'admin',
    params: channelParams,
    responses: { 204: { description: 'Disconnected' } },
    errors: { not_found: 'No such agent or channel' },
  },
  {
    method: 'post',
    path: '/v1/channels/{platform}/{agentId}/webhook',
    operationId: 'channelWebhook',
    summary: 'Inbound platform webhook (Intercom, Zendesk, Hootsuite)',
    description:
      'Verified with the channel’s secret (Intercom: X-Hub-Signature HMAC-SHA1; Zendesk: base64 HMAC-SHA256 of timestamp + body; Hootsuite: HMAC-SHA256 of the body, header configurable). ' +
      'Duplicate deliveries are dropped; the event is queued and acknowledged at once.',
    tags: ['Channels'],
    auth: 'signature',
    params: z.object({ platform: platformParam, agentId: z.string() }),
    body: z.record(z.string(), z.unknown()),
    responses: {
      202: { description: 'Queued', schema: z.object({ accepted: z.literal(true), duplicate: z.boolean() }) },
      200: { description: 'Acknowledged without work: a duplicate, a paused channel, or an event the channel ignores', schema: z.record(z.string(), z.unknown()) },
      204: { description: 'Acknowledged (platforms that want an empty body)' },
    },
    errors: { not_found: 'No such channel', unauthorized: 'Missing or wrong signature', unsupported_media_type: 'Not used: any content type is read as raw bytes' },
  },
];
