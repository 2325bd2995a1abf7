import type { IncomingHttpHeaders } from 'node:http';
import { FakeHttpServer, type Fault, type FakeResponse, type RecordedRequest } from '@relai/sources/testing';
import { escapeHtml } from './html';
import type { HandledTopic } from './webhook-event';

/**
 * A local Intercom REST API for the conversation endpoints the agent uses, with the documented 2.16
 * shapes (examples/intercom/GET_conversations_id.json, POST_conversations_id_reply.*,
 * POST_conversations_id_parts.*, error_*.json). It keeps conversations in memory, records every
 * request with its JSON body, and can be told to fail (429 with rate-limit headers, 5xx, broken JSON).
 */

export interface IntercomRecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The decoded JSON body; null for a GET. */
  body: Record<string, unknown> | null;
  /** The status the fake answered with, an injected fault's included (0 for a request left hanging). */
  status: number;
}

export interface FakeCustomer {
  id: string;
  name?: string;
  email?: string;
}

export interface OpenConversationInput {
  id: string;
  /** The customer's first message, plain text. */
  message: string;
  customer?: FakeCustomer;
  teamAssigneeId?: string | null;
  adminAssigneeId?: string | null;
  customAttributes?: Record<string, unknown>;
}

interface FakeAuthor {
  type: 'user' | 'admin' | 'bot';
  id: string;
  name?: string;
  email?: string;
}

interface FakePart {
  id: string;
  partType: string;
  /** Plain text as written; served as HTML by the REST API and as text in webhooks (2.15+). */
  text: string | null;
  html: string | null;
  author: FakeAuthor;
  createdAt: number;
  assignedTo: { type: string; id: string } | null;
}

interface FakeConversation {
  id: string;
  sourceId: string;
  source: FakePart;
  customer: FakeCustomer;
  adminAssigneeId: string | null;
  teamAssigneeId: string | null;
  state: 'open' | 'closed';
  customAttributes: Record<string, unknown>;
  parts: FakePart[];
  createdAt: number;
  updatedAt: number;
}

const DEFAULT_CUSTOMER: FakeCustomer = { id: '6762f1571bb69f9f2193bbbb', name: 'Joe Bloggs', email: 'joe@bloggs.com' };

function errorList(status: number, code: string, message: string): FakeResponse {
  return { status, json: { type: 'error.list', request_id: '2e760b85-9020-471b-89dc-f579ec8a0104', errors: [{ code, message }] } };
}

/** Intercom sends assignee ids as integers. */
function integerId(id: string): number | string {
  return /^\d+$/.test(id) ? Number(id) : id;
}

/** The fake's view of a request FakeHttpServer recorded. */
function intercomRequest(request: RecordedRequest): IntercomRecordedRequest {
  return { method: request.method, path: request.url.pathname, headers: request.headers, body: (request.json ?? null) as Record<string, unknown> | null, status: request.status ?? 0 };
}

/** Matches requests by method and path, e.g. `isIntercomRequest('POST', '/conversations/524/reply')`. */
export function isIntercomRequest(method: string, path: string): (request: IntercomRecordedRequest) => boolean {
  return (request) => request.method === method && request.path === path;
}

export class IntercomPlatformFake {
  private readonly conversations = new Map<string, FakeConversation>();
  private nextPartId = 1000;
  private clock = 1_734_537_559;

  private constructor(
    private readonly server: FakeHttpServer,
    private readonly options: { accessToken: string; teamIds: ReadonlySet<string> },
  ) {}

  /** `teamIds`: assignee ids that are teams (an assignment to one sets team_assignee_id); any other id is an admin. */
  static async start(options: { accessToken: string; teamIds?: string[] }): Promise<IntercomPlatformFake> {
    let fake: IntercomPlatformFake | undefined;
    const server = await FakeHttpServer.start((request) =>
      // A body that is there but is not JSON (FakeHttpServer leaves `json` undefined) is refused before routing.
      request.body && request.json === undefined ? errorList(400, 'parameter_invalid', 'Body is not JSON') : fake!.route(intercomRequest(request)),
    );
    fake = new IntercomPlatformFake(server, { accessToken: options.accessToken, teamIds: new Set(options.teamIds ?? []) });
    return fake;
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /** Every request received, in order, faults included, with the status it was answered. */
  get requests(): readonly IntercomRecordedRequest[] {
    return this.server.requests.map(intercomRequest);
  }

  /** A conversation the customer starts in the Messenger. */
  openConversation(input: OpenConversationInput): void {
    const customer = input.customer ?? DEFAULT_CUSTOMER;
    const createdAt = this.tick();
    const source = this.part('conversation', input.message, { type: 'user', ...customer });
    this.conversations.set(input.id, {
      id: input.id,
      sourceId: source.id,
      source,
      customer,
      adminAssigneeId: input.adminAssigneeId ?? null,
      teamAssigneeId: input.teamAssigneeId ?? null,
      state: 'open',
      customAttributes: input.customAttributes ?? {},
      parts: [],
      createdAt,
      updatedAt: createdAt,
    });
  }

  /** The customer writes again in the conversation. */
  customerReplies(conversationId: string, text: string): void {
    const conversation = this.get(conversationId);
    conversation.parts.push(this.part(conversation.state === 'closed' ? 'open' : 'comment', text, { type: 'user', ...conversation.customer }));
    conversation.state = 'open';
    conversation.updatedAt = this.tick();
  }

  /**
   * The webhook notification Intercom sends for the conversation as it is now: `created` carries the
   * conversation without parts, `replied` the customer's latest part (bodies in plain text).
   */
  notification(topic: HandledTopic, conversationId: string, deliveryId = `notif_${conversationId}_${this.tick()}`): Record<string, unknown> {
    const conversation = this.get(conversationId);
    const latest = conversation.parts.filter((part) => part.author.type === 'user').at(-1);
    const parts = topic === 'conversation.user.replied' && latest ? [latest] : [];
    return {
      type: 'notification_event',
      app_id: 'a86dr8yl',
      data: { type: 'notification_event_data', item: this.conversationJson(conversation, { parts, plainText: true }) },
      id: deliveryId,
      topic,
      delivery_attempts: 1,
      first_sent_at: conversation.updatedAt,
      created_at: conversation.updatedAt,
      self: null,
    };
  }

  /** The conversation as GET /conversations/{id} returns it. */
  conversation(conversationId: string): Record<string, unknown> {
    const conversation = this.get(conversationId);
    return this.conversationJson(conversation, { parts: conversation.parts, plainText: false });
  }

  /** The bodies POSTed to /conversations/{id}/reply (`endpoint: 'reply'`) or /parts and accepted (2xx), in order. */
  posted(conversationId: string, endpoint: 'reply' | 'parts'): Array<Record<string, unknown>> {
    const path = `/conversations/${conversationId}/${endpoint}`;
    return this.requests
      .filter((request) => request.method === 'POST' && request.path === path && request.status >= 200 && request.status < 300)
      .map((request) => request.body ?? {});
  }

  /** The next `times` requests that match get `fault` instead of the normal answer. */
  inject(matches: (request: IntercomRecordedRequest) => boolean, fault: Fault, times = 1): void {
    this.server.inject((request) => matches(intercomRequest(request)), fault, times);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private route(request: IntercomRecordedRequest): FakeResponse {
    if (request.headers.authorization !== `Bearer ${this.options.accessToken}`) return errorList(401, 'unauthorized', 'Access Token Invalid');
    const match = /^\/conversations\/([^/]+)(?:\/(reply|parts))?$/.exec(request.path);
    const conversation = match ? this.conversations.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !conversation) return errorList(404, 'not_found', 'Resource Not Found');
    const endpoint = match[2];
    if (request.method === 'GET' && !endpoint) return { json: this.conversation(conversation.id) };
    if (request.method !== 'POST' || !endpoint) return errorList(404, 'not_found', 'Resource Not Found');
    const body = request.body ?? {};
    const adminId = typeof body.admin_id === 'string' || typeof body.admin_id === 'number' ? String(body.admin_id) : '';
    if (body.type !== 'admin' || !adminId) return errorList(400, 'parameter_invalid', 'type must be admin, with an admin_id');
    const admin: FakeAuthor = { type: 'admin', id: adminId, name: 'Relai', email: 'relai@example.com' };
    const posted = endpoint === 'reply' ? this.reply(conversation, body, admin) : this.changeState(conversation, body, admin);
    if (!('partType' in posted)) return posted;
    conversation.parts.push(posted);
    conversation.updatedAt = posted.createdAt;
    // Write endpoints answer with the conversation and only the part they created, as documented.
    return { json: this.conversationJson(conversation, { parts: [posted], plainText: false }) };
  }

  private reply(conversation: FakeConversation, body: Record<string, unknown>, admin: FakeAuthor): FakePart | FakeResponse {
    if (body.message_type !== 'comment' && body.message_type !== 'note') return errorList(400, 'parameter_invalid', 'message_type must be comment or note');
    if (typeof body.body !== 'string' || !body.body.trim()) return errorList(400, 'parameter_invalid', 'body is required');
    if (body.message_type === 'comment') conversation.state = 'open';
    return { ...this.part(body.message_type, null, admin), html: body.body };
  }

  private changeState(conversation: FakeConversation, body: Record<string, unknown>, admin: FakeAuthor): FakePart | FakeResponse {
    if (body.message_type === 'close') {
      conversation.state = 'closed';
      return this.part('close', typeof body.body === 'string' ? body.body : null, admin);
    }
    if (body.message_type !== 'assignment') return errorList(400, 'parameter_invalid', 'message_type must be assignment or close');
    const assignee = typeof body.assignee_id === 'string' || typeof body.assignee_id === 'number' ? String(body.assignee_id) : '';
    if (!assignee) return errorList(400, 'parameter_invalid', 'assignee_id is required');
    let assignedTo: FakePart['assignedTo'] = null;
    if (assignee === '0') {
      conversation.adminAssigneeId = null;
      conversation.teamAssigneeId = null;
    } else if (this.options.teamIds.has(assignee)) {
      // Handing to a team inbox takes the conversation off the admin who had it.
      conversation.teamAssigneeId = assignee;
      conversation.adminAssigneeId = null;
      assignedTo = { type: 'team', id: assignee };
    } else {
      conversation.adminAssigneeId = assignee;
      assignedTo = { type: 'admin', id: assignee };
    }
    conversation.state = 'open';
    return { ...this.part('assign_and_reopen', typeof body.body === 'string' ? body.body : null, admin), assignedTo };
  }

  private part(partType: string, text: string | null, author: FakeAuthor): FakePart {
    const html = text === null ? null : text.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`).join('');
    return { id: String(this.nextPartId++), partType, text, html, author, createdAt: this.tick(), assignedTo: null };
  }

  private conversationJson(conversation: FakeConversation, view: { parts: FakePart[]; plainText: boolean }): Record<string, unknown> {
    const body = (part: FakePart) => (view.plainText ? part.text : part.html);
    const author = (value: FakeAuthor) => ({ type: value.type, id: value.id, name: value.name ?? null, email: value.email ?? null });
    return {
      type: 'conversation',
      id: conversation.id,
      created_at: conversation.createdAt,
      updated_at: conversation.updatedAt,
      waiting_since: conversation.updatedAt,
      snoozed_until: null,
      source: {
        type: 'conversation',
        id: conversation.sourceId,
        delivered_as: 'customer_initiated',
        subject: '',
        body: body(conversation.source),
        author: author(conversation.source.author),
        attachments: [],
        url: null,
        redacted: false,
      },
      contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: conversation.customer.id, external_id: null }] },
      first_contact_reply: { created_at: conversation.createdAt, type: 'conversation', url: null },
      // Webhooks say 0 for "nobody", the REST API null (compare the examples).
      admin_assignee_id: conversation.adminAssigneeId === null ? (view.plainText ? 0 : null) : integerId(conversation.adminAssigneeId),
      team_assignee_id: conversation.teamAssigneeId === null ? (view.plainText ? 0 : null) : integerId(conversation.teamAssigneeId),
      open: conversation.state === 'open',
      state: conversation.state,
      read: false,
      tags: { type: 'tag.list', tags: [] },
      priority: 'none',
      sla_applied: null,
      statistics: null,
      conversation_rating: null,
      teammates: null,
      title: null,
      custom_attributes: conversation.customAttributes,
      topics: {},
      ticket: null,
      linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
      ai_agent: null,
      ai_agent_participated: false,
      conversation_parts: {
        type: 'conversation_part.list',
        conversation_parts: view.parts.map((part) => ({
          type: 'conversation_part',
          id: part.id,
          part_type: part.partType,
          body: body(part),
          created_at: part.createdAt,
          updated_at: part.createdAt,
          notified_at: part.createdAt,
          assigned_to: part.assignedTo,
          author: author(part.author),
          attachments: [],
          external_id: null,
          redacted: false,
          metadata: {},
          email_message_metadata: null,
          app_package_code: null,
        })),
        total_count: view.parts.length,
      },
    };
  }

  private get(conversationId: string): FakeConversation {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new Error(`the fake has no conversation ${conversationId}`);
    return conversation;
  }

  private tick(): number {
    this.clock += 1;
    return this.clock;
  }
}
