import { z } from 'zod';

/** When an action is triggered in the conversation's life (seed 002: start, end, an answer, a handoff). */
export const ACTION_TRIGGERS = ['conversation.started', 'conversation.ended', 'escalation', 'answer'] as const;
export type ActionTrigger = (typeof ACTION_TRIGGERS)[number];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Agent events carry customer messages: only https leaves the machine; plain http is for a receiver on localhost. */
export function isAcceptableWebhookUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
}

export const integrationActionSchema = z.object({
  /** The integration's own name for it ("tag_conversation", "get_account"): sent back in action.triggered. */
  name: z.string().trim().min(1).max(100),
  on: z.enum(ACTION_TRIGGERS),
  /** Session parameters (meta_data) sent with the action; a missing one is sent as null. */
  params: z.array(z.string().min(1).max(100)).max(50).default([]),
});

export const integrationSettingsSchema = z.object({
  webhook_url: z.string().max(2000).refine(isAcceptableWebhookUrl, { message: 'expected an https URL (http only for localhost), without credentials' }),
  actions: z
    .array(integrationActionSchema)
    .max(50)
    .default([])
    .refine((actions) => new Set(actions.map((action) => `${action.on}/${action.name}`)).size === actions.length, {
      message: 'an action name appears twice for the same trigger',
    }),
  /** The handoff note (summary, last question, articles, customer profile) in escalation.requested. */
  include_handoff_note: z.boolean().default(true),
  /** Delivery attempts before an event is marked failed (backoff from 10 s up to 1 h between them). */
  max_attempts: z.number().int().min(1).max(30).default(12),
  /** Per attempt, response body included. */
  timeout_ms: z.number().int().min(100).max(30_000).default(10_000),
});

export const integrationSecretsSchema = z.object({
  /** Signs every delivery (X-Relai-Signature); the receiver checks it with the same secret. */
  signing_secret: z.string().min(16, 'use at least 16 characters'),
});

export type IntegrationSettings = z.output<typeof integrationSettingsSchema>;
export type IntegrationAction = z.output<typeof integrationActionSchema>;
export type IntegrationSecrets = z.output<typeof integrationSecretsSchema>;
