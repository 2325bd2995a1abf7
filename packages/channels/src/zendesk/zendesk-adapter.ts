import type { ChannelAdapter } from '../interface';
import { handleTicketComment } from './handle-ticket-comment';
import { parseZendeskDelivery, zendeskTicketEventSchema, type ZendeskTicketEvent } from './ticket-event';
import { verifyZendeskWebhook } from './webhook-signature';
import { zendeskSecretsSchema, zendeskSettingsSchema, type ZendeskSecrets, type ZendeskSettings } from './zendesk-settings';

/**
 * Zendesk email tickets: a trigger (or a comment event webhook) tells us a customer commented; the
 * worker answers with a public comment, or leaves an internal note and assigns a group.
 */
export const zendeskAdapter: ChannelAdapter<ZendeskSettings, ZendeskSecrets, ZendeskTicketEvent> = {
  platform: 'zendesk',
  settingsSchema: zendeskSettingsSchema,
  secretsSchema: zendeskSecretsSchema,
  inbound: {
    verify: (request, channel) => verifyZendeskWebhook(request, channel.secrets.webhook_signing_secret, Date.now()),
    // The agent's own comments come back through the trigger: dropped here, before a job.
    parse: (request, channel) => parseZendeskDelivery(request, channel.settings),
    eventSchema: zendeskTicketEventSchema,
  },
  handle: handleTicketComment,
};
