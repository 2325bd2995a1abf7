import type { AgentReply, UserProfile } from '@relai/answering';
import type { HttpPolicy } from '@relai/sources';
import type { ChannelContext, StoredChannel } from '../interface';
import { isFromContact, type HootsuiteBatch, type HootsuiteEvent, type HootsuiteMessage } from './events';
import { planHandoff } from './handoff';
import { InboxClient } from './inbox-client';
import { effectEntry, releaseEntry, replyEntry, type LedgerEntry } from './ledger';
import { renderReply } from './render';
import { resolvesOnAnswer, type HootsuiteSecrets, type HootsuiteSettings } from './settings';

type HootsuiteContext = ChannelContext<HootsuiteSettings, HootsuiteSecrets>;
type Conversation = HootsuiteEvent['conversation'];

export function inboxClientFor(channel: StoredChannel<HootsuiteSettings, HootsuiteSecrets>, http: HttpPolicy): InboxClient {
  return new InboxClient({ baseUrl: channel.settings.api_base_url, endpoints: channel.settings.endpoints, apiToken: channel.secrets.api_token, http });
}

/**
 * One delivery's events, in seq_no order. Each event runs once (by seq_no: Hootsuite redelivers);
 * inside, every platform call is its own `once`, so a retried job resumes where it failed. An event
 * that fails holds back the later events of its conversation, not the other conversations; the job
 * then fails and retries them.
 */
export async function handleHootsuiteBatch(batch: HootsuiteBatch, context: HootsuiteContext): Promise<void> {
  const client = inboxClientFor(context.channel, context.http);
  const failedConversations = new Set<string>();
  const errors: unknown[] = [];
  for (const event of batch) {
    const conversationId = event.conversation.id;
    if (failedConversations.has(conversationId)) continue;
    try {
      await context.once(`event:${event.seq_no}`, () => handleEvent(event, context, client));
    } catch (error) {
      failedConversations.add(conversationId);
      errors.push(error);
      context.logger.warn('hootsuite event failed, the job will retry it', {
        seqNo: event.seq_no,
        conversationId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} Hootsuite events failed`);
}

/** The result is stored under the event's seq_no: a release there tells the timeout sweep to leave the conversation alone. */
async function handleEvent(event: HootsuiteEvent, context: HootsuiteContext, client: InboxClient): Promise<LedgerEntry | { seq_no: string }> {
  const conversationId = event.conversation.id;
  switch (event.type) {
    case 'message.created':
    case 'conversation.assigned':
      // An assignment without the contact's message waits for the next one.
      if (isFromContact(event.message)) await answerContact(event.conversation, event.message, context, client);
      return { seq_no: event.seq_no };
    case 'conversation.unassigned':
      return releaseEntry(conversationId, context.now(), 'unassigned');
    case 'conversation.closed':
      return releaseEntry(conversationId, context.now(), 'closed');
  }
}

async function answerContact(conversation: Conversation, message: HootsuiteMessage & { text: string }, context: HootsuiteContext, client: InboxClient): Promise<void> {
  const conversationId = conversation.id;
  // Keyed by message id, not seq_no: an assignment and a message.created may carry the same message.
  const key = `${conversationId}:${message.id}`;
  const reply = await context.once<AgentReply>(`converse:${key}`, async () => {
    const result = await context.converse({ conversationId, text: message.text, user: profileOf(message.author) });
    return result.reply;
  });
  const settings = context.channel.settings;
  const record = <T extends LedgerEntry>(action: string, effect: () => Promise<T>) => context.once(`${action}:${key}`, effect);

  if (reply.action === 'answer' || reply.action === 'clarify') {
    await record('reply', async () => replyEntry(conversationId, context.now(), (await client.sendMessage(conversationId, renderReply(reply.reply))).platformId));
    if (reply.action === 'answer' && resolvesOnAnswer(settings)) {
      await record('resolve', async () => {
        await client.resolve(conversationId);
        return releaseEntry(conversationId, context.now(), 'resolved');
      });
    }
    return;
  }

  const handoff = planHandoff(reply, conversation, settings);
  if (!handoff) return;
  if (handoff.message) {
    const text = handoff.message;
    await record('reply', async () => replyEntry(conversationId, context.now(), (await client.sendMessage(conversationId, text)).platformId));
  }
  if (handoff.topicIds.length > 0) {
    await record('topics', async () => {
      await client.applyTopics(conversationId, handoff.topicIds);
      return effectEntry(conversationId, context.now());
    });
  }
  const contactId = message.author.id;
  if (handoff.attributes && contactId) {
    const attributes = handoff.attributes;
    await record('attributes', async () => {
      await client.setContactAttributes(conversationId, contactId, attributes);
      return effectEntry(conversationId, context.now());
    });
  }
  await record('note', async () => {
    await client.addNote(conversationId, handoff.note);
    return effectEntry(conversationId, context.now());
  });
  // Last: once transferred, the VA may no longer act on the conversation.
  await record('transfer', async () => {
    await client.transfer(conversationId, handoff.target, handoff.teamId);
    return releaseEntry(conversationId, context.now(), handoff.target.to);
  });
}

function profileOf(author: HootsuiteMessage['author']): UserProfile {
  return {
    ...(author.id ? { id: author.id } : {}),
    ...(author.name ? { name: author.name } : {}),
    ...(author.email ? { email: author.email } : {}),
  };
}
