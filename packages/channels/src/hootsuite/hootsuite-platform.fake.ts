import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault, FakeResponse } from '@relai/sources/testing';
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

interface FaultRule {
  matches: (request: HootsuiteRecordedRequest) => boolean;
  fault: Fault;
  remaining: number;
}

const API_BASE_PATH = '/inbox/v1';

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
  readonly requests: HootsuiteRecordedRequest[] = [];
  private readonly faults: FaultRule[] = [];
  private nextId = 1;

  private constructor(
    private readonly server: Server,
    /** The value for settings.api_base_url. */
    readonly apiBaseUrl: string,
    private readonly apiToken: string,
  ) {}

  static async start(options: { apiToken: string }): Promise<HootsuitePlatformFake> {
    let fake: HootsuitePlatformFake | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://fake');
        let body: Record<string, unknown> | null = null;
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
        } catch {
          body = null;
        }
        const path = url.pathname.startsWith(API_BASE_PATH) ? url.pathname.slice(API_BASE_PATH.length) : url.pathname;
        const recorded: HootsuiteRecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, status: 0 };
        fake!.requests.push(recorded);
        const fault = fake!.takeFault(recorded);
        if (fault?.kind === 'hang') return;
        const response = fault?.kind === 'respond' ? fault.response : fake!.route(recorded, url.pathname, raw);
        recorded.status = response.status ?? 200;
        const text = response.json !== undefined ? JSON.stringify(response.json) : (response.text ?? '');
        res.writeHead(recorded.status, { 'content-type': response.contentType ?? 'application/json; charset=utf-8', ...response.headers });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new HootsuitePlatformFake(server, `http://127.0.0.1:${port}${API_BASE_PATH}`, options.apiToken);
    return fake;
  }

  /** The next `times` requests that match get `fault` instead of the normal answer. */
  inject(matches: (request: HootsuiteRecordedRequest) => boolean, fault: Fault, times = 1): void {
    this.faults.push({ matches, fault, remaining: times });
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

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private route(request: HootsuiteRecordedRequest, fullPath: string, raw: string): FakeResponse {
    if (request.headers.authorization !== `Bearer ${this.apiToken}`) return { status: 401, json: { error: 'unauthorized' } };
    if (!fullPath.startsWith(API_BASE_PATH)) return { status: 404, json: { error: 'not_found' } };
    if (raw && request.body === null) return { status: 400, json: { error: 'body is not JSON' } };
    const route = ROUTES.find((candidate) => candidate.method === request.method && candidate.pattern.test(request.path));
    if (!route) return { status: 404, json: { error: 'not_found' } };
    return route.created ? { status: 201, json: { id: `hs-${this.nextId++}` } } : { status: 200, json: {} };
  }

  private takeFault(request: HootsuiteRecordedRequest): Fault | undefined {
    const rule = this.faults.find((candidate) => candidate.remaining > 0 && candidate.matches(request));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
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
