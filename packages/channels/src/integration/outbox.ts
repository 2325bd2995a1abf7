import crypto from 'node:crypto';
import type { AgentReply } from '@relai/answering';
import type { Logger } from '@relai/config';
import type { InTransaction, Session, SessionOpened } from '@relai/conversations';
import type { Queryable } from '@relai/db';
import type { JobQueue } from '@relai/queue';
import { agentEventsFor, envelope, type ConversationChange } from './agent-events';
import { deliverOutboxJob, deliveryDedupeKey } from './jobs';
import { integrationSettingsSchema, type IntegrationSettings } from './settings';

export interface IntegrationChannel {
  id: string;
  tenantId: string;
  agentId: string;
  settings: IntegrationSettings;
}

/** The agent's enabled integration channel, without its secrets (publishing does not sign). */
export async function findIntegrationChannel(db: Queryable, agent: { tenantId: string; id: string }): Promise<IntegrationChannel | null> {
  const { rows } = await db.query<{ id: string; settings: unknown }>(
    `SELECT id, settings FROM channels WHERE tenant_id = $1 AND agent_id = $2 AND platform = 'integration' AND enabled`,
    [agent.tenantId, agent.id],
  );
  // Settings are validated when written; a row that no longer parses publishes nothing rather than failing the conversation.
  const settings = rows[0] ? integrationSettingsSchema.safeParse(rows[0].settings) : null;
  return rows[0] && settings?.success ? { id: rows[0].id, tenantId: agent.tenantId, agentId: agent.id, settings: settings.data } : null;
}

/**
 * Writes the change's events into the outbox with `tx`, the transaction that stores the change: an
 * event exists exactly when its change was committed. Returns their ids, in delivery order.
 */
export async function publishAgentEvents(
  tx: Queryable,
  input: { channel: IntegrationChannel; session: Session; change: ConversationChange; now?: Date },
): Promise<string[]> {
  const ids: string[] = [];
  const createdAt = input.now ?? new Date();
  for (const draft of agentEventsFor(input.channel.settings, input.session, input.change)) {
    const id = crypto.randomUUID();
    const event = envelope(draft, { id, agentId: input.channel.agentId, session: input.session, createdAt });
    // Delivered in insertion order: outbox_events.seq.
    await tx.query(
      `INSERT INTO outbox_events (id, tenant_id, channel_id, conversation_id, event_type, payload, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, input.channel.tenantId, input.channel.id, input.session.id, event.type, JSON.stringify(event), createdAt],
    );
    ids.push(id);
  }
  return ids;
}

/**
 * The conversations API's side of the outbox, for one request: hooks that ConversationStore runs
 * inside its transactions, then `enqueueDeliveries` once they committed. Without an enabled
 * integration channel every hook does nothing.
 */
export class AgentEventOutbox {
  private readonly published: string[] = [];

  private constructor(private readonly channel: IntegrationChannel | null) {}

  static async forAgent(db: Queryable, agent: { tenantId: string; id: string }): Promise<AgentEventOutbox> {
    return new AgentEventOutbox(await findIntegrationChannel(db, agent));
  }

  readonly onSessionOpened: InTransaction<SessionOpened> = async (tx, opened) => {
    if (opened.started) await this.publish(tx, opened.session, { type: 'conversation.started' });
  };

  readonly onSessionEnded: InTransaction<Session> = (tx, session) => this.publish(tx, session, { type: 'conversation.ended' });

  onAgentReply(reply: AgentReply): InTransaction<{ messageId: string; session: Session }> {
    return (tx, stored) => this.publish(tx, stored.session, { type: 'agent.replied', reply, messageId: stored.messageId });
  }

  /**
   * After commit: one job per event. An event behind an undelivered one of its conversation waits;
   * the delivery before it enqueues it again. A queue outage costs a delay, not events: the sweep finds them.
   */
  async enqueueDeliveries(queue: JobQueue, logger: Logger): Promise<void> {
    for (const eventId of this.published.splice(0)) {
      try {
        await queue.enqueue(deliverOutboxJob, { eventId }, { dedupeKey: deliveryDedupeKey(eventId) });
      } catch (error) {
        logger.warn('agent event not enqueued; the outbox sweep will deliver it', { eventId, error });
        return;
      }
    }
  }

  private async publish(tx: Queryable, session: Session, change: ConversationChange): Promise<void> {
    if (!this.channel) return;
    this.published.push(...(await publishAgentEvents(tx, { channel: this.channel, session, change })));
  }
}

/**
 * For the session-expiry sweep: publishes `conversation.ended` for sessions that ran out of time, in
 * the sweep's transaction. The outbox sweep delivers them.
 */
export const publishExpiredSessions: InTransaction<Session[]> = async (tx, sessions) => {
  const channels = new Map<string, IntegrationChannel | null>();
  for (const session of sessions) {
    const key = `${session.tenantId}/${session.agentId}`;
    if (!channels.has(key)) channels.set(key, await findIntegrationChannel(tx, { tenantId: session.tenantId, id: session.agentId }));
    const channel = channels.get(key);
    if (channel) await publishAgentEvents(tx, { channel, session, change: { type: 'conversation.ended' } });
  }
};
