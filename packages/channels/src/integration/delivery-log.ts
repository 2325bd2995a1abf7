import type { Queryable } from '@relai/db';
import type { AgentEvent } from './agent-events';

/** One outbox event as the delivery log shows it to an admin. */
export interface DeliveryRecord {
  id: string;
  type: AgentEvent['type'];
  conversation_id: string;
  session: number;
  status: 'pending' | 'delivered' | 'failed';
  /** In the current series: a manual retry starts a new one. */
  attempts: number;
  /** Pending events only. */
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface DeliveryAttemptRecord {
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: string;
}

export interface DeliveryDetail extends DeliveryRecord {
  /** The JSON body as delivered. */
  payload: AgentEvent;
  attempt_log: DeliveryAttemptRecord[];
}

interface EventRow {
  id: string;
  event_type: AgentEvent['type'];
  payload: AgentEvent;
  status: DeliveryRecord['status'];
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const EVENT_COLUMNS = 'id, event_type, payload, status, attempts, next_attempt_at, last_error, created_at, delivered_at';

/** The channel's latest events, newest first; optionally one status or one conversation. */
export async function listDeliveries(
  db: Queryable,
  channelId: string,
  filter: { status?: DeliveryRecord['status']; conversationId?: string; limit: number },
): Promise<DeliveryRecord[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM outbox_events
     WHERE channel_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR payload->>'conversation_id' = $3)
     ORDER BY seq DESC LIMIT $4`,
    [channelId, filter.status ?? null, filter.conversationId ?? null, filter.limit],
  );
  return rows.map(toRecord);
}

export async function getDelivery(db: Queryable, channelId: string, eventId: string): Promise<DeliveryDetail | null> {
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM outbox_events WHERE channel_id = $1 AND id = $2`, [channelId, eventId]);
  if (!rows[0]) return null;
  const attempts = await db.query<{ attempt: number; status_code: number | null; error: string | null; duration_ms: number; attempted_at: Date }>(
    'SELECT attempt, status_code, error, duration_ms, attempted_at FROM outbox_attempts WHERE event_id = $1 ORDER BY id',
    [eventId],
  );
  return {
    ...toRecord(rows[0]),
    payload: rows[0].payload,
    attempt_log: attempts.rows.map((row) => ({ ...row, attempted_at: row.attempted_at.toISOString() })),
  };
}

/**
 * Makes a failed event due now, with a fresh series of attempts; the caller enqueues its delivery.
 * Pending events are left to their schedule (one may be in flight: resetting it could send it twice),
 * delivered ones are not sent again.
 */
export async function retryFailedDelivery(db: Queryable, channelId: string, eventId: string, now: Date): Promise<DeliveryRecord | 'not_found' | 'not_failed'> {
  const { rows } = await db.query<EventRow>(
    `UPDATE outbox_events SET status = 'pending', attempts = 0, next_attempt_at = $3
     WHERE channel_id = $1 AND id = $2 AND status = 'failed' RETURNING ${EVENT_COLUMNS}`,
    [channelId, eventId, now],
  );
  if (rows[0]) return toRecord(rows[0]);
  const exists = await db.query('SELECT 1 FROM outbox_events WHERE channel_id = $1 AND id = $2', [channelId, eventId]);
  return exists.rows.length > 0 ? 'not_failed' : 'not_found';
}

function toRecord(row: EventRow): DeliveryRecord {
  return {
    id: row.id,
    type: row.event_type,
    conversation_id: row.payload.conversation_id,
    session: row.payload.session,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    last_error: row.last_error,
    created_at: row.created_at.toISOString(),
    delivered_at: row.delivered_at?.toISOString() ?? null,
  };
}
