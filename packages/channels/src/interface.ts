import type { z } from 'zod';
import type { AgentReply, AgentSettings, ConversationTurn, UserProfile } from '@relai/answering';
import type { Logger } from '@relai/config';
import type { Session } from '@relai/conversations';
import type { HttpPolicy } from '@relai/sources';
import type { Agent } from '@relai/tenants';

/**
 * A channel connects an agent to a messaging platform. Each platform is a folder with its webhook
 * verification, event parsing, platform client and rendering, behind this one interface; the API
 * route, the queue job and storage are shared (channel-store.ts, process-channel-event.ts).
 */
export type Platform = 'intercom' | 'zendesk' | 'hootsuite' | 'integration';
export const PLATFORMS: readonly Platform[] = ['intercom', 'zendesk', 'hootsuite', 'integration'];

export interface InboundRequest {
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

export type Verification = { ok: true } | { ok: false; reason: string };

export interface ParsedDelivery<Event> {
  /** The platform's id of this delivery, to drop duplicates; null when the platform sends none. */
  deliveryId: string | null;
  /** null: a delivery we acknowledge and ignore (a topic we do not handle), see `ignoredReason`. */
  event: Event | null;
  ignoredReason?: string;
}

/** A malformed delivery: the webhook answers 400 with this message. */
export class ChannelPayloadError extends Error {
  override name = 'ChannelPayloadError';
}

/** The delivery's body as JSON; a body that is not JSON is a malformed delivery (400 with `message`). */
export function jsonBody(request: InboundRequest, message = 'the body is not JSON'): unknown {
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new ChannelPayloadError(message);
  }
}

export interface StoredChannel<Settings = unknown, Secrets = unknown> {
  id: string;
  tenantId: string;
  agentId: string;
  platform: Platform;
  enabled: boolean;
  settings: Settings;
  secrets: Secrets;
}

export interface ConverseInput {
  /** The platform's conversation id: sessions are kept by it. */
  conversationId: string;
  /**
   * The platform's id of the customer's message (an Intercom part, a Zendesk comment, a Hootsuite
   * message), unique within the conversation: `converse` records and decides once per key, and a
   * retried job gets the first result back.
   */
  messageKey: string;
  /** The customer's new message. */
  text: string;
  user?: UserProfile;
  metaData?: Record<string, unknown>;
  /**
   * The conversation as the platform shows it (oldest first, ending with `text`), when the platform
   * is the source of truth for history (Intercom parts, Zendesk comments). Default: our session.
   */
  turns?: ConversationTurn[];
}

export interface ConverseResult {
  reply: AgentReply;
  /** The session as it was right after the decision (on a replay, as first stored). */
  session: Session;
  newSession: boolean;
  /** True when this message key was conversed before: the stored result, nothing recorded again. */
  replayed: boolean;
}

export interface ChannelContext<Settings = unknown, Secrets = unknown> {
  channel: StoredChannel<Settings, Secrets>;
  agent: Agent;
  agentSettings: AgentSettings;
  /**
   * The step every platform shares: record the customer's message, decide, record the decision.
   * Once per `messageKey` (stored in channel_actions with the decision): calling it again for the
   * same message, as a retried job does, returns the first result without recording anything.
   */
  converse(input: ConverseInput): Promise<ConverseResult>;
  /** The latest session of a platform conversation, alive or not; null when it was never seen. */
  session(conversationId: string): Promise<Session | null>;
  /**
   * Ends the conversation's session (an escalated one included): the customer's next message opens
   * a new session, where the agent answers again. Null when the conversation was never seen.
   */
  endSession(conversationId: string): Promise<Session | null>;
  /**
   * Runs a platform side effect once per key (e.g. `reply:<conversation>:<part id>`): a retried job
   * returns the stored result instead of posting again.
   */
  once<T>(key: string, action: () => Promise<T>): Promise<T>;
  /** fetch, sleep and retry policy for platform clients; tests inject fakes' URLs and instant sleeps. */
  http: HttpPolicy;
  logger: Logger;
  now(): Date;
}

export interface ChannelAdapter<Settings = unknown, Secrets = unknown, Event = unknown> {
  platform: Platform;
  /** Validated on every write through the API; stored readable. */
  settingsSchema: z.ZodType<Settings>;
  /** Validated on every write; stored sealed, never returned. */
  secretsSchema: z.ZodType<Secrets>;
  /** Platforms that call us: verify, parse, then the event goes through the queue to `handle`. */
  inbound?: {
    verify(request: InboundRequest, channel: StoredChannel<Settings, Secrets>): Verification;
    /**
     * The delivery → the event to queue, or null to acknowledge it without a job: with the channel,
     * an adapter drops early what its settings already rule out (the agent's own comments, a
     * conversation in another inbox). `handle` checks again: the queue is not the only way in.
     */
    parse(request: InboundRequest, channel: StoredChannel<Settings, Secrets>): ParsedDelivery<Event>;
    /** The event as it travels in the job payload (JSON). */
    eventSchema: z.ZodType<Event>;
    /** What the 2xx acknowledgement carries; default `{ accepted: true }`. Hootsuite wants an empty body. */
    acknowledgement?: 'json' | 'empty';
  };
  /**
   * Runs in the worker, with retries: platform calls go through `context.once`. Throw
   * ChannelPermanentError (errors.ts) when retrying cannot help: the job then fails once.
   */
  handle(event: Event, context: ChannelContext<Settings, Secrets>): Promise<void>;
}
