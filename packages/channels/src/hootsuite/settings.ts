import { z } from 'zod';
import type { EscalationReason } from '@relai/answering';
import { endpointTemplatesSchema } from './endpoints';

/**
 * A Hootsuite Inbox 2.0 custom virtual agent (VA). The Inbox API and its webhook signing are not
 * publicly documented, so everything we had to assume (base URL, signature header and encoding,
 * endpoint paths) is a setting with a default, not a constant.
 */

const queueSchema = z.enum(['new', 'resolved']);
const topicIdSchema = z.string().trim().min(1).max(200);

// A Record so that a new escalation reason fails to compile until it is listed here.
const ESCALATION_REASONS: Record<EscalationReason, true> = {
  requested_human: true,
  sensitive_topic: true,
  frustration: true,
  too_many_turns: true,
  low_confidence: true,
  no_answer: true,
  topic_rule: true,
};
const escalationReasonSchema = z.enum(Object.keys(ESCALATION_REASONS) as [EscalationReason, ...EscalationReason[]]);

export const hootsuiteSettingsSchema = z.object({
  /** The Inbox API base URL given by Hootsuite (no public default). */
  api_base_url: z
    .url({ protocol: /^https?$/, message: 'expected the http(s) base URL of the Inbox API' })
    .transform((url) => url.replace(/\/+$/, '')),
  /**
   * As chosen for the VA in Hootsuite. Inception: every new private conversation of its channels;
   * resolved when no human is needed, else handed off to the "New" queue. Delegation: only what a
   * human delegates; a handoff follows `delegation_handoff`.
   */
  activation: z.enum(['inception', 'delegation']).default('inception'),
  /** Delegation only, mirrors the VA's handoff rule: back to the agent who delegated, or to "New". */
  delegation_handoff: z.enum(['previous_agent', 'new']).default('previous_agent'),
  signature_header: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{1,100}$/, 'expected an HTTP header name')
    .default('x-hootsuite-signature'),
  signature_scheme: z.enum(['hmac-sha256-hex', 'hmac-sha256-base64']).default('hmac-sha256-hex'),
  /** Resolve the conversation after an answer; unset: yes for inception, no for delegation. */
  resolve_on_answer: z.boolean().optional(),
  /** The VA's timeout rules in Hootsuite, applied by `sweepHootsuiteTimeouts` as well. */
  timeouts: z
    .object({
      /** The VA owes a reply this long after the contact's message (Hootsuite allows up to 1 h). */
      agent_silent_minutes: z.number().int().min(1).max(60).default(15),
      /** The contact owes a reply this long after the VA's (Hootsuite allows up to 23 h). */
      contact_silent_minutes: z.number().int().min(1).max(1380).default(1380),
      on_agent_timeout: queueSchema.default('new'),
      on_contact_timeout: queueSchema.default('resolved'),
    })
    .prefault({}),
  /** Inbox topic ids applied on handoffs. Collections reach a topic through the rule that routes them to a team. */
  topics: z
    .object({
      escalation_reasons: z.partialRecord(escalationReasonSchema, topicIdSchema).default({}),
      /** By the agent's team id (settings.teams[].id) of an escalation or a suggestion. */
      teams: z.record(z.string(), topicIdSchema).default({}),
      /** Every proposed answer handed to a human. */
      suggestion: topicIdSchema.optional(),
      /** Conversations the timeout sweep hands off. */
      timeout: topicIdSchema.optional(),
    })
    .prefault({}),
  /** Path templates of the Inbox API, for when Hootsuite's differ from our defaults (endpoints.ts). */
  endpoints: endpointTemplatesSchema.prefault({}),
});

export const hootsuiteSecretsSchema = z.object({
  /** The shared secret entered in the VA's settings in Hootsuite: webhooks are signed with it. */
  shared_secret: z.string().min(8, 'the shared secret must have at least 8 characters'),
  /** Bearer token for the Inbox API. */
  api_token: z.string().min(1),
});

export type HootsuiteSettings = z.output<typeof hootsuiteSettingsSchema>;
export type HootsuiteSettingsInput = z.input<typeof hootsuiteSettingsSchema>;
export type HootsuiteSecrets = z.output<typeof hootsuiteSecretsSchema>;
export type TimeoutSettings = HootsuiteSettings['timeouts'];
export type TimeoutQueue = z.output<typeof queueSchema>;

export function resolvesOnAnswer(settings: HootsuiteSettings): boolean {
  return settings.resolve_on_answer ?? settings.activation === 'inception';
}
