import type { AgentReply } from '@relai/answering';
import { ChannelPermanentError } from '../errors';
import type { ChannelAdapter, ChannelContext } from '../interface';
import { IntercomApiClient, type PostedPart } from './intercom-api-client';
import { conversationTurns, customerProfile } from './intercom-conversation';
import { intercomBaseUrl, intercomSecretsSchema, intercomSettingsSchema, type IntercomSecrets, type IntercomSettings } from './intercom-settings';
import { checkMonitoredInbox } from './monitored-inbox';
import { planActions, type IntercomAction } from './plan-actions';
import { intercomEventSchema, parseIntercomNotification, type IntercomEvent } from './webhook-event';
import { SIGNATURE_HEADER, verifyIntercomSignature } from './webhook-signature';

type IntercomContext = ChannelContext<IntercomSettings, IntercomSecrets>;

type Decision = { handled: true; reply: AgentReply } | { handled: false; reason: string };

function perform(client: IntercomApiClient, conversationId: string, adminId: string, action: IntercomAction): Promise<PostedPart> {
  switch (action.kind) {
    case 'comment':
    case 'note':
      return client.reply(conversationId, { messageType: action.kind, adminId, body: action.body });
    case 'assign':
      return client.assign(conversationId, { adminId, assigneeId: action.assigneeId });
    case 'close':
      return client.close(conversationId, { adminId });
  }
}

/**
 * Reads the conversation, checks it is the agent's to handle, and lets the agent decide on the
 * customer's message. `converse` is keyed by the message id: a retried job gets the decision of the
 * first run back (the message is recorded once), and goes on with the actions not done yet.
 */
async function decide(client: IntercomApiClient, event: IntercomEvent, context: IntercomContext): Promise<Decision> {
  let conversation;
  try {
    conversation = await client.getConversation(event.conversationId);
  } catch (error) {
    if (error instanceof ChannelPermanentError && error.status === 404) return { handled: false, reason: 'the conversation no longer exists' };
    throw error;
  }
  // Checked on the conversation as it is now, not as the webhook saw it: assignment rules may have
  // run since, or a teammate may have taken it. Our own actions come last in a plan (the assignment),
  // so a retry after a partial failure still finds the conversation in the agent's hands.
  const inbox = checkMonitoredInbox(conversation, context.channel.settings);
  if (!inbox.monitored) return { handled: false, reason: inbox.reason };
  const { reply } = await context.converse({
    conversationId: event.conversationId,
    messageKey: event.messageId,
    text: event.text,
    user: customerProfile(conversation, event.author),
    turns: conversationTurns(conversation, { id: event.messageId, text: event.text }),
    metaData: { intercom_topic: event.topic, intercom_message_id: event.messageId },
  });
  return { handled: true, reply };
}

/**
 * A customer message in Intercom: decide once, then act as the agent's teammate (reply, note,
 * assign, close). Every step runs once per message (keyed by the conversation and the part id),
 * so a retried job finishes what a failed one started without posting twice.
 */
async function handleIntercomEvent(event: IntercomEvent, context: IntercomContext): Promise<void> {
  const { settings, secrets } = context.channel;
  const client = new IntercomApiClient(
    { baseUrl: intercomBaseUrl(settings), accessToken: secrets.access_token, apiVersion: settings.intercom_version },
    context.http,
  );
  const key = (step: string) => `${step}:${event.conversationId}:${event.messageId}`;
  const decision = await decide(client, event, context);
  if (!decision.handled) {
    context.logger.info('intercom message left alone', { conversationId: event.conversationId, reason: decision.reason });
    return;
  }
  for (const action of planActions(decision.reply, settings)) {
    if (action.kind === 'assign' && action.team && !action.team.external_id) {
      context.logger.warn('intercom: team without external_id, conversation left Unassigned', { team: action.team.id, conversationId: event.conversationId });
    }
    await context.once(key(action.kind), () => perform(client, event.conversationId, settings.bot_admin_id, action));
  }
}

export const intercomAdapter: ChannelAdapter<IntercomSettings, IntercomSecrets, IntercomEvent> = {
  platform: 'intercom',
  settingsSchema: intercomSettingsSchema,
  secretsSchema: intercomSecretsSchema,
  inbound: {
    verify: (request, channel) => verifyIntercomSignature(channel.secrets.client_secret, request.headers[SIGNATURE_HEADER], request.rawBody),
    // Conversations the payload shows in a teammate's or another team's hands never reach the queue.
    parse: (request, channel) => parseIntercomNotification(request, channel.settings),
    eventSchema: intercomEventSchema,
  },
  handle: handleIntercomEvent,
};
