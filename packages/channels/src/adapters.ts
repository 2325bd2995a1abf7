import type { ChannelAdapter } from './interface';
import { intercomAdapter } from './intercom/intercom-adapter';
import { integrationAdapter } from './integration/adapter';
import { hootsuiteAdapter } from './hootsuite/hootsuite-adapter';
import { zendeskAdapter } from './zendesk/zendesk-adapter';

/** Every platform's adapter, by platform name: the API route and the worker look them up here. */
export const channelAdapters: ReadonlyMap<string, ChannelAdapter<any, any, any>> = new Map<string, ChannelAdapter<any, any, any>>([
  [intercomAdapter.platform, intercomAdapter],
  [integrationAdapter.platform, integrationAdapter],
  [hootsuiteAdapter.platform, hootsuiteAdapter],
  [zendeskAdapter.platform, zendeskAdapter],
]);
