import { z } from 'zod';

/** Intercom ids are strings in most places and integers in others (admin_id, assignee ids): keep strings. */
const intercomIdSchema = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);

const INTERCOM_REGIONS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;

/** The version whose shapes this channel reads and writes (examples/intercom/*.json). */
export const INTERCOM_API_VERSION = '2.16';

/** The monitored_inbox value for conversations assigned to no team. */
export const UNASSIGNED_INBOX = 'unassigned';

export const intercomSettingsSchema = z.object({
  region: z.enum(['us', 'eu', 'au']).default('us'),
  /** Replaces the regional URL (a proxy, or a local fake in tests). */
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Pinned: every request sends it, so the app's default version never changes what we parse. */
  intercom_version: z.literal(INTERCOM_API_VERSION).default(INTERCOM_API_VERSION),
  /** The agent's teammate (admin) id: replies, notes and assignments are made as this admin. */
  bot_admin_id: intercomIdSchema,
  /** The team inbox whose conversations the agent handles (its id), or "unassigned". */
  monitored_inbox: intercomIdSchema,
  /** Close the conversation after a direct answer (a customer reply reopens it). */
  close_on_answer: z.boolean().default(false),
});

export const intercomSecretsSchema = z.object({
  /** The app's client secret: Intercom signs webhooks with it (X-Hub-Signature). */
  client_secret: z.string().min(1),
  /** An access token of the app with read and write conversations permissions. */
  access_token: z.string().min(1),
});

export type IntercomSettings = z.output<typeof intercomSettingsSchema>;
export type IntercomSecrets = z.output<typeof intercomSecretsSchema>;

export function intercomBaseUrl(settings: Pick<IntercomSettings, 'region' | 'base_url'>): string {
  return (settings.base_url ?? INTERCOM_REGIONS[settings.region]).replace(/\/+$/, '');
}
