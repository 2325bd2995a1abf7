import type { AgentReply, ConversationTurn, PriorDecision, UserProfile } from '@relai/answering';
import { isUniqueViolation, type Database, type Queryable } from '@relai/db';

/**
 * Sessions of a platform conversation id. A session lives `ttlMinutes` after its last message; a
 * message after `end` or after expiry opens the next session under the same id, as the AI-agents API
 * of the seed describes. An escalated session stays alive (a human has it) until it ends.
 */
export type SessionStatus = 'active' | 'ended' | 'escalated';

export interface Session {
  id: string;
  tenantId: string;
  agentId: string;
  externalId: string;
  sessionNumber: number;
  status: SessionStatus;
  userProfile: UserProfile;
  params: Record<string, unknown>;
  startedAt: Date;
  lastMessageAt: Date;
  endedAt: Date | null;
  escalation: { reason: string; team: string | null } | null;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'agent';
  text: string;
  createdAt: Date;
  /** Agent turns only: the whole decision as returned to the platform. */
  decision: AgentReply | null;
}

export interface SessionKey {
  tenantId: string;
  agentId: string;
  externalId: string;
}

interface SessionRow {
  id: string;
  tenant_id: string;
  agent_id: string;
  external_id: string;
  session_number: number;
  status: SessionStatus;
  user_profile: UserProfile;
  params: Record<string, unknown>;
  started_at: Date;
  last_message_at: Date;
  ended_at: Date | null;
  escalation: Session['escalation'];
}

const SESSION_COLUMNS = 'id, tenant_id, agent_id, external_id, session_number, status, user_profile, params, started_at, last_message_at, ended_at, escalation';

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    agentId: row.agent_id,
    externalId: row.external_id,
    sessionNumber: row.session_number,
    status: row.status,
    userProfile: row.user_profile,
    params: row.params,
    startedAt: row.started_at,
    lastMessageAt: row.last_message_at,
    endedAt: row.ended_at,
    escalation: row.escalation,
  };
}

export function isAlive(session: Session, ttlMinutes: number, now: Date): boolean {
  return session.status !== 'ended' && session.lastMessageAt.getTime() + ttlMinutes * 60_000 > now.getTime();
}

/** What a customer message brings besides its text: who they are and the platform's session parameters. */
export interface CustomerContext {
  user?: UserProfile;
  metaData?: Record<string, unknown>;
}

/**
 * Runs inside the transaction that stores a change, so that what it writes (an integration's outbox
 * event) commits or rolls back with the change itself.
 */
export type InTransaction<Change> = (tx: Queryable, change: Change) => Promise<void>;

/** A session opened or resumed; `started` when this call began a new session. */
export interface SessionOpened {
  session: Session;
  started: boolean;
}

export class ConversationStore {
  constructor(private readonly db: Database) {}

  /** The latest session of a conversation id, alive or not; null when the id was never seen. */
  async latest(key: SessionKey): Promise<Session | null> {
    return latestSession(this.db, key, false);
  }

  /**
   * Start: resumes the alive session of this id, or opens the next one. The user profile and
   * meta_data are merged into the session (later values win).
   */
  async open(
    key: SessionKey,
    ttlMinutes: number,
    context: CustomerContext,
    now = new Date(),
    inTransaction?: InTransaction<SessionOpened>,
  ): Promise<{ session: Session; resumed: boolean }> {
    return this.withSessionRetry(() =>
      this.db.transaction(async (tx) => {
        const current = await latestSession(tx, key, true);
        const resumed = current !== null && isAlive(current, ttlMinutes, now);
        const session = resumed ? await mergeContext(tx, current, context, now) : await nextSession(tx, key, current, ttlMinutes, context, now);
        await inTransaction?.(tx, { session, started: !resumed });
        return { session, resumed };
      }),
    );
  }

  /**
   * Converse: records the customer's message in the alive session (opening one when needed) and
   * returns the session's history for the answer engine.
   */
  async addCustomerMessage(
    key: SessionKey,
    ttlMinutes: number,
    text: string,
    context: CustomerContext,
    now = new Date(),
    inTransaction?: InTransaction<SessionOpened>,
  ): Promise<{ session: Session; newSession: boolean; messages: StoredMessage[] }> {
    return this.withSessionRetry(() =>
      this.db.transaction(async (tx) => {
        const current = await latestSession(tx, key, true);
        const alive = current !== null && isAlive(current, ttlMinutes, now);
        const session = alive ? await mergeContext(tx, current, context, now) : await nextSession(tx, key, current, ttlMinutes, context, now);
        await tx.query(
          `INSERT INTO messages (tenant_id, conversation_id, role, text, context, created_at) VALUES ($1, $2, 'user', $3, $4, $5)`,
          [key.tenantId, session.id, text, { user: context.user ?? null, meta_data: context.metaData ?? null }, now],
        );
        await inTransaction?.(tx, { session, started: !alive });
        return { session, newSession: !alive, messages: await sessionMessages(tx, session.id) };
      }),
    );
  }

  /** Stores the agent's turn with its decision; an escalation hands the session to a human. */
  async addAgentReply(
    session: Session,
    reply: AgentReply,
    latencyMs: number,
    now = new Date(),
    inTransaction?: InTransaction<{ messageId: string; session: Session }>,
  ): Promise<{ messageId: string; session: Session }> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO messages (tenant_id, conversation_id, role, text, decision, action, confidence, latency_ms, created_at)
         VALUES ($1, $2, 'agent', $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [session.tenantId, session.id, reply.reply.text, reply, reply.action, reply.confidence, Math.round(latencyMs), now],
      );
      const escalation = reply.action === 'escalate' && reply.escalation ? { reason: reply.escalation.reason, team: reply.escalation.team?.id ?? null } : null;
      const updated = await tx.query<SessionRow>(
        `UPDATE conversations SET last_message_at = greatest(last_message_at, $2),
                status = CASE WHEN $3::jsonb IS NOT NULL AND status = 'active' THEN 'escalated' ELSE status END,
                escalation = coalesce(escalation, $3::jsonb)
         WHERE id = $1 RETURNING ${SESSION_COLUMNS}`,
        [session.id, now, escalation],
      );
      const stored = { messageId: rows[0]!.id, session: toSession(updated.rows[0]!) };
      await inTransaction?.(tx, stored);
      return stored;
    });
  }

  /**
   * Ends the alive session of this id; ending an ended one is a no-op that returns it (and does not
   * run `inTransaction`). Null: unknown id.
   */
  async end(key: SessionKey, now = new Date(), inTransaction?: InTransaction<Session>): Promise<Session | null> {
    return this.db.transaction(async (tx) => {
      const current = await latestSession(tx, key, true);
      if (!current || current.status === 'ended') return current;
      const { rows } = await tx.query<SessionRow>(`UPDATE conversations SET status = 'ended', ended_at = $2 WHERE id = $1 RETURNING ${SESSION_COLUMNS}`, [current.id, now]);
      const ended = toSession(rows[0]!);
      await inTransaction?.(tx, ended);
      return ended;
    });
  }

  async messages(session: Session): Promise<StoredMessage[]> {
    return sessionMessages(this.db, session.id);
  }

  /**
   * Marks sessions whose lifetime passed as ended (at their expiry time), so that metrics count them
   * as finished. Each agent's own lifetime applies; the default is 2 hours. `inTransaction` sees the
   * ended sessions in the same transaction (the integration outbox publishes their end).
   */
  async expireIdleSessions(now = new Date(), inTransaction?: InTransaction<Session[]>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<SessionRow>(
        `UPDATE conversations c SET status = 'ended',
                ended_at = c.last_message_at + make_interval(mins => coalesce((a.settings->>'session_ttl_minutes')::int, 120))
         FROM agents a
         WHERE a.id = c.agent_id AND c.status <> 'ended'
           AND c.last_message_at + make_interval(mins => coalesce((a.settings->>'session_ttl_minutes')::int, 120)) <= $1
         RETURNING ${SESSION_COLUMNS.split(', ').map((column) => `c.${column}`).join(', ')}`,
        [now],
      );
      const ended = rows.map(toSession);
      if (inTransaction && ended.length) await inTransaction(tx, ended);
      return ended.length;
    });
  }

  /** Two first messages of one conversation id at once: the loser of the unique index retries and resumes. */
  private async withSessionRetry<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return work();
    }
  }
}

async function latestSession(db: Queryable, key: SessionKey, forUpdate: boolean): Promise<Session | null> {
  const { rows } = await db.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM conversations
     WHERE tenant_id = $1 AND agent_id = $2 AND external_id = $3
     ORDER BY session_number DESC LIMIT 1${forUpdate ? ' FOR UPDATE' : ''}`,
    [key.tenantId, key.agentId, key.externalId],
  );
  return rows[0] ? toSession(rows[0]) : null;
}

/** Closes the expired previous session (at its expiry time) and opens the next one. */
async function nextSession(db: Queryable, key: SessionKey, previous: Session | null, ttlMinutes: number, context: CustomerContext, now: Date): Promise<Session> {
  if (previous && previous.status !== 'ended') {
    await db.query(
      `UPDATE conversations SET status = 'ended', ended_at = last_message_at + make_interval(mins => $2) WHERE id = $1`,
      [previous.id, ttlMinutes],
    );
  }
  return createSession(db, key, (previous?.sessionNumber ?? 0) + 1, context, now);
}

async function createSession(db: Queryable, key: SessionKey, sessionNumber: number, context: CustomerContext, now: Date): Promise<Session> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO conversations (tenant_id, agent_id, external_id, session_number, status, user_profile, params, started_at, last_message_at)
     VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $7) RETURNING ${SESSION_COLUMNS}`,
    [key.tenantId, key.agentId, key.externalId, sessionNumber, context.user ?? {}, context.metaData ?? {}, now],
  );
  return toSession(rows[0]!);
}

async function mergeContext(db: Queryable, session: Session, context: CustomerContext, now: Date): Promise<Session> {
  const { rows } = await db.query<SessionRow>(
    `UPDATE conversations SET user_profile = user_profile || $2::jsonb, params = params || $3::jsonb, last_message_at = greatest(last_message_at, $4)
     WHERE id = $1 RETURNING ${SESSION_COLUMNS}`,
    [session.id, context.user ?? {}, context.metaData ?? {}, now],
  );
  return toSession(rows[0]!);
}

async function sessionMessages(db: Queryable, sessionId: string): Promise<StoredMessage[]> {
  const { rows } = await db.query<{ id: string; role: 'user' | 'agent'; text: string; created_at: Date; decision: AgentReply | null }>(
    `SELECT id::text AS id, role, text, created_at, decision FROM messages WHERE conversation_id = $1 AND role IN ('user', 'agent') ORDER BY messages.id`,
    [sessionId],
  );
  return rows.map((row) => ({ id: row.id, role: row.role, text: row.text, createdAt: row.created_at, decision: row.decision }));
}

/** The session as the answer engine reads it: turns (agent turns it stayed silent on are skipped) and prior decisions. */
export function conversationFor(messages: StoredMessage[]): { turns: ConversationTurn[]; priorDecisions: PriorDecision[] } {
  const turns: ConversationTurn[] = [];
  const priorDecisions: PriorDecision[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      turns.push({ role: 'user', text: message.text });
      continue;
    }
    const decision = message.decision;
    if (!decision) continue;
    if (message.text.trim()) turns.push({ role: 'agent', text: message.text });
    const options = decision.reply.components.flatMap((component) => (component.type === 'options' ? component.options : []));
    priorDecisions.push({
      action: decision.action,
      confidence: decision.confidence,
      citedArticleIds: decision.citations.map((citation) => citation.articleId),
      options,
      consulted: [
        ...decision.citations.map((citation) => ({ articleId: citation.articleId, title: citation.title, url: citation.url })),
        ...options.map((option) => ({ articleId: option.articleId, title: option.label, url: null })),
      ],
    });
  }
  return { turns, priorDecisions };
}
