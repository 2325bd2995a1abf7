import type { UserProfile } from '@relai/answering';
import { isPermanentJobError } from '@relai/queue';
import type { HttpPolicy } from '@relai/sources';
import { ChannelPermanentError } from '../errors';
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
 * then fails and retries them, unless every failure is permanent (a refused token, a conversation
 * gone): then the job fails once, without retries.
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
      const permanent = isPermanentJobError(error);
      context.logger.warn(permanent ? 'hootsuite event failed, retrying cannot help' : 'hootsuite event failed, the job will retry it', {
        seqNo: event.seq_no,
        conversationId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    const aggregate = new AggregateError(errors, `${errors.length} Hootsuite events failed`);
    // One failure that may pass later is enough to retry the job (the permanent ones fail again then).
    if (errors.every(isPermanentJobError)) throw new ChannelPermanentError(`${errors.length} Hootsuite events failed permanently`, { platform: 'hootsuite', cause: aggregate });
    throw aggregate;
  }
}

/** The result is stored under the event's seq_no: a release there tells the timeout sweep to leave the conversation alone. */
async function handleEvent(event: HootsuiteEvent, context: HootsuiteContext, client: InboxClient): Promise<LedgerEntry | { seq_no: string }> {
  const conversationId = event.conversation.id;
  switch (event.type) {
    case 'message.created':
      if (isFromContact(event.message)) await answerContact(event.conversation, event.message, context, client, null);
      return { seq_no: event.seq_no };
    case 'conversation.assigned': {
      // Once per assignment, so that a retried job keeps the outcome of its first run.
      const { reopened } = await context.once(`reopen:${conversationId}:${event.seq_no}`, () => reopenAfterHandover(conversationId, context));
      // An assignment without the contact's message waits for the next one.
      if (isFromContact(event.message)) await answerContact(event.conversation, event.message, context, client, reopened ? event.seq_no : null);
      return { seq_no: event.seq_no };
    }
    case 'conversation.unassigned':
      return releaseEntry(conversationId, context.now(), 'unassigned');
    case 'conversation.closed':
      return releaseEntry(conversationId, context.now(), 'closed');
  }
}

/**
 * The conversation comes back to the VA (a human delegates it again) after the agent handed it
 * over: our session is escalated, where the agent stays silent. It is ended, so that the contact's
 * next message opens a new session, answered from scratch.
 */
async function reopenAfterHandover(conversationId: string, context: HootsuiteContext): Promise<{ reopened: boolean }> {
  const session = await context.session(conversationId);
  if (session?.status !== 'escalated') return { reopened: false };
  await context.endSession(conversationId);
  context.logger.info('hootsuite: conversation delegated to the VA again after a handover, new session', { conversationId, endedSession: session.sessionNumber });
  return { reopened: true };
}

/**
 * `reopenedBy`: the seq_no of the assignment that ended an escalated session, if this message comes
 * with it. The message is then answered in the new session, even if the VA already recorded it
 * (and stayed silent) while a human had the conversation.
 */
async function answerContact(
  conversation: Conversation,
  message: HootsuiteMessage & { text: string },
  context: HootsuiteContext,
  client: InboxClient,
  reopenedBy: string | null,
): Promise<void> {
  const conversationId = conversation.id;
  const converse = (messageKey: string) => context.converse({ conversationId, messageKey, text: message.text, user: profileOf(message.author) });
  // Keyed by message id, not seq_no: an assignment and a message.created may carry the same message,
  // and a retried job gets the decision of its first run back.
  let messageKey = message.id;
  let { reply, replayed } = await converse(messageKey);
  if (reopenedBy !== null && replayed && reply.action === 'ignore') {
    // The VA stayed silent on it because a human had the conversation; a decision it acted on
    // (the escalation itself) stands and is not taken again.
    messageKey = `${message.id}:reopened:${reopenedBy}`;
    ({ reply } = await converse(messageKey));
  }
  const key = `${conversationId}:${messageKey}`;
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
