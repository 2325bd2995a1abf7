import type { IntercomConversation } from './intercom-conversation';
import { UNASSIGNED_INBOX, type IntercomSettings } from './intercom-settings';

export type InboxCheck = { monitored: true } | { monitored: false; reason: string };

/** Intercom reports "no assignee" as null, or as 0 in webhooks. */
function assignee(id: string | null | undefined): string | null {
  return id === null || id === undefined || id === '' || id === '0' ? null : id;
}

/**
 * Whether the agent handles this conversation, as a teammate would: it is assigned to the agent's
 * admin, or it sits in the monitored team inbox (or in Unassigned) with no teammate on it. Once a
 * teammate or another team has it, the agent stays out.
 */
export function checkMonitoredInbox(
  conversation: Pick<IntercomConversation, 'admin_assignee_id' | 'team_assignee_id'>,
  settings: Pick<IntercomSettings, 'bot_admin_id' | 'monitored_inbox'>,
): InboxCheck {
  const admin = assignee(conversation.admin_assignee_id);
  const team = assignee(conversation.team_assignee_id);
  if (admin === settings.bot_admin_id) return { monitored: true };
  if (admin !== null) return { monitored: false, reason: `assigned to teammate ${admin}` };
  if (settings.monitored_inbox === UNASSIGNED_INBOX) {
    return team === null ? { monitored: true } : { monitored: false, reason: `in team inbox ${team}, not Unassigned` };
  }
  if (team === settings.monitored_inbox) return { monitored: true };
  return { monitored: false, reason: team === null ? `unassigned, not in team inbox ${settings.monitored_inbox}` : `in team inbox ${team}, not ${settings.monitored_inbox}` };
}

/**
 * What the webhook payload alone can tell, before anything is queued: the reason to drop a
 * conversation it shows in someone else's hands (a teammate, another team inbox), else null. A
 * conversation it shows unassigned is the worker's to judge: assignment rules may still move a new
 * conversation into the monitored inbox, and the worker checks the conversation as it is by then.
 */
export function assignedElsewhere(
  conversation: Pick<IntercomConversation, 'admin_assignee_id' | 'team_assignee_id'>,
  settings: Pick<IntercomSettings, 'bot_admin_id' | 'monitored_inbox'>,
): string | null {
  const check = checkMonitoredInbox(conversation, settings);
  if (check.monitored) return null;
  const named = assignee(conversation.admin_assignee_id) !== null || assignee(conversation.team_assignee_id) !== null;
  return named ? check.reason : null;
}
