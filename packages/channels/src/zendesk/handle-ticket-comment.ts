import type { ChannelContext } from '../interface';
import { customerMessage } from './ticket-thread';
import type { ZendeskTicketEvent } from './ticket-event';
import { planTicketUpdates } from './ticket-updates';
import { ZendeskTicketNotFoundError } from './zendesk-errors';
import { zendeskBaseUrl, type ZendeskSecrets, type ZendeskSettings } from './zendesk-settings';
import { ZendeskTicketsClient, type ZendeskAuth } from './zendesk-tickets-client';

function authOf(secrets: ZendeskSecrets): ZendeskAuth {
  if (secrets.oauth_token) return { oauthToken: secrets.oauth_token };
  return { email: secrets.email!, apiToken: secrets.api_token! };
}

/**
 * Worker side of a ticket comment: read the ticket, decide, then update the ticket once per step.
 * `converse` is keyed by the comment and every ticket update by ticket and comment, so a retried job
 * (or a second trigger for the same comment) neither records the message twice nor posts twice.
 */
export async function handleTicketComment(event: ZendeskTicketEvent, context: ChannelContext<ZendeskSettings, ZendeskSecrets>): Promise<void> {
  const { settings, secrets } = context.channel;
  const logger = context.logger.child({ channelId: context.channel.id, ticketId: event.ticketId, commentId: event.commentId });
  // The webhook drops our own comments (parseZendeskDelivery); kept for jobs queued before that, or by other means.
  if (event.authorId === settings.agent_user_id) {
    logger.debug("zendesk: the AI agent's own comment, ignored");
    return;
  }
  const client = new ZendeskTicketsClient(zendeskBaseUrl(settings), authOf(secrets), context.http);
  const key = `${event.ticketId}:${event.commentId}`;
  try {
    const thread = await client.recentComments(event.ticketId, settings.history_comments);
    const message = customerMessage(event, thread, settings.agent_user_id);
    if (message.kind === 'not_listed') throw new Error(`Zendesk does not list comment ${event.commentId} of ticket ${event.ticketId} yet`);
    if (message.kind === 'ignore') {
      logger.info(`zendesk: ${message.reason}, ignored`);
      return;
    }
    const { reply } = await context.converse({
      conversationId: event.ticketId,
      messageKey: event.commentId,
      text: message.text,
      turns: message.turns,
      user: message.user,
      metaData: { zendesk_ticket_id: event.ticketId, ...(event.subject ? { subject: event.subject } : {}), ...(event.via ? { via: event.via } : {}) },
    });
    for (const { step, update } of planTicketUpdates(reply, settings)) {
      await context.once(`${step}:${key}`, () => client.updateTicket(event.ticketId, update));
    }
    logger.info('zendesk: ticket handled', { action: reply.action });
  } catch (error) {
    // Deleted, merged or out of the credentials' reach: retrying will not bring it back.
    if (error instanceof ZendeskTicketNotFoundError) {
      logger.warn('zendesk: ticket not found, event dropped');
      return;
    }
    throw error;
  }
}
