import type { Queryable } from '@relai/db';

/**
 * What the VA did in a conversation, as the results of its `context.once` actions (channel_actions):
 * a `reply` the contact received, a `release` when the conversation left the VA (resolved, handed
 * off, closed or taken over). The timeout sweep reads them back: whether the VA still holds a
 * conversation and who spoke last is what the platform saw, not what the agent decided.
 */
export type LedgerEntry =
  | { kind: 'reply'; conversation_id: string; at: string; platform_id: string | null }
  | { kind: 'release'; conversation_id: string; at: string; to: ReleaseKind }
  | { kind: 'effect'; conversation_id: string; at: string };

export type ReleaseKind = 'resolved' | 'new' | 'previous_agent' | 'closed' | 'unassigned';

export const replyEntry = (conversationId: string, at: Date, platformId: string | null): LedgerEntry => ({
  kind: 'reply',
  conversation_id: conversationId,
  at: at.toISOString(),
  platform_id: platformId,
});

export const releaseEntry = (conversationId: string, at: Date, to: ReleaseKind): LedgerEntry => ({ kind: 'release', conversation_id: conversationId, at: at.toISOString(), to });

/** A note, topics, attributes: done once, not read back. */
export const effectEntry = (conversationId: string, at: Date): LedgerEntry => ({ kind: 'effect', conversation_id: conversationId, at: at.toISOString() });

export interface ConversationLedger {
  lastReplyAt: Date | null;
  releasedAt: Date | null;
}

export async function readConversationLedger(db: Queryable, channelId: string, conversationId: string): Promise<ConversationLedger> {
  const { rows } = await db.query<{ last_reply_at: Date | null; released_at: Date | null }>(
    `SELECT max((result->>'at')::timestamptz) FILTER (WHERE result->>'kind' = 'reply') AS last_reply_at,
            max((result->>'at')::timestamptz) FILTER (WHERE result->>'kind' = 'release') AS released_at
     FROM channel_actions WHERE channel_id = $1 AND result->>'conversation_id' = $2`,
    [channelId, conversationId],
  );
  return { lastReplyAt: rows[0]?.last_reply_at ?? null, releasedAt: rows[0]?.released_at ?? null };
}
