import { z } from 'zod';
import type { Logger } from '@relai/config';
import type { Database, Queryable } from '@relai/db';
import type { JobQueue } from '@relai/queue';
import type { HttpPolicy } from '@relai/sources';
import type { ChannelStore } from '../channel-store';
import type { AgentEvent } from './agent-events';
import { retryDelayMs } from './backoff';
import { deliverOutboxJob, deliveryDedupeKey } from './jobs';
import { integrationSecretsSchema, integrationSettingsSchema } from './settings';
import { signatureHeader } from './signing';
import { postEvent, type AttemptResult } from './webhook-client';

export interface OutboxServices {
  db: Database;
  channels: ChannelStore;
  /** To enqueue the conversation's next event once this one is settled. */
  queue: JobQueue;
  logger: Logger;
  /** `fetch` and `random` (backoff jitter) are taken from it; tests inject them. */
  http?: HttpPolicy;
  now?: () => Date;
}

export type DeliveryOutcome =
  | { status: 'delivered'; attempt: number; statusCode: number }
  | { status: 'retry_scheduled'; attempt: number; error: string; nextAttemptAt: Date }
  | { status: 'failed'; attempt: number; error: string }
  | { status: 'skipped'; reason: 'unknown event' | 'already settled' | 'not due' | 'an earlier event of the conversation is pending' };

/**
 * Event `e` is the oldest pending event of its conversation (same channel, same platform conversation
 * id, across sessions): a delivered or failed event no longer holds the next ones back.
 */
const HEADS_ITS_CONVERSATION = `NOT EXISTS (
  SELECT 1 FROM outbox_events earlier
  WHERE earlier.channel_id = e.channel_id AND earlier.status = 'pending'
    AND earlier.payload->>'conversation_id' = e.payload->>'conversation_id'
    AND earlier.seq < e.seq)`;

/** Longer than any attempt (timeout_ms <= 30 s): an attempt cut by a crash is retried once it runs out. */
const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * The receiver's answer to action.triggered: `{ "data": {...} }` is stored into the session
 * parameters (meta_data), for later actions and for the integration's next calls.
 */
const actionResponseSchema = z.object({ data: z.record(z.string().max(100), z.unknown()).optional() });

interface ClaimedEvent {
  id: string;
  channel_id: string;
  conversation_id: string | null;
  event_type: AgentEvent['type'];
  payload: AgentEvent;
  attempts: number;
}

/**
 * One delivery attempt of an outbox event. The claim is one conditional UPDATE, so a duplicate job
 * (the post-commit enqueue and the sweep, or a redelivered BullMQ job) finds nothing to do; it also
 * refuses an event while an older one of its conversation is pending, so a conversation's events
 * arrive in order.
 */
export async function deliverOutboxEvent(services: OutboxServices, eventId: string): Promise<DeliveryOutcome> {
  const now = services.now?.() ?? new Date();
  const event = await claim(services.db, eventId, now);
  if (!event) return { status: 'skipped', reason: await whyNotClaimed(services.db, eventId, now) };

  const channel = await services.channels.byId(event.channel_id);
  // Deleting the channel deletes its events: nothing left to record.
  if (!channel) return { status: 'skipped', reason: 'unknown event' };
  const settings = integrationSettingsSchema.parse(channel.settings);
  const secrets = integrationSecretsSchema.parse(channel.secrets);

  const body = JSON.stringify(event.payload);
  const result = await postEvent(
    settings.webhook_url,
    body,
    {
      'user-agent': 'Relai-Webhooks/1',
      'x-relai-signature': signatureHeader(secrets.signing_secret, Math.floor(now.getTime() / 1000), body),
      'x-relai-event-id': event.id,
      'x-relai-event-type': event.event_type,
      'x-relai-delivery-attempt': String(event.attempts),
    },
    { timeoutMs: settings.timeout_ms, fetch: services.http?.fetch },
  );

  const outcome = await services.db.transaction(async (tx) => {
    await tx.query('INSERT INTO outbox_attempts (event_id, attempt, status_code, error, duration_ms, attempted_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      event.id,
      event.attempts,
      result.statusCode,
      result.error,
      result.durationMs,
      now,
    ]);
    return settle(tx, event, result, now, { maxAttempts: settings.max_attempts, random: services.http?.random ?? Math.random }, services.logger);
  });
  if (outcome.status === 'retry_scheduled') {
    services.logger.warn('agent event delivery failed, will retry', { eventId, attempt: event.attempts, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt });
  } else if (outcome.status === 'failed') {
    services.logger.error('agent event delivery failed for good', { eventId, attempts: event.attempts, error: outcome.error });
  }
  if (outcome.status !== 'retry_scheduled') await enqueueNextOfConversation(services, event);
  return outcome;
}

async function claim(db: Queryable, eventId: string, now: Date): Promise<ClaimedEvent | null> {
  const { rows } = await db.query<ClaimedEvent>(
    `UPDATE outbox_events e SET attempts = e.attempts + 1, next_attempt_at = $3
     WHERE e.id = $1 AND e.status = 'pending' AND e.next_attempt_at <= $2 AND ${HEADS_ITS_CONVERSATION}
     RETURNING e.id, e.channel_id, e.conversation_id, e.event_type, e.payload, e.attempts`,
    [eventId, now, new Date(now.getTime() + CLAIM_LEASE_MS)],
  );
  return rows[0] ?? null;
}

async function whyNotClaimed(db: Queryable, eventId: string, now: Date): Promise<Extract<DeliveryOutcome, { status: 'skipped' }>['reason']> {
  const { rows } = await db.query<{ status: string; next_attempt_at: Date }>('SELECT status, next_attempt_at FROM outbox_events WHERE id = $1', [eventId]);
  const row = rows[0];
  if (!row) return 'unknown event';
  if (row.status !== 'pending') return 'already settled';
  if (row.next_attempt_at > now) return 'not due';
  return 'an earlier event of the conversation is pending';
}

async function settle(
  tx: Queryable,
  event: ClaimedEvent,
  result: AttemptResult,
  now: Date,
  policy: { maxAttempts: number; random: () => number },
  logger: Logger,
): Promise<DeliveryOutcome> {
  if (result.error === null) {
    await tx.query(`UPDATE outbox_events SET status = 'delivered', delivered_at = $2, last_error = NULL WHERE id = $1`, [event.id, now]);
    if (event.event_type === 'action.triggered' && event.conversation_id) await storeActionData(tx, event, result.body, logger);
    return { status: 'delivered', attempt: event.attempts, statusCode: result.statusCode! };
  }
  if (event.attempts >= policy.maxAttempts) {
    await tx.query(`UPDATE outbox_events SET status = 'failed', last_error = $2, next_attempt_at = $3 WHERE id = $1`, [event.id, result.error, now]);
    return { status: 'failed', attempt: event.attempts, error: result.error };
  }
  const nextAttemptAt = new Date(now.getTime() + retryDelayMs(event.attempts, policy.random()));
  await tx.query('UPDATE outbox_events SET last_error = $2, next_attempt_at = $3 WHERE id = $1', [event.id, result.error, nextAttemptAt]);
  return { status: 'retry_scheduled', attempt: event.attempts, error: result.error, nextAttemptAt };
}

/** An empty body stores nothing; a body we cannot read is logged, and the delivery still counts. */
async function storeActionData(tx: Queryable, event: ClaimedEvent, body: string, logger: Logger): Promise<void> {
  if (!body.trim()) return;
  let parsed: z.infer<typeof actionResponseSchema>;
  try {
    parsed = actionResponseSchema.parse(JSON.parse(body));
  } catch {
    logger.warn('action.triggered response ignored: expected {"data": {...}}', { eventId: event.id, body: body.slice(0, 200) });
    return;
  }
  if (parsed.data && Object.keys(parsed.data).length > 0) {
    await tx.query('UPDATE conversations SET params = params || $2::jsonb WHERE id = $1', [event.conversation_id, JSON.stringify(parsed.data)]);
  }
}

async function enqueueNextOfConversation(services: OutboxServices, event: ClaimedEvent): Promise<void> {
  const { rows } = await services.db.query<{ id: string }>(
    `SELECT id FROM outbox_events WHERE channel_id = $1 AND status = 'pending' AND payload->>'conversation_id' = $2
     ORDER BY seq LIMIT 1`,
    [event.channel_id, event.payload.conversation_id],
  );
  const next = rows[0]?.id;
  if (next) await services.queue.enqueue(deliverOutboxJob, { eventId: next }, { dedupeKey: deliveryDedupeKey(next) });
}

/**
 * Enqueues every due event that heads its conversation (the others wait for it). Returns how many.
 * Scheduled every OUTBOX_SWEEP_EVERY_MS: it carries retries after backoff and events whose job was lost.
 */
export async function sweepOutbox(services: { db: Queryable; queue: JobQueue }, now: Date, limit = 500): Promise<number> {
  const { rows } = await services.db.query<{ id: string }>(
    `SELECT e.id FROM outbox_events e
     WHERE e.status = 'pending' AND e.next_attempt_at <= $1 AND ${HEADS_ITS_CONVERSATION}
     ORDER BY e.next_attempt_at LIMIT $2`,
    [now, limit],
  );
  for (const { id } of rows) await services.queue.enqueue(deliverOutboxJob, { eventId: id }, { dedupeKey: deliveryDedupeKey(id) });
  return rows.length;
}
