import { RateLimitGate, describeIntercomError, expectShape, requestJson, type HttpPolicy } from '@relai/sources';
import { platformError } from '../errors';
import { intercomConversationSchema, type IntercomConversation } from './intercom-conversation';

export interface IntercomApiClientConfig {
  baseUrl: string;
  accessToken: string;
  apiVersion: string;
}

/** What a write returns, kept by `context.once`: the part it created, for the audit trail. */
export interface PostedPart {
  conversationId: string;
  partId: string | null;
}

/**
 * The conversation endpoints the agent acts through. Requests retry 5xx and wait out 429s
 * (X-RateLimit-Reset) through `requestJson`. A 4xx that will not change on retry (401/403 credentials,
 * 404 a deleted conversation, 400/422 a refused body) throws ChannelPermanentError, with the
 * SourceHttpError as its cause: the job fails once instead of being retried. Other failures throw
 * the SourceHttpError, and the job retries.
 */
export class IntercomApiClient {
  private readonly policy: HttpPolicy;

  constructor(
    private readonly config: IntercomApiClientConfig,
    policy: HttpPolicy,
  ) {
    this.policy = { ...policy, rateLimitGate: policy.rateLimitGate ?? new RateLimitGate(), describeErrorBody: describeIntercomError };
  }

  /** The conversation with its parts (the 500 most recent), bodies in HTML. */
  async getConversation(conversationId: string): Promise<IntercomConversation> {
    return this.request('GET', `/conversations/${encodeURIComponent(conversationId)}`);
  }

  /** A message to the customer (`comment`) or for teammates only (`note`), as the admin `adminId`. */
  async reply(conversationId: string, input: { messageType: 'comment' | 'note'; adminId: string; body: string }): Promise<PostedPart> {
    const conversation = await this.request('POST', `/conversations/${encodeURIComponent(conversationId)}/reply`, {
      message_type: input.messageType,
      type: 'admin',
      admin_id: input.adminId,
      body: input.body,
    });
    return postedPart(conversation);
  }

  /** Hands the conversation to an admin or a team (`assigneeId`), or to nobody with "0" (Unassigned). */
  async assign(conversationId: string, input: { adminId: string; assigneeId: string }): Promise<PostedPart> {
    const conversation = await this.request('POST', `/conversations/${encodeURIComponent(conversationId)}/parts`, {
      message_type: 'assignment',
      type: 'admin',
      admin_id: input.adminId,
      assignee_id: input.assigneeId,
    });
    return postedPart(conversation);
  }

  async close(conversationId: string, input: { adminId: string }): Promise<PostedPart> {
    const conversation = await this.request('POST', `/conversations/${encodeURIComponent(conversationId)}/parts`, {
      message_type: 'close',
      type: 'admin',
      admin_id: input.adminId,
    });
    return postedPart(conversation);
  }

  private async request(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<IntercomConversation> {
    const url = `${this.config.baseUrl}${path}`;
    const response = await requestJson(
      url,
      {
        method,
        headers: {
          Authorization: `Bearer ${this.config.accessToken}`,
          'Intercom-Version': this.config.apiVersion,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      },
      this.policy,
    ).catch((error: unknown) => {
      throw platformError('intercom', error);
    });
    return expectShape(intercomConversationSchema, response.data, url, response.status);
  }
}

function postedPart(conversation: IntercomConversation): PostedPart {
  return { conversationId: conversation.id, partId: conversation.conversation_parts?.conversation_parts.at(-1)?.id ?? null };
}
