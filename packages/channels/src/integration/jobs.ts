import { z } from 'zod';
import type { JobDefinition } from '@relai/queue';

export interface DeliverOutboxPayload {
  eventId: string;
}

/**
 * Delivers one outbox event (one attempt). The receiver's failures are not job failures: the outbox
 * reschedules them with its own backoff; the job's retries only cover our own errors (the database).
 */
export const deliverOutboxJob: JobDefinition<DeliverOutboxPayload> = {
  name: 'outbox-delivery',
  schema: z.object({ eventId: z.uuid() }),
  retry: { attempts: 3, backoffMs: 5_000 },
};

/** Enqueues the due events: retries after backoff, and events whose job was lost (a crash right after commit). */
export const sweepOutboxJob: JobDefinition<Record<string, never>> = {
  name: 'outbox-sweep',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  retry: { attempts: 1, backoffMs: 0 },
};

/** Often enough that the first retry (10 s) is not much late; the sweep is one indexed query. */
export const OUTBOX_SWEEP_EVERY_MS = 5_000;

/** One job per event at a time; BullMQ forbids ':' in ids. */
export function deliveryDedupeKey(eventId: string): string {
  return `outbox-${eventId}`;
}
