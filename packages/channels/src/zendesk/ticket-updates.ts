import type { AgentReply, Team } from '@relai/answering';
import { renderCustomerReply, renderHandoffNote, renderReviewNote, renderSuggestionNote } from './render-comment';
import type { TicketUpdate } from './zendesk-tickets-client';
import type { ZendeskSettings } from './zendesk-settings';

/** One ticket update; `step` names it in the idempotency key, so a retried job skips the steps done. */
export interface PlannedUpdate {
  step: 'reply' | 'note' | 'handoff';
  update: TicketUpdate;
}

/** A team's Zendesk group: its external_id when numeric, else the channel's default group, else none. */
export function zendeskGroupId(team: Team | null, settings: ZendeskSettings): number | undefined {
  const id = [team?.external_id, settings.escalation_group_default].find((candidate) => candidate !== undefined && /^\d+$/.test(candidate));
  return id === undefined ? undefined : Number(id);
}

function withGroup(update: TicketUpdate, groupId: number | undefined): TicketUpdate {
  return groupId === undefined ? update : { ...update, group_id: groupId };
}

/**
 * What the decision does to the ticket. A Zendesk update carries one comment, so an escalation is two
 * updates: the customer's message, then the handoff note with the group (the ticket goes back to `open`).
 */
export function planTicketUpdates(reply: AgentReply, settings: ZendeskSettings): PlannedUpdate[] {
  const format = settings.comment_format;
  const publicMode = settings.reply_mode === 'public';
  switch (reply.action) {
    case 'ignore':
      return [];
    case 'answer':
    case 'clarify': {
      if (!publicMode) return [{ step: 'note', update: { comment: { ...renderReviewNote(reply, format), public: false } } }];
      // Both wait for the customer; a solved ticket reopens when they write again.
      const status = reply.action === 'answer' && settings.solve_on_answer ? 'solved' : 'pending';
      return [{ step: 'reply', update: { comment: { ...renderCustomerReply(reply.reply, format), public: true }, status } }];
    }
    case 'suggest':
      return [{ step: 'note', update: withGroup({ comment: { ...renderSuggestionNote(reply, format), public: false } }, zendeskGroupId(reply.team, settings)) }];
    case 'escalate': {
      const steps: PlannedUpdate[] = [];
      if (publicMode && settings.escalation_public_reply && reply.reply.text.trim()) {
        steps.push({ step: 'reply', update: { comment: { ...renderCustomerReply(reply.reply, format), public: true } } });
      }
      const note = renderHandoffNote(reply.escalation?.note.text ?? reply.reply.text, format);
      const team = reply.escalation?.team ?? reply.team;
      steps.push({ step: 'handoff', update: withGroup({ comment: { ...note, public: false }, status: 'open' }, zendeskGroupId(team, settings)) });
      return steps;
    }
  }
}
