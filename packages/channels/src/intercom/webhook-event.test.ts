import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError } from '../interface';
import { parseIntercomNotification } from './webhook-event';

/** The documented examples (fixtures/*.json, from examples/intercom), as Intercom would POST them. */
function example(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')).example;
}

const deliver = (body: unknown) => parseIntercomNotification({ rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), headers: {} });

describe('parsing Intercom notifications', () => {
  it('takes a new conversation\'s opening message from its source', () => {
    expect(deliver(example('webhook_conversation.user.created'))).toEqual({
      deliveryId: 'notif_78c122d0-23ba-11e4-9464-79b01267cc2e',
      event: {
        topic: 'conversation.user.created',
        conversationId: '524',
        messageId: '403918349',
        text: 'Hi, I need help with my order',
        author: { type: 'user', id: '6762f1571bb69f9f2193bbbb', name: 'Joe Bloggs', email: 'joe@bloggs.com' },
      },
    });
  });

  it("takes a reply from the customer's part, not from the source a teammate wrote", () => {
    expect(deliver(example('webhook_conversation.user.replied'))).toEqual({
      deliveryId: 'notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3',
      event: {
        topic: 'conversation.user.replied',
        conversationId: '524',
        messageId: '132',
        text: 'Thanks again :)',
        author: { type: 'user', id: '6762f1571bb69f9f2193bbbb', name: 'Joe Bloggs', email: 'joe@bloggs.com' },
      },
    });
  });

  it('reads HTML bodies (API versions before 2.15) as text', () => {
    const notification = example('webhook_conversation.user.replied');
    notification.data.item.conversation_parts.conversation_parts[0].body = '<p>Où est ma facture&nbsp;?</p><p>Merci &amp; bonne journée</p>';
    expect(deliver(notification).event?.text).toBe('Où est ma facture ?\nMerci & bonne journée');
  });

  it('acknowledges and ignores other topics', () => {
    expect(deliver(example('webhook_notification_envelope'))).toEqual({
      deliveryId: 'notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3',
      event: null,
      ignoredReason: 'topic "company.created" is not handled',
    });
  });

  it('ignores a conversation a teammate started, and a reply without a customer message', () => {
    const started = example('webhook_conversation.user.created');
    started.data.item.source.author = { type: 'admin', id: '991267694', name: 'Ciaran', email: 'admin@example.com' };
    expect(deliver(started)).toMatchObject({ event: null, ignoredReason: 'no message written by the customer' });

    const byBot = example('webhook_conversation.user.replied');
    byBot.data.item.conversation_parts.conversation_parts[0].author = { type: 'bot', id: '278', name: 'Fin', email: null };
    expect(deliver(byBot)).toMatchObject({ event: null, ignoredReason: 'no message written by the customer' });

    const attachmentOnly = example('webhook_conversation.user.replied');
    attachmentOnly.data.item.conversation_parts.conversation_parts[0].body = null;
    expect(deliver(attachmentOnly).event).toBeNull();
  });

  describe("with the channel's settings", () => {
    const settings = { bot_admin_id: '991', monitored_inbox: '5017691' };
    const withAssignees = (topic: string, admin: number | string | null, team: number | string | null) => {
      const notification = example(`webhook_${topic}`);
      notification.data.item.admin_assignee_id = admin;
      notification.data.item.team_assignee_id = team;
      return parseIntercomNotification({ rawBody: Buffer.from(JSON.stringify(notification)), headers: {} }, settings);
    };

    it.each([
      ['a teammate', 'conversation.user.replied', 274, 5017691, 'not in the monitored inbox: assigned to teammate 274'],
      ['another team inbox', 'conversation.user.created', 0, 77, 'not in the monitored inbox: in team inbox 77, not 5017691'],
    ])('drops a conversation the payload shows with %s, without a job', (_case, topic, admin, team, ignoredReason) => {
      expect(withAssignees(topic, admin, team)).toEqual({ deliveryId: expect.stringMatching(/^notif_/), event: null, ignoredReason });
    });

    it.each([
      ['in the monitored inbox', 0, 5017691],
      ['assigned to the agent itself', 991, 77],
      // Assignment rules may not have run yet: the worker judges on the conversation as it is then.
      ['unassigned (0 in webhooks)', 0, 0],
      ['unassigned (null)', null, null],
    ])('keeps a conversation %s', (_case, admin, team) => {
      expect(withAssignees('conversation.user.created', admin, team).event).toMatchObject({ conversationId: '524' });
    });

    it('keeps a conversation whose payload says nothing about assignees', () => {
      const notification = example('webhook_conversation.user.created');
      delete notification.data.item.admin_assignee_id;
      delete notification.data.item.team_assignee_id;
      expect(parseIntercomNotification({ rawBody: Buffer.from(JSON.stringify(notification)), headers: {} }, settings).event).not.toBeNull();
    });
  });

  it.each([
    ['a body that is not JSON', '{"type":"notification_event",', 'the body is not JSON'],
    ['JSON that is not a notification', { hello: 'world' }, 'not an Intercom notification: type:'],
    ['a notification without an id', { type: 'notification_event', topic: 'conversation.user.created', data: { item: {} } }, 'not an Intercom notification: id:'],
    ['a conversation topic whose item is not a conversation', { type: 'notification_event', id: 'n1', topic: 'conversation.user.created', data: { item: { type: 'company' } } }, 'data.item is not a conversation: id:'],
  ])('refuses %s', (_case, body, message) => {
    expect(() => deliver(body)).toThrow(ChannelPayloadError);
    expect(() => deliver(body)).toThrow(message);
  });
});
