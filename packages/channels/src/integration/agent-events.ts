import type { AgentReply, Team } from '@relai/answering';
import type { Session } from '@relai/conversations';
import type { ActionTrigger, IntegrationSettings } from './settings';

/**
 * The events an integration receives on its webhook (seed 002: agent message, action triggered,
 * escalation requested), as plain JSON in snake_case like the conversations API, except `escalateTo`
 * which keeps the seed's name. This file decides which events a change produces; it does no I/O.
 */
export type AgentEventType = 'agent.message' | 'action.triggered' | 'escalation.requested';

export interface TeamView {
  id: string;
  name: string;
  /** The team's id on the integration's platform (a LivePerson skill, a queue...). */
  external_id: string | null;
}

/** A carousel card: an offered option (tapping it sends `reply` as the customer's message) or a cited article. */
export interface CarouselCard {
  title: string;
  article_id: string;
  url: string | null;
  reply: string | null;
}

export interface AgentMessageData {
  message_id: string;
  /** Switch on it: `suggest` is a proposed answer for a human, not for the customer. */
  action: Exclude<AgentReply['action'], 'ignore'>;
  text: string;
  /** Article links, to show as buttons. */
  buttons: Array<{ title: string; url: string; article_id: string }>;
  /** Numbered options of a clarification, else the cited articles when there are several. */
  carousel: CarouselCard[];
  confidence: number;
  language: AgentReply['language'];
  citations: Array<{ article_id: string; title: string; url: string | null; score: number }>;
  /** The team a suggestion or an escalation goes to. */
  team: TeamView | null;
}

export interface ActionTriggeredData {
  name: string;
  on: ActionTrigger;
  /** The session parameters the action lists; the receiver's `{ "data": {...} }` reply is stored back into them. */
  params: Record<string, unknown>;
}

export interface EscalationRequestedData {
  message_id: string;
  /** Null: no team is configured for this case; route to the platform's default queue. */
  escalateTo: TeamView | null;
  reason: string;
  reason_text: string;
  /** Null when the channel is set not to send it (include_handoff_note: false). */
  note: {
    text: string;
    summary: string;
    last_question: string;
    articles_consulted: Array<{ article_id: string; title: string; url: string | null }>;
    user_profile: Record<string, unknown>;
  } | null;
}

export type AgentEventDraft =
  | { type: 'agent.message'; data: AgentMessageData }
  | { type: 'action.triggered'; data: ActionTriggeredData }
  | { type: 'escalation.requested'; data: EscalationRequestedData };

/** What happened in the conversation: the session started or ended, or the agent replied. */
export type ConversationChange =
  | { type: 'conversation.started' }
  | { type: 'conversation.ended' }
  | { type: 'agent.replied'; reply: AgentReply; messageId: string };

/** As delivered: the draft plus who, where and when. `id` is also the X-Relai-Event-Id header. */
export type AgentEvent = AgentEventDraft & {
  id: string;
  agent_id: string;
  /** The platform's conversation id, as given to the conversations API. */
  conversation_id: string;
  session: number;
  created_at: string;
};

/**
 * The events of one change, in delivery order: the agent's message first, then the actions, then the
 * escalation (so that an action such as tagging the conversation happens before the handoff).
 * A reply the agent keeps silent on (`ignore`) produces nothing.
 */
export function agentEventsFor(settings: IntegrationSettings, session: Session, change: ConversationChange): AgentEventDraft[] {
  if (change.type !== 'agent.replied') return actionsOn(settings, session, change.type);
  const { reply, messageId } = change;
  if (reply.action === 'ignore') return [];
  const events: AgentEventDraft[] = [{ type: 'agent.message', data: agentMessageData(reply, reply.action, messageId) }];
  if (reply.action === 'answer') events.push(...actionsOn(settings, session, 'answer'));
  if (reply.action === 'escalate') {
    events.push(...actionsOn(settings, session, 'escalation'));
    if (reply.escalation) events.push({ type: 'escalation.requested', data: escalationData(reply.escalation, messageId, settings.include_handoff_note) });
  }
  return events;
}

export function envelope(draft: AgentEventDraft, context: { id: string; agentId: string; session: Session; createdAt: Date }): AgentEvent {
  return {
    id: context.id,
    agent_id: context.agentId,
    conversation_id: context.session.externalId,
    session: context.session.sessionNumber,
    created_at: context.createdAt.toISOString(),
    ...draft,
  };
}

function actionsOn(settings: IntegrationSettings, session: Session, trigger: ActionTrigger): AgentEventDraft[] {
  return settings.actions
    .filter((action) => action.on === trigger)
    .map((action) => ({
      type: 'action.triggered' as const,
      data: { name: action.name, on: trigger, params: Object.fromEntries(action.params.map((name) => [name, session.params[name] ?? null])) },
    }));
}

function agentMessageData(reply: AgentReply, action: AgentMessageData['action'], messageId: string): AgentMessageData {
  return {
    message_id: messageId,
    action,
    text: reply.reply.text,
    buttons: reply.reply.components.flatMap((component) =>
      component.type === 'link' ? [{ title: component.title, url: component.url, article_id: component.articleId }] : [],
    ),
    carousel: carouselOf(reply),
    confidence: Math.round(reply.confidence * 1000) / 1000,
    language: reply.language,
    citations: reply.citations.map((citation) => ({ article_id: citation.articleId, title: citation.title, url: citation.url, score: citation.score })),
    team: teamView(reply.team),
  };
}

function carouselOf(reply: AgentReply): CarouselCard[] {
  const options = reply.reply.components.flatMap((component) => (component.type === 'options' ? component.options : []));
  if (options.length > 0) {
    return options.map((option) => ({ title: option.label, article_id: option.articleId, url: null, reply: String(option.number) }));
  }
  // One citation is already a button; several read better side by side.
  if (reply.citations.length < 2) return [];
  return reply.citations.map((citation) => ({ title: citation.title, article_id: citation.articleId, url: citation.url, reply: null }));
}

function escalationData(escalation: NonNullable<AgentReply['escalation']>, messageId: string, includeNote: boolean): EscalationRequestedData {
  const note = escalation.note;
  return {
    message_id: messageId,
    escalateTo: teamView(escalation.team),
    reason: escalation.reason,
    reason_text: note.reasonText,
    note: includeNote
      ? {
          text: note.text,
          summary: note.summary,
          last_question: note.lastQuestion,
          articles_consulted: note.articlesConsulted.map((article) => ({ article_id: article.articleId, title: article.title, url: article.url })),
          user_profile: { ...note.userProfile },
        }
      : null,
  };
}

function teamView(team: Team | null): TeamView | null {
  return team ? { id: team.id, name: team.name, external_id: team.external_id ?? null } : null;
}
