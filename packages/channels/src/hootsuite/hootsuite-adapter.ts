import type { ChannelAdapter } from '../interface';
import { hootsuiteBatchSchema, type HootsuiteBatch } from './events';
import { handleHootsuiteBatch } from './handle';
import { parseHootsuiteDelivery } from './parse';
import { hootsuiteSecretsSchema, hootsuiteSettingsSchema, type HootsuiteSecrets, type HootsuiteSettings } from './settings';
import { verifierFor } from './verify';

/** Hootsuite Inbox 2.0 custom virtual agent: webhooks in, Inbox API calls out. */
export const hootsuiteAdapter: ChannelAdapter<HootsuiteSettings, HootsuiteSecrets, HootsuiteBatch> = {
  platform: 'hootsuite',
  settingsSchema: hootsuiteSettingsSchema,
  secretsSchema: hootsuiteSecretsSchema,
  inbound: {
    verify: (request, channel) => verifierFor(channel.settings).verify(request, channel.secrets.shared_secret),
    parse: parseHootsuiteDelivery,
    eventSchema: hootsuiteBatchSchema,
    // Hootsuite expects a 2xx with an empty body within 10 s.
    acknowledgement: 'empty',
  },
  handle: handleHootsuiteBatch,
};
