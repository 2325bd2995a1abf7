/** The ticket is gone (deleted, merged away, or the credentials cannot see it): retrying will not help. */
export class ZendeskTicketNotFoundError extends Error {
  override name = 'ZendeskTicketNotFoundError';

  constructor(readonly ticketId: string) {
    super(`Zendesk ticket ${ticketId} was not found`);
  }
}
