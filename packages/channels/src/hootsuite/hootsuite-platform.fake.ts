import type { IncomingHttpHeaders } from 'node:http';
import { FakeHttpServer, type Fault, type FakeResponse, type RecordedRequest } from '@relai/sources/testing';
import { signHootsuiteBody } from './verify';

/**
 * A local Hootsuite Inbox 2.0 API at the default endpoints (endpoints.ts), under a base path like a
 * real API root. It records every request with its JSON body and the status it answered, checks the
 * bearer token, and can be told to fail (429 with Retry-After, 5xx, a hang). It also writes the
 * webhook side: events in the documented model (events.ts), signed as the default verifier expects.
 */

export interface HootsuiteRecordedRequest {
  method: string;
  /** Relative to the API base (no query), e.g. /conversations/c-1/messages. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | null;
  /** What the fake answered: a 2xx is a call that took effect. */
  status: number;
}

const API_BASE_PATH = '/inbox/v1';

/** The fake's view of a request FakeHttpServer recorded (0 for a status not answered yet). */
function hootsuiteRequest(request: RecordedRequest): HootsuiteRecordedRequest {
  const { pathname } = request.url;
  const path = pathname.startsWith(API_BASE_PATH) ? pathname.slice(API_BASE_PATH.length) : pathname;
  return { method: request.method, path, headers: request.headers, body: (request.json ?? null) as Record<string, unknown> | null, status: request.status ?? 0 };
}

const ROUTES: Array<{ method: string; pattern: RegExp; created: boolean }> = [
  { method: 'POST', pattern: /^\/conversations\/[^/]+\/messages$/, created: true },
  { method: 'POST', pattern: /^\/conversations\/[^/]+\/notes$/, created: true },
  { method: 'POST', pattern: /^\/conversations\/[^/]+\/transfer$/, created: false },
  { method: 'POST', pattern: /^\/conversations\/[^/]+\/resolve$/, created: false },
  { method: 'POST', pattern: /^\/conversations\/[^/]+\/topics$/, created: false },
  { method: 'PATCH', pattern: /^\/contacts\/[^/]+\/attributes$/, created: false },
];

/** Matches requests by method and path relative to the API base, e.g. `isCall('POST', '/conversations/c-1/messages')`. */
export function isCall(method: string, path: string): (request: HootsuiteRecordedRequest) => boolean {
  return (request) => request.method === method && request.path === path;
}

export function inboxRateLimited(retryAfterSeconds = 2): Fault {
  return { kind: 'respond', response: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, json: { error: 'rate_limited' } } };
}

export class HootsuitePlatformFake {
  private nextId = 1;

  private constructor(
    private readonly server: FakeHttpServer,
    private readonly apiToken: string,
  ) {}

  static async start(options: { apiToken: string }): Promise<HootsuitePlatformFake> {
    let fake: HootsuitePlatformFake | undefined;
    const server = await FakeHttpServer.start((request) => fake!.route(request));
    fake = new HootsuitePlatformFake(server, options.apiToken);
    return fake;
  }

  /** The value for settings.api_base_url. */
  get apiBaseUrl(): string {
    return `${this.server.baseUrl}${API_BASE_PATH}`;
  }

  /** Every request received, in order, faults included, with the status it was answered. */
  get requests(): readonly HootsuiteRecordedRequest[] {
    return this.server.requests.map(hootsuiteRequest);
  }

  /** The next `times` requests that match get `fault` instead of the normal answer. */
  inject(matches: (request: HootsuiteRecordedRequest) => boolean, fault: Fault, times = 1): void {
    this.server.inject((request) => matches(hootsuiteRequest(request)), fault, times);
  }

  /** Calls that took effect (2xx), to one endpoint of a conversation or contact. */
  accepted(method: string, path: string): HootsuiteRecordedRequest[] {
    return this.requests.filter((request) => isCall(method, path)(request) && request.status >= 200 && request.status < 300);
  }

  /** Texts the contact received in a conversation. */
  messagesTo(conversationId: string): string[] {
    return this.accepted('POST', `/conversations/${conversationId}/messages`).map((request) => String(request.body?.text));
  }

  notesOn(conversationId: string): string[] {
    return this.accepted('POST', `/conversations/${conversationId}/notes`).map((request) => String(request.body?.text));
  }

  transfersOf(conversationId: string): Array<Record<string, unknown>> {
    return this.accepted('POST', `/conversations/${conversationId}/transfer`).map((request) => request.body ?? {});
  }

  resolutionsOf(conversationId: string): number {
    return this.accepted('POST', `/conversations/${conversationId}/resolve`).length;
  }

  topicsOf(conversationId: string): string[] {
    return this.accepted('POST', `/conversations/${conversationId}/topics`).flatMap((request) => (request.body?.topic_ids as string[] | undefined) ?? []);
  }

  attributesOf(contactId: string): Record<string, unknown> {
    return Object.assign({}, ...this.accepted('PATCH', `/contacts/${contactId}/attributes`).map((request) => request.body?.attributes ?? {}));
  }

  /** What took effect on a conversation, in order, by the last segment of the path ("messages", "resolve"...). */
  callsOn(conversationId: string): string[] {
    const prefix = `/conversations/${conversationId}/`;
    return this.requests
      .filter((request) => request.status >= 200 && request.status < 300 && request.path.startsWith(prefix))
      .map((request) => request.path.slice(prefix.length));
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private route(recorded: RecordedRequest): FakeResponse {
    const request = hootsuiteRequest(recorded);
    if (request.headers.authorization !== `Bearer ${this.apiToken}`) return { status: 401, json: { error: 'unauthorized' } };
    if (!recorded.url.pathname.startsWith(API_BASE_PATH)) return { status: 404, json: { error: 'not_found' } };
    if (recorded.body && request.body === null) return { status: 400, json: { error: 'body is not JSON' } };
    const route = ROUTES.find((candidate) => candidate.method === request.method && candidate.pattern.test(request.path));
    if (!route) return { status: 404, json: { error: 'not_found' } };
    return route.created ? { status: 201, json: { id: `hs-${this.nextId++}` } } : { status: 200, json: {} };
  }
}

export interface ContactMessageInput {
  seqNo: number;
  conversationId: string;
  messageId: string;
  text: string;
  contact?: { id: string; name?: string; email?: string };
  /** Delegation: the human who gave the conversation to the VA. */
  delegatedBy?: string;
}

/** A message.created event of the contact, in the documented model. */
export function contactMessageEvent(input: ContactMessageInput): Record<string, unknown> {
  const contact = input.contact ?? { id: 'ct-1', name: 'Camille Martin', email: 'camille@example.fr' };
  return {
    seq_no: input.seqNo,
    type: 'message.created',
    created_at: new Date().toISOString(),
    conversation: { id: input.conversationId, ...(input.delegatedBy ? { delegated_by: { id: input.delegatedBy } } : {}) },
    message: { id: input.messageId, text: input.text, author: { type: 'contact', ...contact } },
  };
}

/** A batch as Hootsuite would POST it, signed with the shared secret (hex HMAC-SHA256 of the body). */
export function signedDelivery(events: unknown[], sharedSecret: string, header = 'x-hootsuite-signature'): { rawBody: string; headers: Record<string, string> } {
  const rawBody = JSON.stringify({ events });
  return { rawBody, headers: { [header]: signHootsuiteBody(sharedSecret, rawBody) } };
}
