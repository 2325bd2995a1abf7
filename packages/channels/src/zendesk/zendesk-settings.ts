import { z } from 'zod';

/** Zendesk ids are integers; the API and the trigger placeholders give them as numbers or strings. */
export const zendeskId = z
  .union([z.string().trim().regex(/^\d+$/, 'expected a Zendesk id (digits)'), z.number().int().positive()])
  .transform((id) => String(id));

/**
 * How the agent works a Zendesk email channel. Stored as given and parsed on every use, so the
 * defaults below apply to channels saved before a field existed.
 */
export const zendeskSettingsSchema = z
  .object({
    /** "acme" for https://acme.zendesk.com. */
    subdomain: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'expected the subdomain alone, e.g. "acme" for acme.zendesk.com')
      .optional(),
    /** Overrides the API origin (a host-mapped account, or a local fake in tests). */
    base_url: z.url({ protocol: /^https?$/ }).optional(),
    /** The AI agent's own Zendesk user: its comments come back through the trigger and are ignored. */
    agent_user_id: zendeskId,
    /**
     * `public`: the agent writes to the customer. `internal`: review mode, nothing reaches the
     * customer: answers and clarifying questions become internal notes for an agent to send.
     */
    reply_mode: z.enum(['public', 'internal']).default('public'),
    /** After a public answer the ticket is `pending` (awaiting the customer); true marks it `solved`. */
    solve_on_answer: z.boolean().default(false),
    /** Group for suggestions and escalations whose team has no numeric external_id. Unset: the group stays as is. */
    escalation_group_default: zendeskId.optional(),
    /** On escalation, also tell the customer that a human takes over (public mode only). */
    escalation_public_reply: z.boolean().default(true),
    /** Comments as HTML (links clickable in the email) or plain text. */
    comment_format: z.enum(['html', 'text']).default('html'),
    /** Latest comments read for the conversation history (Zendesk pages hold 100 at most). */
    history_comments: z.number().int().min(1).max(100).default(30),
  })
  .refine((settings) => settings.subdomain !== undefined || settings.base_url !== undefined, {
    message: 'give subdomain (or base_url)',
    path: ['subdomain'],
  });

/**
 * API token auth (the AI agent user's email + a token: comments are then authored by that user) or
 * an OAuth access token granted by that user.
 */
export const zendeskSecretsSchema = z
  .object({
    /** The webhook's signing secret (Admin Center > Webhooks > the webhook > Signing secret). */
    webhook_signing_secret: z.string().min(1),
    email: z.email().optional(),
    api_token: z.string().min(1).optional(),
    oauth_token: z.string().min(1).optional(),
  })
  .refine((secrets) => secrets.oauth_token !== undefined || (secrets.email !== undefined && secrets.api_token !== undefined), {
    message: 'give email and api_token, or oauth_token',
    path: ['api_token'],
  });

export type ZendeskSettings = z.output<typeof zendeskSettingsSchema>;
export type ZendeskSecrets = z.output<typeof zendeskSecretsSchema>;

export function zendeskBaseUrl(settings: ZendeskSettings): string {
  return (settings.base_url ?? `https://${settings.subdomain}.zendesk.com`).replace(/\/+$/, '');
}
