import { z } from 'zod';
import { expectShape, requestJson, SourceHttpError, type HttpPolicy } from '@relai/sources';
import { describeZendeskError } from '@relai/sources';
import { platformError } from '../errors';
import { ZendeskTicketNotFoundError } from './zendesk-errors';

export type ZendeskAuth = { email: string; apiToken: string } | { oauthToken: string };

const commentSchema = z.object({
  id: z.number(),
  author_id: z.number(),
  body: z.string().nullish(),
  plain_body: z.string().nullish(),
  public: z.boolean(),
  created_at: z.string().nullish(),
});
const userSchema = z.object({ id: z.number(), name: z.string().nullish(), email: z.string().nullish(), role: z.string().nullish() });
const commentsPageSchema = z.object({ comments: z.array(commentSchema), users: z.array(userSchema).nullish() });
const updatedTicketSchema = z.object({ ticket: z.object({ id: z.number(), status: z.string().nullish() }), audit: z.object({ id: z.number() }).nullish() });

export interface ZendeskComment {
  id: string;
  authorId: string;
  /** Plain text (Zendesk's plain_body, else body). */
  text: string;
  public: boolean;
}

export interface ZendeskUser {
  id: string;
  name?: string;
  email?: string;
  /** "end-user", "agent" or "admin". */
  role?: string;
}

export interface TicketThread {
  /** Oldest first. */
  comments: ZendeskComment[];
  users: Map<string, ZendeskUser>;
}

/** One ticket update: a comment (public reply or internal note), and optionally a status and a group. */
export interface TicketUpdate {
  comment: { body?: string; html_body?: string; public: boolean };
  status?: 'open' | 'pending' | 'solved';
  group_id?: number;
}

function authorization(auth: ZendeskAuth): string {
  if ('oauthToken' in auth) return `Bearer ${auth.oauthToken}`;
  return `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`).toString('base64')}`;
}

function optional(value: string | null | undefined): string | undefined {
  return value ?? undefined;
}

/**
 * The two Ticketing API calls an email channel needs, with the shared retry policy (429 Retry-After,
 * 5xx). A 404 throws ZendeskTicketNotFoundError; other failures retrying cannot fix (401/403
 * credentials, 400/422 a refused update) throw ChannelPermanentError, so the job fails once.
 */
export class ZendeskTicketsClient {
  private readonly policy: HttpPolicy;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    auth: ZendeskAuth,
    policy: HttpPolicy,
  ) {
    this.policy = { ...policy, describeErrorBody: describeZendeskError };
    this.headers = { Authorization: authorization(auth), Accept: 'application/json' };
  }

  /** The latest `count` comments (newest first from the API, returned oldest first) and their authors. */
  async recentComments(ticketId: string, count: number): Promise<TicketThread> {
    const url = new URL(`${this.baseUrl}/api/v2/tickets/${encodeURIComponent(ticketId)}/comments.json`);
    url.searchParams.set('sort_order', 'desc');
    url.searchParams.set('per_page', String(count));
    url.searchParams.set('include', 'users');
    const page = await this.call(ticketId, commentsPageSchema, url.toString(), { headers: this.headers });
    return {
      comments: page.comments
        .map((comment) => ({
          id: String(comment.id),
          authorId: String(comment.author_id),
          text: comment.plain_body ?? comment.body ?? '',
          public: comment.public,
        }))
        .reverse(),
      users: new Map(
        (page.users ?? []).map((user) => [String(user.id), { id: String(user.id), name: optional(user.name), email: optional(user.email), role: optional(user.role) }]),
      ),
    };
  }

  async updateTicket(ticketId: string, update: TicketUpdate): Promise<{ auditId: number | null }> {
    const url = `${this.baseUrl}/api/v2/tickets/${encodeURIComponent(ticketId)}.json`;
    const response = await this.call(ticketId, updatedTicketSchema, url, {
      method: 'PUT',
      headers: { ...this.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticket: update }),
    });
    return { auditId: response.audit?.id ?? null };
  }

  private async call<Schema extends z.ZodType>(ticketId: string, schema: Schema, url: string, init: RequestInit): Promise<z.output<Schema>> {
    try {
      const response = await requestJson(url, init, this.policy);
      return expectShape(schema, response.data, url, response.status);
    } catch (error) {
      if (error instanceof SourceHttpError && error.status === 404) throw new ZendeskTicketNotFoundError(ticketId, error);
      throw platformError('zendesk', error);
    }
  }
}
