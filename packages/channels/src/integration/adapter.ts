import type { ChannelAdapter } from '../interface';
import { integrationSecretsSchema, integrationSettingsSchema, type IntegrationSecrets, type IntegrationSettings } from './settings';

/**
 * An integration (a LivePerson or WhatsApp bridge, a CRM app) calls the conversations API itself and
 * receives agent events on its webhook: there is no inbound webhook and no platform event to handle.
 * The channel holds where and how to deliver (settings) and the signing secret; the events are
 * written by the conversations API (outbox.ts) and delivered by the outbox jobs (delivery.ts).
 */
export const integrationAdapter: ChannelAdapter<IntegrationSettings, IntegrationSecrets, never> = {
  platform: 'integration',
  settingsSchema: integrationSettingsSchema,
  secretsSchema: integrationSecretsSchema,
  handle: async () => {
    throw new Error('the integration channel has no inbound events: the integration calls the conversations API');
  },
};
