import crypto from 'node:crypto';
import { z } from 'zod';
import { ChannelPayloadError, jsonBody, type InboundRequest, type ParsedDelivery } from '../interface';
import { HOOTSUITE_EVENT_TYPES, hootsuiteEventSchema, isFromContact, seqNoSchema, type HootsuiteBatch, type HootsuiteEvent } from './events';

const envelopeSchema = z.union([z.array(z.unknown()), z.object({ events: z.array(z.unknown()) })]);
const eventHeadSchema = z.object({ seq_no: seqNoSchema, type: z.string() });

/**
 * A delivery → the batch of events the VA acts on, in seq_no order. Unknown event types and
 * messages not written by the contact (agents', the VA's own) are dropped here; a batch left empty
 * is acknowledged without a job. A known event of the wrong shape fails the whole delivery (400):
 * a changed payload format must be loud, not silently ignored.
 */
export function parseHootsuiteDelivery(request: InboundRequest): ParsedDelivery<HootsuiteBatch> {
  const envelope = envelopeSchema.safeParse(jsonBody(request));
  if (!envelope.success) throw new ChannelPayloadError('expected a JSON array of events or {"events": [...]}');
  const items = Array.isArray(envelope.data) ? envelope.data : envelope.data.events;
  if (items.length === 0) return { deliveryId: null, event: null, ignoredReason: 'an empty batch' };

  const heads = items.map((item, index) => {
    const head = eventHeadSchema.safeParse(item);
    if (!head.success) throw new ChannelPayloadError(`event ${index}: ${describeIssues(head.error)}`);
    return head.data;
  });
  const events: HootsuiteEvent[] = [];
  items.forEach((item, index) => {
    const { seq_no: seqNo, type } = heads[index]!;
    if (!(HOOTSUITE_EVENT_TYPES as readonly string[]).includes(type)) return;
    const event = hootsuiteEventSchema.safeParse(item);
    if (!event.success) throw new ChannelPayloadError(`event seq_no ${seqNo} (${type}): ${describeIssues(event.error)}`);
    if (event.data.type === 'message.created' && !isFromContact(event.data.message)) return;
    events.push(event.data);
  });

  const deliveryId = batchDeliveryId(heads.map((head) => head.seq_no));
  if (events.length === 0) {
    return { deliveryId, event: null, ignoredReason: `no event the virtual agent acts on (${[...new Set(heads.map((head) => head.type))].join(', ')})` };
  }
  return { deliveryId, event: events.sort((a, b) => compareSeqNo(a.seq_no, b.seq_no)) };
}

/**
 * Hootsuite sends no delivery id: the batch is named by its highest seq_no and a digest of all its
 * seq_nos, so a redelivered batch is dropped at the door while one that differs goes through (its
 * events already handled are skipped one by one, by seq_no).
 */
export function batchDeliveryId(seqNos: string[]): string {
  const sorted = [...new Set(seqNos)].sort(compareSeqNo);
  const digest = crypto.createHash('sha256').update(sorted.join(',')).digest('hex').slice(0, 16);
  return `${sorted.at(-1)}-${digest}`;
}

export function compareSeqNo(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
}
