import { ChannelPermanentError } from '../errors';

/**
 * The ticket is gone (deleted, merged away, or the credentials cannot see it): retrying will not
 * help. The handler drops the event on it; anywhere else it fails the job once, like any
 * ChannelPermanentError.
 */
export class ZendeskTicketNotFoundError extends ChannelPermanentError {
  override name = 'ZendeskTicketNotFoundError';

  constructor(
    readonly ticketId: string,
    cause?: unknown,
  ) {
    super(`Zendesk ticket ${ticketId} was not found`, { platform: 'zendesk', status: 404, cause });
  }
}
