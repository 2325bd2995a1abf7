import { processChannelEvent, type ChannelEventPayload, type ChannelServices } from '@relai/channels';
import type { JobHandler } from '@relai/queue';

/** A platform event (a customer wrote on Intercom, Zendesk, Hootsuite): decide and act there. */
export function channelEventHandler(services: ChannelServices): JobHandler<ChannelEventPayload> {
  return (payload) => processChannelEvent(services, payload);
}
