import { describe, expect, it } from 'vitest';
import { ChannelPayloadError } from '../interface';
import { batchDeliveryId, parseHootsuiteDelivery } from './parse';

const request = (body: unknown) => ({ rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), headers: {} });
const contactMessage = (seqNo: number | string, text: string | null = 'Bonjour', authorType = 'contact') => ({
  seq_no: seqNo,
  type: 'message.created',
  conversation: { id: 81 },
  message: { id: `m-${seqNo}`, text, author: { type: authorType, id: 5, name: 'Camille' } },
});

describe('parseHootsuiteDelivery', () => {
  it('reads a batch as an array or as {events}, in seq_no order, with ids as strings', () => {
    const events = [contactMessage(12), contactMessage(3), { seq_no: '7', type: 'conversation.closed', conversation: { id: 'c-9' }, status: 'resolved' }];
    for (const body of [events, { events }]) {
      const parsed = parseHootsuiteDelivery(request(body));
      expect(parsed.event?.map((event) => event.seq_no)).toEqual(['3', '7', '12']);
      expect(parsed.event?.[0]).toMatchObject({ type: 'message.created', conversation: { id: '81' }, message: { id: 'm-3', author: { id: '5' } } });
      expect(parsed.deliveryId).toBe(batchDeliveryId(['3', '7', '12']));
    }
  });

  it('orders sequence numbers beyond what a JSON number holds exactly', () => {
    const parsed = parseHootsuiteDelivery(request([contactMessage('90071992547409930'), contactMessage('9007199254740993')]));
    expect(parsed.event?.map((event) => event.seq_no)).toEqual(['9007199254740993', '90071992547409930']);
  });

  it("drops what the VA does not act on: agents' and its own messages, attachments without text, unknown event types", () => {
    const parsed = parseHootsuiteDelivery(
      request([contactMessage(1, 'Hi', 'agent'), contactMessage(2, 'Hello!', 'virtual_agent'), contactMessage(3, null), { seq_no: 4, type: 'contact.updated', contact: {} }]),
    );
    expect(parsed).toEqual({
      deliveryId: batchDeliveryId(['1', '2', '3', '4']),
      event: null,
      ignoredReason: 'no event the virtual agent acts on (message.created, contact.updated)',
    });
    expect(parseHootsuiteDelivery(request([contactMessage(5), contactMessage(6, 'Hi', 'agent')])).event?.map((event) => event.seq_no)).toEqual(['5']);
  });

  it('acknowledges an empty batch without a delivery id', () => {
    expect(parseHootsuiteDelivery(request({ events: [] }))).toEqual({ deliveryId: null, event: null, ignoredReason: 'an empty batch' });
  });

  it.each([
    { case: 'a body that is not JSON', body: '{"events": [', message: 'the body is not JSON' },
    { case: 'an object without events', body: { seq_no: 1 }, message: 'expected a JSON array of events or {"events": [...]}' },
    { case: 'an event without seq_no', body: [{ type: 'conversation.closed' }], message: 'event 0: seq_no: ' },
    { case: 'a known event of the wrong shape', body: [{ seq_no: 8, type: 'message.created', conversation: { id: 'c' } }], message: 'event seq_no 8 (message.created): message: ' },
  ])('refuses $case', ({ body, message }) => {
    expect(() => parseHootsuiteDelivery(request(body))).toThrow(ChannelPayloadError);
    expect(() => parseHootsuiteDelivery(request(body))).toThrow(message);
  });
});

describe('batchDeliveryId', () => {
  it('names a batch by its highest seq_no and the set of its seq_nos', () => {
    expect(batchDeliveryId(['3', '12', '7'])).toBe(batchDeliveryId(['12', '7', '3', '7']));
    expect(batchDeliveryId(['3', '12', '7'])).toMatch(/^12-[0-9a-f]{16}$/);
    expect(batchDeliveryId(['3', '12', '7'])).not.toBe(batchDeliveryId(['4', '12', '7']));
  });
});
