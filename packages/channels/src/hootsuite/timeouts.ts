import type { TimeoutQueue, TimeoutSettings } from './settings';

/** What the platform saw of a conversation the VA was given (see ledger.ts). */
export interface ConversationActivity {
  lastContactAt: Date;
  /** The VA's last message the contact received; null: none since it got the conversation. */
  lastReplyAt: Date | null;
  /** When the conversation last left the VA (resolved, handed off, closed); null: never. */
  releasedAt: Date | null;
}

export interface TimeoutDecision {
  /** Who went silent: the VA owes a reply, or the contact does. */
  silent: 'agent' | 'contact';
  since: Date;
  queue: TimeoutQueue;
}

/**
 * Hootsuite's timeout rules for a VA: the conversation goes to the configured queue when the VA has
 * not replied `agent_silent_minutes` after the contact's message, or the contact has not written
 * `contact_silent_minutes` after the VA's reply. A conversation released after the contact's last
 * message is no longer the VA's: null.
 */
export function decideTimeout(activity: ConversationActivity, timeouts: TimeoutSettings, now: Date): TimeoutDecision | null {
  if (activity.releasedAt && activity.releasedAt >= activity.lastContactAt) return null;
  const waited = (since: Date, minutes: number) => now.getTime() - since.getTime() >= minutes * 60_000;
  const { lastReplyAt, lastContactAt } = activity;
  if (lastReplyAt !== null && lastReplyAt >= lastContactAt) {
    return waited(lastReplyAt, timeouts.contact_silent_minutes) ? { silent: 'contact', since: lastReplyAt, queue: timeouts.on_contact_timeout } : null;
  }
  return waited(lastContactAt, timeouts.agent_silent_minutes) ? { silent: 'agent', since: lastContactAt, queue: timeouts.on_agent_timeout } : null;
}
