import { z } from 'zod';
import { businessHoursSchema } from './policy/business-hours';

/**
 * An AI agent's behaviour, stored in agents.settings and edited through the admin API. Every field
 * has a default, so `{}` is a working agent; snake_case because it is the API's JSON as is.
 */

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const idField = z.string().regex(ID_PATTERN, 'use 1-63 lowercase letters, digits, "-" or "_"');

export const teamSchema = z.object({
  id: idField,
  name: z.string().trim().min(1).max(200),
  /** The team's id on the messaging platform (an Intercom team or admin id, a Zendesk group id...). */
  external_id: z.string().trim().min(1).max(200).optional(),
  /** When this team answers; unset: the agent's business_hours. */
  hours: businessHoursSchema.optional(),
});

/** Which articles a rule is about: the cited article's collection, section (sub-collection) or tag. */
export const topicMatchSchema = z
  .object({
    collection: z.string().trim().min(1).max(300).optional(),
    section: z.string().trim().min(1).max(300).optional(),
    tag: z.string().trim().min(1).max(200).optional(),
  })
  .refine((match) => match.collection !== undefined || match.section !== undefined || match.tag !== undefined, {
    message: 'give at least one of collection, section or tag',
  });

/**
 * Per-topic behaviour, as in Watson's Intercom rules: `answer` (the default without a rule), `suggest`
 * to a team (a proposed answer for a human), `send` to a team (hand over without answering) or
 * `nothing` (stay out of the conversation). The backup team takes over when the team is closed (its hours).
 */
export const topicRuleSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  when: topicMatchSchema,
  action: z.enum(['answer', 'suggest', 'send', 'nothing']),
  team: idField.optional(),
  backup_team: idField.optional(),
});

/** Topics a human must handle: a keyword list ("rembours*" matches every form) and where to send them. */
export const sensitiveTopicSchema = z.object({
  name: z.string().trim().min(1).max(100),
  keywords: z.array(z.string().trim().min(2).max(100)).min(1).max(200),
  action: z.enum(['escalate', 'suggest']).default('escalate'),
  team: idField.optional(),
});

export const DEFAULT_SENSITIVE_TOPICS: Array<z.input<typeof sensitiveTopicSchema>> = [
  {
    name: 'refund',
    keywords: ['rembours*', 'refund*', 'money back', 'chargeback', 'rétrofacturation', 'me faire rembourser'],
  },
  {
    name: 'account_cancellation',
    keywords: [
      'résilier', 'résiliation', 'annuler mon abonnement', 'annuler mon compte', 'fermer mon compte', 'supprimer mon compte',
      'clôturer mon compte', 'cancel my subscription', 'cancel my account', 'close my account', 'delete my account',
    ],
  },
  {
    name: 'legal',
    keywords: [
      'avocat*', 'mise en demeure', 'tribunal*', 'procès', 'poursuites judiciaires', 'action en justice', 'porter plainte',
      'lawyer*', 'attorney*', 'lawsuit*', 'sue you', 'legal action', 'take you to court', 'small claims court',
    ],
  },
];

export const agentSettingsSchema = z
  .object({
    /** Sources the agent answers from; empty: every source of the tenant. */
    source_ids: z.array(z.uuid()).max(100).default([]),
    thresholds: z
      .object({
        /** At or above: answer the customer directly. */
        answer: z.number().min(0).max(1).default(0.75),
        /** Below: escalate. Between the two: suggest to a human, or ask to clarify. */
        escalate: z.number().min(0).max(1).default(0.4),
      })
      .refine((t) => t.escalate <= t.answer, { message: 'escalate must not exceed answer' })
      .prefault({}),
    tone: z.enum(['friendly', 'professional', 'concise']).default('friendly'),
    /** Reply language when the customer's cannot be told (a one-word message). */
    default_language: z.enum(['fr', 'en']).default('fr'),
    /** A session ends this long after its last message; the next message starts a new one. */
    session_ttl_minutes: z.number().int().min(5).max(7 * 24 * 60).default(120),
    escalation: z
      .object({
        on_human_request: z.boolean().default(true),
        /** Customer messages in a session without resolution before handing over. */
        max_turns: z.number().int().min(1).max(100).default(10),
        frustration: z.boolean().default(true),
        sensitive_topics: z.array(sensitiveTopicSchema).max(50).prefault(DEFAULT_SENSITIVE_TOPICS),
      })
      .prefault({}),
    teams: z.array(teamSchema).max(100).default([]),
    /** Team for escalations no rule routes; unset: the platform's unassigned queue. */
    default_team: idField.optional(),
    /** When humans answer (teams may have their own hours); unset: always. */
    business_hours: businessHoursSchema.optional(),
    rules: z.array(topicRuleSchema).max(200).default([]),
    answer: z
      .object({
        /** Sentences an extractive answer quotes at most. */
        max_sentences: z.number().int().min(1).max(8).default(3),
        /** Article links under an answer. */
        max_links: z.number().int().min(0).max(5).default(3),
      })
      .prefault({}),
  })
  .superRefine((settings, ctx) => {
    const teams = new Set(settings.teams.map((team) => team.id));
    const check = (team: string | undefined, path: Array<string | number>) => {
      if (team !== undefined && !teams.has(team)) ctx.addIssue({ code: 'custom', path, message: `unknown team "${team}": add it to teams first` });
    };
    check(settings.default_team, ['default_team']);
    settings.rules.forEach((rule, index) => {
      check(rule.team, ['rules', index, 'team']);
      check(rule.backup_team, ['rules', index, 'backup_team']);
      if ((rule.action === 'suggest' || rule.action === 'send') && rule.team === undefined && settings.default_team === undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'team'], message: `a "${rule.action}" rule needs a team (or a default_team)` });
      }
    });
    settings.escalation.sensitive_topics.forEach((topic, index) => check(topic.team, ['escalation', 'sensitive_topics', index, 'team']));
    if (new Set(settings.teams.map((team) => team.id)).size !== settings.teams.length) {
      ctx.addIssue({ code: 'custom', path: ['teams'], message: 'team ids must be unique' });
    }
  });

export type AgentSettings = z.output<typeof agentSettingsSchema>;
export type AgentSettingsInput = z.input<typeof agentSettingsSchema>;
export type Team = z.output<typeof teamSchema>;
export type TopicRule = z.output<typeof topicRuleSchema>;
export type SensitiveTopic = z.output<typeof sensitiveTopicSchema>;

/** Settings as stored (possibly written by an older version) → complete settings; throws a ZodError when invalid. */
export function parseAgentSettings(stored: unknown): AgentSettings {
  return agentSettingsSchema.parse(stored ?? {});
}
