import { z } from 'zod';
import type { ConversationTurn, UserProfile } from '@relai/answering';
import { htmlToText } from './html';

/** Lenient on ids: the API mixes strings and integers (part ids, assignee ids). */
const idSchema = z.union([z.string(), z.number()]).transform(String);

export const intercomAuthorSchema = z.object({
  type: z.string(),
  id: idSchema.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

const partSchema = z.object({
  id: idSchema,
  part_type: z.string(),
  body: z.string().nullish(),
  author: intercomAuthorSchema,
});

/** The fields of Intercom's conversation model (2.16) this channel reads; the same object is the webhooks' `data.item`. */
export const intercomConversationSchema = z.object({
  id: idSchema,
  source: z
    .object({
      id: idSchema.nullish(),
      subject: z.string().nullish(),
      body: z.string().nullish(),
      author: intercomAuthorSchema,
    })
    .nullish(),
  admin_assignee_id: idSchema.nullish(),
  team_assignee_id: idSchema.nullish(),
  contacts: z.object({ contacts: z.array(z.object({ id: idSchema })) }).nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  tags: z.object({ tags: z.array(z.object({ name: z.string() })) }).nullish(),
  conversation_parts: z.object({ conversation_parts: z.array(partSchema) }).nullish(),
});

export type IntercomConversation = z.output<typeof intercomConversationSchema>;
export type IntercomAuthor = z.output<typeof intercomAuthorSchema>;

/** Authors who are the customer; admins, bots (Fin, workflows) and teams speak for the company. */
const CUSTOMER_AUTHOR_TYPES = new Set(['user', 'lead', 'contact']);

function isCustomer(author: Pick<IntercomAuthor, 'type'>): boolean {
  return CUSTOMER_AUTHOR_TYPES.has(author.type);
}

/**
 * Parts the customer sees: messages and the messages that open or close a conversation. Notes and
 * assignment bodies are for teammates only and stay out of the history the agent reads.
 */
const VISIBLE_PART_TYPES = new Set(['comment', 'open', 'close']);

/** A message as text: an email's subject comes first when it says something the body does not. */
function messageText(body: string | null | undefined, subject?: string | null): string {
  const text = htmlToText(body ?? '');
  const title = htmlToText(subject ?? '');
  return title && !text.startsWith(title) ? [title, text].filter(Boolean).join('\n') : text;
}

export interface CustomerMessage {
  id: string;
  text: string;
  author: IntercomAuthor;
}

/** The message that opened the conversation, when the customer wrote it (`conversation.user.created`). */
export function openingCustomerMessage(conversation: IntercomConversation): CustomerMessage | null {
  const source = conversation.source;
  if (!source?.id || !isCustomer(source.author)) return null;
  const text = messageText(source.body, source.subject);
  return text ? { id: source.id, text, author: source.author } : null;
}

/** The customer's latest message among the parts (`conversation.user.replied` carries the new part). */
export function latestCustomerPart(conversation: IntercomConversation): CustomerMessage | null {
  const parts = conversation.conversation_parts?.conversation_parts ?? [];
  for (const part of parts.toReversed()) {
    if (!VISIBLE_PART_TYPES.has(part.part_type) || !isCustomer(part.author)) continue;
    const text = messageText(part.body);
    if (text) return { id: part.id, text, author: part.author };
  }
  return null;
}

interface Message {
  id: string | null;
  turn: ConversationTurn;
}

function visibleMessages(conversation: IntercomConversation): Message[] {
  const messages: Message[] = [];
  const source = conversation.source;
  if (source) {
    const text = messageText(source.body, source.subject);
    if (text) messages.push({ id: source.id ?? null, turn: { role: isCustomer(source.author) ? 'user' : 'agent', text } });
  }
  for (const part of conversation.conversation_parts?.conversation_parts ?? []) {
    if (!VISIBLE_PART_TYPES.has(part.part_type)) continue;
    const text = messageText(part.body);
    if (text) messages.push({ id: part.id, turn: { role: isCustomer(part.author) ? 'user' : 'agent', text } });
  }
  return messages;
}

/**
 * The history the agent decides on, oldest first, ending with the customer's `message`: what came
 * after it (a later message, a reply already posted) is left out, and a message the API does not
 * show yet is appended.
 */
export function conversationTurns(conversation: IntercomConversation, message: { id: string; text: string }): ConversationTurn[] {
  const messages = visibleMessages(conversation);
  const index = messages.findIndex((candidate) => candidate.id === message.id);
  const before = index === -1 ? messages : messages.slice(0, index);
  return [...before.map((candidate) => candidate.turn), { role: 'user', text: message.text }];
}

/** The customer as Intercom shows them: the author of the message, the conversation's tags and custom attributes. */
export function customerProfile(conversation: IntercomConversation, author: IntercomAuthor): UserProfile {
  const profile: UserProfile = {};
  const id = author.id ?? conversation.contacts?.contacts[0]?.id;
  if (id) profile.id = id;
  if (author.name) profile.name = author.name;
  if (author.email) profile.email = author.email;
  const tags = conversation.tags?.tags.map((tag) => tag.name) ?? [];
  if (tags.length) profile.tags = tags;
  const attributes = conversation.custom_attributes ?? {};
  if (Object.keys(attributes).length) profile.custom_attributes = attributes;
  return profile;
}
