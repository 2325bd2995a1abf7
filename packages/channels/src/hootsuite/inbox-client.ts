import { requestText, type HttpPolicy } from '@relai/sources';
import { ChannelPermanentError, isPermanentStatus } from '../errors';
import { resolveEndpoint, type EndpointTemplates, type InboxOperation } from './endpoints';

function describeFailure(operation: InboxOperation, status: number, body: string): string {
  return `Hootsuite Inbox API ${operation} answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
}

/** A non-2xx answer that may pass on a later try (a 5xx after the client's retries, a 409...): the job retries. */
export class InboxApiError extends Error {
  override name = 'InboxApiError';
  constructor(
    readonly operation: InboxOperation,
    readonly status: number,
    body: string,
  ) {
    super(describeFailure(operation, status, body));
  }
}

/** A non-2xx answer that retrying cannot change (401/403 token, 404 conversation gone, 400/422 refused): the job fails once. */
export class InboxApiPermanentError extends ChannelPermanentError {
  override name = 'InboxApiPermanentError';
  constructor(
    readonly operation: InboxOperation,
    status: number,
    body: string,
  ) {
    super(describeFailure(operation, status, body), { platform: 'hootsuite', status });
  }
}

export type TransferTarget = { to: 'new' } | { to: 'previous_agent'; agentId: string | null };

export interface InboxClientOptions {
  baseUrl: string;
  endpoints: EndpointTemplates;
  apiToken: string;
  http: HttpPolicy;
}

/**
 * The Inbox API calls of a VA (endpoints.ts). 5xx, 429 (Retry-After) and network errors are retried
 * here; a non-2xx retrying cannot change throws InboxApiPermanentError (the job fails once), any other
 * throws InboxApiError, and the job's retry resumes after the side effects already done.
 */
export class InboxClient {
  constructor(private readonly options: InboxClientOptions) {}

  sendMessage(conversationId: string, text: string) {
    return this.call('send_message', { conversation_id: conversationId }, { text });
  }

  addNote(conversationId: string, text: string) {
    return this.call('add_note', { conversation_id: conversationId }, { text });
  }

  /** `teamId`: the agent team's external_id, for platforms that route a handoff to a team. */
  transfer(conversationId: string, target: TransferTarget, teamId: string | null = null) {
    const body = {
      to: target.to,
      ...(target.to === 'previous_agent' && target.agentId ? { agent_id: target.agentId } : {}),
      ...(teamId ? { team_id: teamId } : {}),
    };
    return this.call('transfer', { conversation_id: conversationId }, body);
  }

  resolve(conversationId: string) {
    return this.call('resolve', { conversation_id: conversationId }, {});
  }

  applyTopics(conversationId: string, topicIds: string[]) {
    return this.call('apply_topics', { conversation_id: conversationId }, { topic_ids: topicIds });
  }

  setContactAttributes(conversationId: string, contactId: string, attributes: Record<string, string>) {
    return this.call('set_contact_attributes', { conversation_id: conversationId, contact_id: contactId }, { attributes });
  }

  /** Returns the platform's id of what was created, when its answer names one (kept for the record). */
  private async call(operation: InboxOperation, values: { conversation_id: string; contact_id?: string }, body: Record<string, unknown>): Promise<{ platformId: string | null }> {
    const { method, url } = resolveEndpoint(this.options.baseUrl, this.options.endpoints, operation, values);
    const response = await requestText(
      url,
      {
        method,
        headers: { authorization: `Bearer ${this.options.apiToken}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      },
      this.options.http,
    );
    const text = response.body ?? '';
    if (response.status < 200 || response.status >= 300) {
      if (isPermanentStatus(response.status)) throw new InboxApiPermanentError(operation, response.status, text);
      throw new InboxApiError(operation, response.status, text);
    }
    return { platformId: createdId(text) };
  }
}

function createdId(body: string): string | null {
  try {
    const id = (JSON.parse(body) as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}
