import { z } from 'zod';
import type { JobDefinition } from '@relai/queue';
import { PLATFORMS, type Platform } from './interface';

export interface ChannelEventPayload {
  channelId: string;
  platform: Platform;
  deliveryId: string | null;
  /** The parsed event; the platform's adapter validates it again with its own schema. */
  event: unknown;
}

/** One inbound platform event (a customer message): decide and act on the platform. */
export const channelEventJob: JobDefinition<ChannelEventPayload> = {
  name: 'channel-event',
  schema: z.object({
    channelId: z.uuid(),
    platform: z.enum(PLATFORMS as [Platform, ...Platform[]]),
    deliveryId: z.string().nullable(),
    event: z.unknown(),
  }) as z.ZodType<ChannelEventPayload>,
  // Platform outages are retried with backoff; side effects already done are skipped (context.once),
  // the decision is replayed (context.converse). A ChannelPermanentError fails the job at once.
  retry: { attempts: 6, backoffMs: 5_000 },
};

/** Platforms with conversation timeouts (Hootsuite): hand silent conversations to the configured queue. */
export const channelTimeoutsJob: JobDefinition<Record<string, never>> = {
  name: 'channel-timeouts',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  retry: { attempts: 2, backoffMs: 10_000 },
};

export const CHANNEL_TIMEOUTS_EVERY_MS = 60_000;
