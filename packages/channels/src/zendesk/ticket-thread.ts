import type { ConversationTurn, UserProfile } from '@relai/answering';
import { newEmailText } from './email-text';
import type { ZendeskTicketEvent } from './ticket-event';
import type { TicketThread, ZendeskComment } from './zendesk-tickets-client';

export type CustomerMessage =
  | { kind: 'answer'; text: string; turns: ConversationTurn[]; user: UserProfile }
  | { kind: 'ignore'; reason: string }
  /** The API does not list the comment yet and the webhook carried no text: try again later. */
  | { kind: 'not_listed' };

/** Authors who are not end users (agents, admins, the AI agent itself) speak for the company. */
function isCustomer(comment: ZendeskComment, thread: TicketThread, agentUserId: string): boolean {
  if (comment.authorId === agentUserId) return false;
  const role = thread.users.get(comment.authorId)?.role;
  return role === undefined || role === 'end-user';
}

/** The trigger's requester details when it sent them, else the author's as the API sideloads them. */
function profile(event: ZendeskTicketEvent, thread: TicketThread, authorId: string): UserProfile {
  const author = thread.users.get(authorId);
  const name = event.requester?.name ?? author?.name;
  const email = event.requester?.email ?? author?.email;
  return { id: event.requester?.id ?? authorId, ...(name ? { name } : {}), ...(email ? { email } : {}), ...(event.tags ? { tags: event.tags } : {}) };
}

/** The ticket's public conversation as turns, oldest first: what the customer and the company said by email. */
function turnsOf(comments: ZendeskComment[], thread: TicketThread, agentUserId: string): ConversationTurn[] {
  return comments
    .filter((comment) => comment.public)
    .map((comment): ConversationTurn => ({ role: isCustomer(comment, thread, agentUserId) ? 'user' : 'agent', text: newEmailText(comment.text) }))
    .filter((turn) => turn.text);
}

/**
 * The message to answer, read from the ticket as the API shows it: only a public comment of an end
 * user is answered (an agent's reply or note means a human is on it), its text without the quoted
 * email, with the public comments before it as history.
 */
export function customerMessage(event: ZendeskTicketEvent, thread: TicketThread, agentUserId: string): CustomerMessage {
  const index = thread.comments.findIndex((comment) => comment.id === event.commentId);
  const comment = thread.comments[index];
  if (!comment) {
    if (event.text === null) return { kind: 'not_listed' };
    const text = newEmailText(event.text);
    if (!text) return { kind: 'ignore', reason: 'an empty comment' };
    return { kind: 'answer', text, turns: [...turnsOf(thread.comments, thread, agentUserId), { role: 'user', text }], user: profile(event, thread, event.authorId) };
  }
  if (!comment.public) return { kind: 'ignore', reason: 'an internal note' };
  if (!isCustomer(comment, thread, agentUserId)) return { kind: 'ignore', reason: 'a comment by an agent' };
  const text = newEmailText(comment.text);
  if (!text) return { kind: 'ignore', reason: 'an empty comment' };
  return { kind: 'answer', text, turns: turnsOf(thread.comments.slice(0, index + 1), thread, agentUserId), user: profile(event, thread, comment.authorId) };
}
