import type { AgentReply } from '@relai/answering';
import type { HootsuiteEvent } from './events';
import type { TransferTarget } from './inbox-client';
import { renderReply } from './render';
import type { HootsuiteSettings } from './settings';

/** Everything the VA does on the platform when a human must take over, decided before any call. */
export interface HandoffPlan {
  /** What the contact reads first (an escalation's reply); null: a suggestion is silent. */
  message: string | null;
  /** The internal note: the handoff note of an escalation, the proposed answer of a suggestion. */
  note: string;
  topicIds: string[];
  /** Contact attributes for reporting and routing rules in Inbox; escalations only. */
  attributes: Record<string, string> | null;
  target: TransferTarget;
  /** The agent team's external_id (settings.teams), sent along for team routing. */
  teamId: string | null;
}

/** null: the reply is not a handoff (answer, clarify, ignore). */
export function planHandoff(reply: AgentReply, conversation: HootsuiteEvent['conversation'], settings: HootsuiteSettings): HandoffPlan | null {
  if (reply.action !== 'escalate' && reply.action !== 'suggest') return null;
  const team = reply.escalation?.team ?? reply.team;
  const { topics } = settings;
  const topicIds = [
    reply.action === 'escalate' && reply.escalation ? topics.escalation_reasons[reply.escalation.reason] : topics.suggestion,
    team ? topics.teams[team.id] : undefined,
  ].filter((id): id is string => id !== undefined);
  const escalating = reply.action === 'escalate';
  return {
    message: escalating && reply.reply.text.trim() ? reply.reply.text.trim() : null,
    note: escalating && reply.escalation ? reply.escalation.note.text : renderReply(reply.reply),
    topicIds: [...new Set(topicIds)],
    attributes: escalating
      ? { relai_escalation_reason: reply.escalation?.reason ?? 'unknown', relai_last_confidence: reply.confidence.toFixed(2) }
      : null,
    target: transferTarget(conversation, settings),
    teamId: team?.external_id ?? null,
  };
}

/** Inception hands off to "New"; delegation follows the VA's handoff rule. */
export function transferTarget(conversation: HootsuiteEvent['conversation'], settings: HootsuiteSettings): TransferTarget {
  if (settings.activation === 'delegation' && settings.delegation_handoff === 'previous_agent') {
    return { to: 'previous_agent', agentId: conversation.delegated_by?.id ?? null };
  }
  return { to: 'new' };
}
