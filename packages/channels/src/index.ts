export { ChannelStore } from './channel-store';
export type { ChannelRecord } from './channel-store';
export { ChannelPayloadError, PLATFORMS } from './interface';
export { ChannelPermanentError, isPermanentStatus, PERMANENT_HTTP_STATUSES, platformError } from './errors';
export type {
  ChannelAdapter,
  ChannelContext,
  ConverseInput,
  ConverseResult,
  InboundRequest,
  ParsedDelivery,
  Platform,
  StoredChannel,
  Verification,
} from './interface';
export { channelEventJob } from './jobs';
export type { ChannelEventPayload } from './jobs';
export { channelContext, processChannelEvent } from './process-channel-event';
export type { ChannelServices } from './process-channel-event';
export { ChannelRateLimits } from './rate-limits';
export { channelAdapters } from './adapters';
export * from './integration';
export { sweepHootsuiteTimeouts } from './hootsuite';
export { channelTimeoutsJob, CHANNEL_TIMEOUTS_EVERY_MS } from './jobs';
