import { parseAgentSettings, type AgentReply, type AnswerEngine } from '@relai/answering';
import type { Logger } from '@relai/config';
import { conversationFor, type ConversationStore, type Session, type SessionKey, type StoredMessage } from '@relai/conversations';
import type { Database, Queryable } from '@relai/db';
import { isPermanentJobError } from '@relai/queue';
import type { HttpPolicy } from '@relai/sources';
import { findAgent } from '@relai/tenants';
import type { ChannelStore } from './channel-store';
import type { ChannelRateLimits } from './rate-limits';
import { ChannelPermanentError } from './errors';
import type { ChannelAdapter, ChannelContext, ConverseInput, ConverseResult, StoredChannel } from './interface';
import type { ChannelEventPayload } from './jobs';

export interface ChannelServices {
  db: Database;
  channels: ChannelStore;
  conversations: ConversationStore;
  answers: AnswerEngine;
  adapters: ReadonlyMap<string, ChannelAdapter<any, any, any>>;
  logger: Logger;
  /** One per process: every job of a channel waits out the rate limit any of them met. */
  rateLimits: ChannelRateLimits;
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
  if (!adapter?.inbound) throw new ChannelPermanentError(`no inbound adapter for ${channel.platform}`, { platform: channel.platform });
  const agent = await findAgent(services.db, channel.tenantId, channel.agentId);
  if (!agent) return;
  const event = adapter.inbound.eventSchema.safeParse(payload.event);
  // The stored event will not change: a retry would fail the same way.
  if (!event.success) throw new ChannelPermanentError(`the queued ${channel.platform} event does not match its schema: ${event.error.message}`, { platform: channel.platform });
  const typed: StoredChannel<unknown, unknown> = {
    ...channel,
    settings: adapter.settingsSchema.parse(channel.settings),
    secrets: adapter.secretsSchema.parse(channel.secrets),
  };
  try {
    await adapter.handle(event.data, channelContext(services, typed, agent));
  } catch (error) {
    if (isPermanentJobError(error)) {
      services.logger.warn('channel event failed, retrying cannot help: the job fails without retries', {
        channelId: channel.id,
        platform: channel.platform,
        deliveryId: payload.deliveryId,
        status: error instanceof ChannelPermanentError ? error.status : null,
        error: error.message,
      });
    }
    throw error;
  }
}

export function channelContext(services: ChannelServices, channel: StoredChannel, agent: NonNullable<Awaited<ReturnType<typeof findAgent>>>): ChannelContext {
  const agentSettings = parseAgentSettings(agent.settings);
  const now = services.now ?? (() => new Date());
  // Sessions are kept by the platform-prefixed conversation id ("intercom:215", "zendesk:1001").
  const sessionKey = (conversationId: string): SessionKey => ({ tenantId: agent.tenantId, agentId: agent.id, externalId: `${channel.platform}:${conversationId}` });
  return {
    channel,
    agent,
    agentSettings,
    http: { ...services.http, rateLimitGate: services.rateLimits.gateFor(channel.id) },
    logger: services.logger,
    now,
    converse: (input) => converse(services, channel, sessionKey(input.conversationId), agentSettings, input, now()),
    session: (conversationId) => services.conversations.latest(sessionKey(conversationId)),
    endSession: (conversationId) => services.conversations.end(sessionKey(conversationId), now()),
    once: async <T>(key: string, action: () => Promise<T>): Promise<T> => {
      const done = await storedAction<T>(services.db, channel.id, key);
      if (done) return done.result;
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

async function storedAction<T>(db: Queryable, channelId: string, key: string): Promise<{ result: T } | null> {
  const { rows } = await db.query<{ result: T }>('SELECT result FROM channel_actions WHERE channel_id = $1 AND action_key = $2', [channelId, key]);
  return rows[0] ?? null;
}

/**
 * What `converse` keeps per customer message (channel_actions, under `customer-message:<conversation>:<key>`),
 * written in the transaction that stores each step: `recorded` with the customer's message, `decided`
 * with the agent's turn. A run that failed in between decides on the recorded message without
 * recording it again; a run after `decided` returns the stored result.
 */
type ConverseRecord =
  | { stage: 'recorded'; session_id: string; new_session: boolean }
  | { stage: 'decided'; reply: AgentReply; session: Session; new_session: boolean };

function converseActionKey(input: Pick<ConverseInput, 'conversationId' | 'messageKey'>): string {
  return `customer-message:${input.conversationId}:${input.messageKey}`;
}

async function storeConverseRecord(tx: Queryable, channelId: string, key: string, record: ConverseRecord): Promise<void> {
  // A decision, once stored, stays the one every later call returns.
  await tx.query(
    `INSERT INTO channel_actions (channel_id, action_key, result) VALUES ($1, $2, $3)
     ON CONFLICT (channel_id, action_key) DO UPDATE SET result = EXCLUDED.result, done_at = now()
     WHERE channel_actions.result->>'stage' IS DISTINCT FROM 'decided'`,
    [channelId, key, JSON.stringify(record)],
  );
}

/** A session read back from JSON: its dates were stored as ISO strings. */
function reviveSession(session: Session): Session {
  const date = (value: Date | string) => new Date(value);
  return { ...session, startedAt: date(session.startedAt), lastMessageAt: date(session.lastMessageAt), endedAt: session.endedAt === null ? null : date(session.endedAt) };
}

/** The session a failed run recorded the message in, if the message is still its latest step to decide on. */
async function recordedMessage(
  conversations: ConversationStore,
  key: SessionKey,
  record: Extract<ConverseRecord, { stage: 'recorded' }>,
): Promise<{ session: Session; newSession: boolean; messages: StoredMessage[] } | null> {
  const session = await conversations.latest(key);
  // Ended or replaced since: the message belongs in the session that is alive now.
  if (!session || session.id !== record.session_id || session.status === 'ended') return null;
  return { session, newSession: record.new_session, messages: await conversations.messages(session) };
}

async function converse(
  services: ChannelServices,
  channel: StoredChannel,
  key: SessionKey,
  settings: ReturnType<typeof parseAgentSettings>,
  input: ConverseInput,
  now: Date,
): Promise<ConverseResult> {
  const actionKey = converseActionKey(input);
  const stored = (await storedAction<ConverseRecord>(services.db, channel.id, actionKey))?.result;
  if (stored?.stage === 'decided') {
    return { reply: stored.reply, session: reviveSession(stored.session), newSession: stored.new_session, replayed: true };
  }
  const startedAt = performance.now();
  const resumed = stored?.stage === 'recorded' ? await recordedMessage(services.conversations, key, stored) : null;
  const { session, newSession, messages } =
    resumed ??
    (await services.conversations.addCustomerMessage(
      key,
      settings.session_ttl_minutes,
      input.text,
      { user: input.user, metaData: input.metaData },
      now,
      async (tx, opened) => storeConverseRecord(tx, channel.id, actionKey, { stage: 'recorded', session_id: opened.session.id, new_session: opened.started }),
    ));
  const history = conversationFor(messages);
  const reply = await services.answers.answer({
    tenantId: key.tenantId,
    settings,
    turns: input.turns ?? history.turns,
    priorDecisions: history.priorDecisions,
    user: session.userProfile,
    handedOver: session.status === 'escalated',
  });
  const recorded = await services.conversations.addAgentReply(session, reply, performance.now() - startedAt, now, async (tx, agentTurn) =>
    storeConverseRecord(tx, channel.id, actionKey, { stage: 'decided', reply, session: agentTurn.session, new_session: newSession }),
  );
  return { reply, session: recorded.session, newSession, replayed: false };
}
