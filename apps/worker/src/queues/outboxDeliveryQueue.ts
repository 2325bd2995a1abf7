import { deliverOutboxEvent, sweepOutbox, type DeliverOutboxPayload, type OutboxServices } from '@relai/channels';
import type { JobHandler } from '@relai/queue';

/**
 * One attempt to deliver an agent event to an integration's webhook. A receiver's failure is not a
 * job failure: the outbox records it and schedules the retry itself (backoff, then `failed`).
 */
export function outboxDeliveryHandler(services: OutboxServices): JobHandler<DeliverOutboxPayload> {
  return async (payload) => {
    await deliverOutboxEvent(services, payload.eventId);
  };
}

/** Enqueues the agent events that are due: retries after backoff, and events whose job was lost in a crash. */
export function outboxSweepHandler(services: OutboxServices): JobHandler<Record<string, never>> {
  return async () => {
    const enqueued = await sweepOutbox(services, services.now?.() ?? new Date());
    if (enqueued) services.logger.debug('due agent events enqueued', { enqueued });
  };
}
