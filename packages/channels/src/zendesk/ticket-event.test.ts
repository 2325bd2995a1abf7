import { describe, expect, it } from 'vitest';
import { ChannelPayloadError } from '../interface';
import { parseZendeskDelivery } from './ticket-event';

const delivery = (body: unknown, headers: Record<string, string> = { 'x-zendesk-webhook-invocation-id': '01M07AMDNSHP8D7584XEZDTQMP' }) => ({
  rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  headers,
});

/** The trigger body of the README, as Zendesk renders it. */
const triggerBody = {
  ticket_id: '35436',
  comment_id: '54509363035291',
  author_id: '20978392',
  public: 'true',
  requester: { id: '20978392', name: 'Marie Curie', email: 'marie@example.fr' },
  subject: 'Mot de passe oublié',
  via: 'Mail',
  tags: 'vip  facturation',
};

/** Zendesk's `ticket.comment_added` event (developer.zendesk.com, webhook ticket events). */
const commentAdded = (comment: Record<string, unknown> = {}) => ({
  type: 'zen:event-type:ticket.comment_added',
  account_id: 22129848,
  id: 'd4f5c389-8f4a-4c2e-a1b9-8e4f39c71d52',
  time: '2026-11-21T14:25:30.123456789Z',
  zendesk_event_version: '2022-11-06',
  subject: 'zen:ticket:5158',
  detail: { id: '5158', subject: 'Cannot login', requester_id: '8447388090400', via: { channel: 'email' }, tags: ['vip'], status: 'OPEN' },
  event: { comment: { id: 9876543210, body: 'I cannot log in.', is_public: true, author: { id: 8447388090400, is_staff: false, name: 'Ada' }, ...comment } },
});

describe('parsing a Zendesk delivery', () => {
  it('reads the trigger payload, ids as strings and tags as a list, deduplicated by invocation id', () => {
    expect(parseZendeskDelivery(delivery(triggerBody))).toEqual({
      deliveryId: '01M07AMDNSHP8D7584XEZDTQMP',
      event: {
        ticketId: '35436',
        commentId: '54509363035291',
        authorId: '20978392',
        text: null,
        requester: { id: '20978392', name: 'Marie Curie', email: 'marie@example.fr' },
        subject: 'Mot de passe oublié',
        via: 'Mail',
        tags: ['vip', 'facturation'],
      },
    });
  });

  it('takes numeric ids and the optional comment text; placeholders that render empty count as absent', () => {
    const parsed = parseZendeskDelivery(delivery({ ticket_id: 35436, comment_id: 54509363035291, author_id: 20978392, comment: 'Bonjour', requester: { name: '', email: '' }, subject: '' }));
    expect(parsed.event).toEqual({ ticketId: '35436', commentId: '54509363035291', authorId: '20978392', text: 'Bonjour' });
  });

  it('without the invocation header, deduplicates by ticket and comment', () => {
    expect(parseZendeskDelivery(delivery(triggerBody, {})).deliveryId).toBe('ticket-35436-comment-54509363035291');
  });

  it('acknowledges and ignores an internal note', () => {
    expect(parseZendeskDelivery(delivery({ ...triggerBody, public: 'false' }))).toEqual({ deliveryId: '01M07AMDNSHP8D7584XEZDTQMP', event: null, ignoredReason: 'an internal note' });
  });

  it('refuses a body whose ids did not render, naming the placeholder to paste', () => {
    expect(() => parseZendeskDelivery(delivery({ ...triggerBody, comment_id: '' }))).toThrow(/comment_id: expected a Zendesk id: paste "\{\{ticket\.latest_comment\.id\}\}"/);
    expect(() => parseZendeskDelivery(delivery({ comment_id: '1', author_id: '2' }))).toThrow(/ticket_id: missing: paste "\{\{ticket\.id\}\}"/);
  });

  it('refuses what is not a JSON object with a ChannelPayloadError', () => {
    expect(() => parseZendeskDelivery(delivery('{"ticket_id": "35436"'))).toThrow(ChannelPayloadError);
    expect(() => parseZendeskDelivery(delivery('[1]'))).toThrow(ChannelPayloadError);
  });

  it('reads a ticket.comment_added event webhook, falling back to the event id for duplicates', () => {
    expect(parseZendeskDelivery(delivery(commentAdded(), {}))).toEqual({
      deliveryId: 'd4f5c389-8f4a-4c2e-a1b9-8e4f39c71d52',
      event: { ticketId: '5158', commentId: '9876543210', authorId: '8447388090400', text: 'I cannot log in.', requester: { id: '8447388090400' }, subject: 'Cannot login', via: 'email', tags: ['vip'] },
    });
  });

  it('ignores comment events by staff, internal notes and other event types', () => {
    expect(parseZendeskDelivery(delivery(commentAdded({ author: { id: 1, is_staff: true } })))).toMatchObject({ event: null, ignoredReason: 'a comment by an agent' });
    expect(parseZendeskDelivery(delivery(commentAdded({ is_public: false })))).toMatchObject({ event: null, ignoredReason: 'an internal note' });
    expect(parseZendeskDelivery(delivery({ ...commentAdded(), type: 'zen:event-type:ticket.status_changed' }))).toMatchObject({ event: null, ignoredReason: 'event zen:event-type:ticket.status_changed is not handled' });
    expect(() => parseZendeskDelivery(delivery({ ...commentAdded(), event: {} }))).toThrow(ChannelPayloadError);
  });

  it("with the channel's settings, drops the AI agent's own comment without a job, in both formats", () => {
    const settings = { agent_user_id: '20978392' };
    expect(parseZendeskDelivery(delivery(triggerBody), settings)).toEqual({
      deliveryId: '01M07AMDNSHP8D7584XEZDTQMP',
      event: null,
      ignoredReason: "the AI agent's own comment",
    });
    expect(parseZendeskDelivery(delivery(commentAdded({ author: { id: 8447388090400 } }), {}), { agent_user_id: '8447388090400' })).toMatchObject({ event: null, ignoredReason: "the AI agent's own comment" });
    expect(parseZendeskDelivery(delivery(triggerBody), { agent_user_id: '900' }).event).toMatchObject({ authorId: '20978392' });
  });
});
