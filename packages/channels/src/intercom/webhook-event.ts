import { z } from 'zod';
import { ChannelPayloadError, jsonBody, type InboundRequest, type ParsedDelivery } from '../interface';
import { intercomAuthorSchema, intercomConversationSchema, latestCustomerPart, openingCustomerMessage } from './intercom-conversation';
import type { IntercomSettings } from './intercom-settings';
import { assignedElsewhere } from './monitored-inbox';

/** Topics the agent acts on: a customer opens a conversation, or writes in one. */
export const HANDLED_TOPICS = ['conversation.user.created', 'conversation.user.replied'] as const;
export type HandledTopic = (typeof HANDLED_TOPICS)[number];

/** A customer message to handle, as it travels in the job: the worker fetches the rest. */
export const intercomEventSchema = z.object({
  topic: z.enum(HANDLED_TOPICS),
  conversationId: z.string(),
  /** The source id (a new conversation) or the part id (a reply): side effects are keyed by it. */
  messageId: z.string(),
  text: z.string(),
  author: intercomAuthorSchema,
});

export type IntercomEvent = z.output<typeof intercomEventSchema>;

const notificationSchema = z.object({
  type: z.literal('notification_event'),
  id: z.string().min(1),
  topic: z.string(),
  data: z.object({ item: z.unknown() }),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function isHandled(topic: string): topic is HandledTopic {
  return (HANDLED_TOPICS as readonly string[]).includes(topic);
}

/**
 * An Intercom notification → the customer message to handle. Other topics, and conversation
 * notifications without a customer message (a teammate's, an attachment alone), are acknowledged
 * and ignored; a body that is not a notification is refused (400). With the channel's `settings`, a
 * conversation the payload shows assigned to a teammate or another team is ignored too, without a
 * job (the worker checks the inbox again on the conversation as it is then).
 */
export function parseIntercomNotification(
  request: InboundRequest,
  settings?: Pick<IntercomSettings, 'bot_admin_id' | 'monitored_inbox'>,
): ParsedDelivery<IntercomEvent> {
  const notification = notificationSchema.safeParse(jsonBody(request));
  if (!notification.success) throw new ChannelPayloadError(`not an Intercom notification: ${describeIssues(notification.error)}`);
  const { id: deliveryId, topic, data } = notification.data;
  if (!isHandled(topic)) return { deliveryId, event: null, ignoredReason: `topic "${topic}" is not handled` };

  const conversation = intercomConversationSchema.safeParse(data.item);
  if (!conversation.success) throw new ChannelPayloadError(`data.item is not a conversation: ${describeIssues(conversation.error)}`);
  const elsewhere = settings ? assignedElsewhere(conversation.data, settings) : null;
  if (elsewhere) return { deliveryId, event: null, ignoredReason: `not in the monitored inbox: ${elsewhere}` };
  const message = topic === 'conversation.user.created' ? openingCustomerMessage(conversation.data) : latestCustomerPart(conversation.data);
  if (!message) return { deliveryId, event: null, ignoredReason: 'no message written by the customer' };
  return {
    deliveryId,
    event: { topic, conversationId: conversation.data.id, messageId: message.id, text: message.text, author: message.author },
  };
}
