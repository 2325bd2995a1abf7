import { parseAgentSettings, type AnswerEngine } from '@relai/answering';
import type { Logger } from '@relai/config';
import { conversationFor, type ConversationStore } from '@relai/conversations';
import type { Database } from '@relai/db';
import type { HttpPolicy } from '@relai/sources';
import { findAgent } from '@relai/tenants';
import type { ChannelStore } from './channel-store';
import type { ChannelAdapter, ChannelContext, ConverseInput, ConverseResult, StoredChannel } from './interface';
import type { ChannelEventPayload } from './jobs';

export interface ChannelServices {
  db: Database;
  channels: ChannelStore;
  conversations: ConversationStore;
  answers: AnswerEngine;
  adapters: ReadonlyMap<string, ChannelAdapter<any, any, any>>;
  logger: Logger;
  http?: HttpPolicy;
  now?: () => Date;
}

/** The worker's side of a platform event: load the channel, build its context, let the adapter act. */
export async function processChannelEvent(services: ChannelServices, payload: ChannelEventPayload): Promise<void> {
  const channel = await services.channels.byId(payload.channelId);
  if (!channel || !channel.enabled) {
    services.logger.info('channel event dropped: channel removed or paused', { channelId: payload.channelId });
    return;
  }
  const adapter = services.adapters.get(channel.platform);
  if (!adapter?.inbound) throw new Error(`no inbound adapter for ${channel.platform}`);
  const agent = await findAgent(services.db, channel.tenantId, channel.agentId);
  if (!agent) return;
  const event = adapter.inbound.eventSchema.parse(payload.event);
  const typed: StoredChannel<unknown, unknown> = {
    ...channel,
    settings: adapter.settingsSchema.parse(channel.settings),
    secrets: adapter.secretsSchema.parse(channel.secrets),
  };
  await adapter.handle(event, channelContext(services, typed, agent));
}

export function channelContext(services: ChannelServices, channel: StoredChannel, agent: NonNullable<Awaited<ReturnType<typeof findAgent>>>): ChannelContext {
  const agentSettings = parseAgentSettings(agent.settings);
  const now = services.now ?? (() => new Date());
  return {
    channel,
    agent,
    agentSettings,
    http: services.http ?? {},
    logger: services.logger,
    now,
    converse: (input) => converse(services, channel, agent, agentSettings, input, now()),
    once: async <T>(key: string, action: () => Promise<T>): Promise<T> => {
      const done = await services.db.query<{ result: T }>('SELECT result FROM channel_actions WHERE channel_id = $1 AND action_key = $2', [channel.id, key]);
      if (done.rows[0]) return done.rows[0].result;
      const result = await action();
      await services.db.query('INSERT INTO channel_actions (channel_id, action_key, result) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        channel.id,
        key,
        JSON.stringify(result ?? null),
      ]);
      return result;
    },
  };
}

async function converse(
  services: ChannelServices,
  channel: StoredChannel,
  agent: { id: string; tenantId: string },
  settings: ReturnType<typeof parseAgentSettings>,
  input: ConverseInput,
  now: Date,
): Promise<ConverseResult> {
  const key = { tenantId: agent.tenantId, agentId: agent.id, externalId: `${channel.platform}:${input.conversationId}` };
  const startedAt = performance.now();
  const { session, newSession, messages } = await services.conversations.addCustomerMessage(key, settings.session_ttl_minutes, input.text, {
    user: input.user,
    metaData: input.metaData,
  }, now);
  const stored = conversationFor(messages);
  const reply = await services.answers.answer({
    tenantId: agent.tenantId,
    settings,
    turns: input.turns ?? stored.turns,
    priorDecisions: stored.priorDecisions,
    user: session.userProfile,
    handedOver: session.status === 'escalated',
  });
  const recorded = await services.conversations.addAgentReply(session, reply, performance.now() - startedAt, now);
  return { reply, session: recorded.session, newSession };
}
