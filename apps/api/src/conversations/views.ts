import { z } from 'zod';
import type { AgentReply, ReplyComponent, Team } from '@relai/answering';
import type { Session, StoredMessage } from '@relai/conversations';

/**
 * The JSON the messenger middleware receives. Snake_case, and the decision is the `action` field:
 * platforms switch on it, never on the text. Schemas double as the OpenAPI description.
 */

export const userProfileSchema = z
  .object({
    id: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
    email: z.email().max(320).optional(),
    segments: z.array(z.string().max(200)).max(100).optional(),
    tags: z.array(z.string().max(200)).max(100).optional(),
    custom_attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** Platform session parameters (seed 002's meta_data): stored on the session, later values win. */
export const metaDataSchema = z.record(z.string().max(100), z.unknown());

const teamView = z.object({ id: z.string(), name: z.string(), external_id: z.string().nullable() }).nullable();

const componentView = z.discriminatedUnion('type', [
  z.object({ type: z.literal('link'), article_id: z.string(), title: z.string(), url: z.string() }),
  z.object({
    type: z.literal('options'),
    options: z.array(z.object({ number: z.number().int(), label: z.string(), article_id: z.string() })),
  }),
]);

export const agentReplyView = z.object({
  action: z.enum(['answer', 'suggest', 'clarify', 'escalate', 'ignore']),
  reply: z.object({ text: z.string(), components: z.array(componentView) }),
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string()),
  citations: z.array(z.object({ article_id: z.string(), title: z.string(), url: z.string().nullable(), score: z.number() })),
  language: z.enum(['fr', 'en']),
  escalation: z
    .object({
      reason: z.string(),
      team: teamView,
      note: z.object({
        reason: z.string(),
        reason_text: z.string(),
        summary: z.string(),
        last_question: z.string(),
        articles_consulted: z.array(z.object({ article_id: z.string(), title: z.string(), url: z.string().nullable() })),
        user_profile: z.record(z.string(), z.unknown()),
        text: z.string(),
      }),
      /** false outside the team's business hours: `next_opening` says when a human can reply. */
      humans_available: z.boolean(),
      next_opening: z.string().nullable(),
    })
    .nullable(),
  /** The team a suggestion goes to, or the escalation's team. */
  team: teamView,
  generated_by: z.enum(['extractive', 'chat_model', 'template']),
});

export const sessionView = z.object({
  id: z.string(),
  session: z.number().int(),
  status: z.enum(['active', 'ended', 'escalated']),
  user: z.record(z.string(), z.unknown()),
  meta_data: z.record(z.string(), z.unknown()),
  started_at: z.string(),
  last_message_at: z.string(),
  ended_at: z.string().nullable(),
});

export type AgentReplyView = z.infer<typeof agentReplyView>;

function viewTeam(team: Team | null): z.infer<typeof teamView> {
  return team ? { id: team.id, name: team.name, external_id: team.external_id ?? null } : null;
}

function viewComponent(component: ReplyComponent): z.infer<typeof componentView> {
  if (component.type === 'link') return { type: 'link', article_id: component.articleId, title: component.title, url: component.url };
  return { type: 'options', options: component.options.map((option) => ({ number: option.number, label: option.label, article_id: option.articleId })) };
}

export function viewReply(reply: AgentReply): AgentReplyView {
  const note = reply.escalation?.note;
  return {
    action: reply.action,
    reply: { text: reply.reply.text, components: reply.reply.components.map(viewComponent) },
    confidence: Math.round(reply.confidence * 1000) / 1000,
    reasons: reply.reasons,
    citations: reply.citations.map((citation) => ({ article_id: citation.articleId, title: citation.title, url: citation.url, score: citation.score })),
    language: reply.language,
    escalation:
      reply.escalation && note
        ? {
            reason: reply.escalation.reason,
            team: viewTeam(reply.escalation.team),
            note: {
              reason: note.reason,
              reason_text: note.reasonText,
              summary: note.summary,
              last_question: note.lastQuestion,
              articles_consulted: note.articlesConsulted.map((article) => ({ article_id: article.articleId, title: article.title, url: article.url })),
              user_profile: { ...note.userProfile },
              text: note.text,
            },
            humans_available: !reply.escalation.offHours,
            next_opening: reply.escalation.offHours?.nextOpening ?? null,
          }
        : null,
    team: viewTeam(reply.team),
    generated_by: reply.generatedBy,
  };
}

export function viewSession(session: Session): z.infer<typeof sessionView> {
  return {
    id: session.externalId,
    session: session.sessionNumber,
    status: session.status,
    user: { ...session.userProfile },
    meta_data: session.params,
    started_at: session.startedAt.toISOString(),
    last_message_at: session.lastMessageAt.toISOString(),
    ended_at: session.endedAt?.toISOString() ?? null,
  };
}

export const messageView = z.object({
  id: z.string(),
  role: z.enum(['user', 'agent']),
  text: z.string(),
  created_at: z.string(),
  decision: agentReplyView.nullable(),
});

export function viewMessage(message: StoredMessage): z.infer<typeof messageView> {
  return {
    id: message.id,
    role: message.role,
    text: message.text,
    created_at: message.createdAt.toISOString(),
    decision: message.decision ? viewReply(message.decision) : null,
  };
}
