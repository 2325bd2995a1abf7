import { FakeHttpServer, type Fault, type FakeResponse, type RecordedRequest } from '@relai/sources/testing';

/**
 * A local Zendesk Ticketing API for the email channel, with the documented shapes
 * (developer.zendesk.com/api-reference/ticketing/tickets): `GET /api/v2/tickets/{id}/comments`
 * (`sort_order`, `per_page` ≤ 100, `include=users` sideloads the authors) and `PUT /api/v2/tickets/{id}`
 * (`{ticket: {comment: {body | html_body, public}, status, group_id}}` → `{ticket, audit}`), API token
 * (`{email}/token:{api_token}`) or OAuth auth, 404 `RecordNotFound`, 422 `RecordInvalid`. Served by
 * a FakeHttpServer: requests are recorded with their bodies (`json` decoded), faults are scriptable.
 */

export interface FakeZendeskUser {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
}

export interface FakeZendeskComment {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  created_at: string;
  via: { channel: string };
}

export interface FakeZendeskTicket {
  id: number;
  subject: string;
  requester_id: number;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  group_id: number | null;
  comments: FakeZendeskComment[];
}

/** A request as the fake received it: `json` is the decoded body (undefined without one). */
export type FakeZendeskRequest = RecordedRequest;

export interface FakeZendeskCredentials {
  email: string;
  apiToken: string;
  oauthToken?: string;
  /** The user the credentials belong to: the author of the comments the API adds. */
  agentUserId: number;
}

const TICKET_PATH = /^\/api\/v2\/tickets\/(\d+)(?:\.json)?$/;
const COMMENTS_PATH = /^\/api\/v2\/tickets\/(\d+)\/comments(?:\.json)?$/;
const STATUSES = new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']);
const MAX_PER_PAGE = 100;

const notFound: FakeResponse = { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };
const invalid = (description: string): FakeResponse => ({ status: 422, json: { error: 'RecordInvalid', description, details: {} } });

/** Matches `PUT /api/v2/tickets/{id}`, of one ticket or of any. */
export function isTicketUpdate(ticketId?: number): (request: FakeZendeskRequest) => boolean {
  return (request) => {
    const id = TICKET_PATH.exec(request.url.pathname)?.[1];
    return request.method === 'PUT' && id !== undefined && (ticketId === undefined || id === String(ticketId));
  };
}

/** Matches `GET /api/v2/tickets/{id}/comments`, of one ticket or of any. */
export function isCommentsList(ticketId?: number): (request: FakeZendeskRequest) => boolean {
  return (request) => {
    const id = COMMENTS_PATH.exec(request.url.pathname)?.[1];
    return request.method === 'GET' && id !== undefined && (ticketId === undefined || id === String(ticketId));
  };
}

const stripTags = (html: string) => html.replace(/<br\s*\/?>|<\/(?:p|li)>/gi, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class FakeZendeskPlatform {
  readonly users = new Map<number, FakeZendeskUser>();
  readonly tickets = new Map<number, FakeZendeskTicket>();
  private nextTicketId = 1001;
  private nextCommentId = 54509363035001;
  private nextAuditId = 7001;

  private constructor(
    private readonly server: FakeHttpServer,
    readonly credentials: FakeZendeskCredentials,
  ) {}

  static async start(credentials: FakeZendeskCredentials): Promise<FakeZendeskPlatform> {
    let fake: FakeZendeskPlatform | undefined;
    const server = await FakeHttpServer.start((request) => fake!.route(request));
    fake = new FakeZendeskPlatform(server, credentials);
    fake.users.set(credentials.agentUserId, { id: credentials.agentUserId, name: 'Agent IA', email: credentials.email, role: 'agent' });
    return fake;
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /** Every request received, in order, faults included. */
  get requests(): readonly FakeZendeskRequest[] {
    return this.server.requests;
  }

  addUser(user: FakeZendeskUser): FakeZendeskUser {
    this.users.set(user.id, user);
    return user;
  }

  /** A new email ticket: the requester's first email is its first comment. */
  openTicket(requester: FakeZendeskUser, subject: string, body: string): { ticket: FakeZendeskTicket; comment: FakeZendeskComment } {
    this.addUser(requester);
    const ticket: FakeZendeskTicket = { id: this.nextTicketId++, subject, requester_id: requester.id, status: 'new', group_id: null, comments: [] };
    this.tickets.set(ticket.id, ticket);
    return { ticket, comment: this.addComment(ticket.id, requester.id, body) };
  }

  /** A comment as an email reply (or an agent in the UI) adds it; a customer's reopens the ticket. */
  addComment(ticketId: number, authorId: number, body: string, options: { public?: boolean; html?: string } = {}): FakeZendeskComment {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) throw new Error(`no ticket ${ticketId}`);
    const comment: FakeZendeskComment = {
      id: this.nextCommentId++,
      type: 'Comment',
      author_id: authorId,
      body,
      html_body: options.html ?? `<div class="zd-comment"><p>${escapeHtml(body).replace(/\n/g, '<br>')}</p></div>`,
      plain_body: options.html ? stripTags(options.html) : body,
      public: options.public ?? true,
      created_at: new Date(Date.UTC(2026, 10, 21, 9, 0, ticket.comments.length)).toISOString().replace('.000Z', 'Z'),
      via: { channel: this.users.get(authorId)?.role === 'end-user' ? 'email' : 'api' },
    };
    ticket.comments.push(comment);
    if (this.users.get(authorId)?.role === 'end-user' && ticket.status !== 'new') ticket.status = 'open';
    return comment;
  }

  /** The next `times` requests that match get `fault` instead of the normal answer. */
  inject(matches: (request: FakeZendeskRequest) => boolean, fault: Fault, times = 1): void {
    this.server.inject(matches, fault, times);
  }

  /** The comments the API added to a ticket (the AI agent's), oldest first. */
  commentsAdded(ticketId: number): FakeZendeskComment[] {
    return (this.tickets.get(ticketId)?.comments ?? []).filter((comment) => comment.author_id === this.credentials.agentUserId);
  }

  requestsMatching(matches: (request: FakeZendeskRequest) => boolean): FakeZendeskRequest[] {
    return this.requests.filter(matches);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Injected faults are answered by the server before this. */
  private route(request: FakeZendeskRequest): FakeResponse {
    if (!this.authorized(request.headers.authorization)) return { status: 401, json: { error: "Couldn't authenticate you" } };
    let match: RegExpExecArray | null;
    if (request.method === 'GET' && (match = COMMENTS_PATH.exec(request.url.pathname))) return this.listComments(Number(match[1]), request.url);
    if (request.method === 'PUT' && (match = TICKET_PATH.exec(request.url.pathname))) return this.updateTicket(Number(match[1]), request.json);
    return notFound;
  }

  private authorized(header: string | undefined): boolean {
    const { email, apiToken, oauthToken } = this.credentials;
    return header === `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}` || (oauthToken !== undefined && header === `Bearer ${oauthToken}`);
  }

  private listComments(ticketId: number, url: URL): FakeResponse {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return notFound;
    const perPage = Math.min(MAX_PER_PAGE, Number(url.searchParams.get('per_page') ?? MAX_PER_PAGE));
    const ordered = url.searchParams.get('sort_order') === 'desc' ? [...ticket.comments].reverse() : ticket.comments;
    const comments = ordered.slice(0, perPage);
    const json: Record<string, unknown> = { comments, next_page: ordered.length > perPage ? `${this.baseUrl}${url.pathname}?page=2&per_page=${perPage}` : null, previous_page: null, count: ticket.comments.length };
    if (url.searchParams.get('include')?.split(',').includes('users')) {
      json.users = [...new Set(comments.map((comment) => comment.author_id))].flatMap((id) => {
        const user = this.users.get(id);
        return user ? [user] : [];
      });
    }
    return { json };
  }

  private updateTicket(ticketId: number, body: unknown): FakeResponse {
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return notFound;
    const update = (body as { ticket?: { comment?: { body?: unknown; html_body?: unknown; public?: unknown }; status?: unknown; group_id?: unknown } } | null)?.ticket;
    if (!update || typeof update !== 'object') return { status: 400, json: { error: 'InvalidEndpoint', description: 'expected {"ticket": {...}}' } };
    if (update.status !== undefined && !STATUSES.has(String(update.status))) return invalid(`Status: ${String(update.status)} is not valid`);
    if (update.group_id !== undefined && typeof update.group_id !== 'number') return invalid('Group: is invalid');
    const events: unknown[] = [];
    if (update.comment) {
      const { body: text, html_body: html } = update.comment;
      if (typeof text !== 'string' && typeof html !== 'string') return invalid('Comment: cannot be blank');
      const comment = this.addComment(ticketId, this.credentials.agentUserId, typeof text === 'string' ? text : stripTags(html as string), {
        public: update.comment.public !== false,
        ...(typeof html === 'string' ? { html } : {}),
      });
      events.push({ id: comment.id, type: 'Comment', public: comment.public, body: comment.body, html_body: comment.html_body });
    }
    if (update.status !== undefined) ticket.status = update.status as FakeZendeskTicket['status'];
    if (update.group_id !== undefined) ticket.group_id = update.group_id as number;
    const { comments: _comments, ...ticketJson } = ticket;
    return { json: { ticket: ticketJson, audit: { id: this.nextAuditId++, ticket_id: ticketId, author_id: this.credentials.agentUserId, events } } };
  }
}
