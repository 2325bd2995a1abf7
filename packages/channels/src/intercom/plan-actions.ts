import type { AgentReply, Team } from '@relai/answering';
import type { IntercomSettings } from './intercom-settings';
import { renderCustomerReply, renderHandoffNote, renderSuggestionNote } from './render-reply';

/** One call to Intercom, in the order the plan lists them; each runs once per customer message. */
export type IntercomAction =
  | { kind: 'comment'; body: string }
  | { kind: 'note'; body: string }
  /** assigneeId "0" is Intercom's Unassigned; `team` is the agent's team it stands for, if any. */
  | { kind: 'assign'; assigneeId: string; team: Team | null }
  | { kind: 'close' };

const UNASSIGNED_ASSIGNEE = '0';

/** A team reaches Intercom through its external_id (the Intercom team id); without one, Unassigned. */
function assignTo(team: Team | null): IntercomAction {
  return { kind: 'assign', assigneeId: team?.external_id ?? UNASSIGNED_ASSIGNEE, team };
}

/**
 * What the agent's decision means in Intercom. Private content (a suggestion, the handoff note) goes
 * in notes, never in an assignment's body: the API describes that body as "a response in the
 * conversation" in recent versions, which may reach the customer.
 */
export function planActions(reply: AgentReply, settings: Pick<IntercomSettings, 'close_on_answer'>): IntercomAction[] {
  const customerReply: IntercomAction[] = reply.reply.text.trim() ? [{ kind: 'comment', body: renderCustomerReply(reply.reply) }] : [];
  switch (reply.action) {
    case 'ignore':
      return [];
    case 'answer':
      return customerReply.length && settings.close_on_answer ? [...customerReply, { kind: 'close' }] : customerReply;
    case 'clarify':
      return customerReply;
    case 'suggest':
      // The customer hears nothing yet: a teammate reviews the proposed answer and sends it.
      return [
        { kind: 'note', body: renderSuggestionNote(reply) },
        assignTo(reply.team),
      ];
    case 'escalate': {
      const note: IntercomAction[] = reply.escalation ? [{ kind: 'note', body: renderHandoffNote(reply.escalation.note) }] : [];
      return [...customerReply, ...note, assignTo(reply.escalation?.team ?? reply.team)];
    }
  }
}
