import { z } from 'zod';
import { ChannelPayloadError, jsonBody, type InboundRequest, type ParsedDelivery } from '../interface';
import { zendeskId, type ZendeskSettings } from './zendesk-settings';

/**
 * A customer comment on a ticket, as it travels in the job. The webhook says which comment; the
 * worker reads the ticket's comments from the API (the text, its author's role, the history), so
 * `text` is only a fallback for a comment the API does not list yet.
 */
export const zendeskTicketEventSchema = z.object({
  ticketId: z.string(),
  commentId: z.string(),
  authorId: z.string(),
  text: z.string().nullable(),
  requester: z.object({ id: z.string().optional(), name: z.string().optional(), email: z.string().optional() }).optional(),
  subject: z.string().optional(),
  via: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
export type ZendeskTicketEvent = z.output<typeof zendeskTicketEventSchema>;

export const COMMENT_ADDED_EVENT_TYPE = 'zen:event-type:ticket.comment_added';

/** A placeholder that renders nothing arrives as "": that is the absence of the value. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

/** Ids the worker cannot do without: the message says which placeholder to paste. */
const requiredId = (placeholder: string) =>
  z
    .union([z.string(), z.number()], { error: `missing: paste "${placeholder}"` })
    .transform((value) => String(value).trim())
    .pipe(z.string().regex(/^\d+$/, `expected a Zendesk id: paste "${placeholder}"`));

/**
 * The JSON body of the trigger's "Notify webhook" action (README, "Connect Zendesk"). Placeholders
 * render inside strings, so booleans and tags arrive as text ("false", "vip billing").
 */
const triggerPayloadSchema = z.object({
  ticket_id: requiredId('{{ticket.id}}'),
  comment_id: requiredId('{{ticket.latest_comment.id}}'),
  author_id: requiredId('{{ticket.latest_comment.author.id}}'),
  public: z.union([z.boolean(), z.string()]).optional(),
  comment: optionalText,
  requester: z.object({ id: optionalText, name: optionalText, email: optionalText }).optional(),
  subject: optionalText,
  via: optionalText,
  tags: z.union([z.string(), z.array(z.string())]).optional(),
});

/** Zendesk's own event webhook for `ticket.comment_added` (developer.zendesk.com, webhook ticket events). */
const commentAddedEventSchema = z.object({
  type: z.literal(COMMENT_ADDED_EVENT_TYPE),
  id: z.string(),
  detail: z.object({
    id: zendeskId,
    subject: z.string().nullish(),
    requester_id: zendeskId.nullish(),
    via: z.object({ channel: z.string().nullish() }).nullish(),
    tags: z.array(z.string()).nullish(),
  }),
  event: z.object({
    comment: z.object({
      id: zendeskId,
      body: z.string().nullish(),
      is_public: z.boolean().nullish(),
      author: z.object({ id: zendeskId, is_staff: z.boolean().nullish(), name: z.string().nullish() }),
    }),
  }),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

function splitTags(tags: string | string[] | undefined): string[] | undefined {
  if (tags === undefined) return undefined;
  const list = (Array.isArray(tags) ? tags : tags.split(/[\s,]+/)).map((tag) => tag.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

function withoutUndefined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

function parseTriggerPayload(body: unknown): { event: ZendeskTicketEvent | null; ignoredReason?: string } {
  const parsed = triggerPayloadSchema.safeParse(body);
  if (!parsed.success) throw new ChannelPayloadError(`Not a Relai Zendesk trigger payload: ${describeIssues(parsed.error)}`);
  const payload = parsed.data;
  if (payload.public === false || payload.public === 'false') return { event: null, ignoredReason: 'an internal note' };
  const requester = payload.requester && withoutUndefined(payload.requester);
  return {
    event: withoutUndefined({
      ticketId: payload.ticket_id,
      commentId: payload.comment_id,
      authorId: payload.author_id,
      text: payload.comment ?? null,
      requester: requester && Object.keys(requester).length ? requester : undefined,
      subject: payload.subject,
      via: payload.via,
      tags: splitTags(payload.tags),
    }),
  };
}

function parseCommentAddedEvent(body: unknown): { event: ZendeskTicketEvent | null; ignoredReason?: string } {
  const parsed = commentAddedEventSchema.safeParse(body);
  if (!parsed.success) throw new ChannelPayloadError(`Malformed ${COMMENT_ADDED_EVENT_TYPE} event: ${describeIssues(parsed.error)}`);
  const { detail, event } = parsed.data;
  if (event.comment.is_public === false) return { event: null, ignoredReason: 'an internal note' };
  if (event.comment.author.is_staff) return { event: null, ignoredReason: 'a comment by an agent' };
  return {
    event: withoutUndefined({
      ticketId: detail.id,
      commentId: event.comment.id,
      authorId: event.comment.author.id,
      text: event.comment.body ?? null,
      requester: detail.requester_id ? { id: detail.requester_id } : undefined,
      subject: detail.subject ?? undefined,
      via: detail.via?.channel ?? undefined,
      tags: detail.tags?.length ? detail.tags : undefined,
    }),
  };
}

/**
 * A Zendesk delivery: the trigger payload, or an event webhook subscribed to comment events.
 * Duplicates are recognised by X-Zendesk-Webhook-Invocation-Id (kept across Zendesk's retries), else
 * by the event id, else by ticket and comment. With the channel's `settings`, the AI agent's own
 * comments (the trigger fires on our updates too) are acknowledged and ignored, without a job.
 */
export function parseZendeskDelivery(request: InboundRequest, settings?: Pick<ZendeskSettings, 'agent_user_id'>): ParsedDelivery<ZendeskTicketEvent> {
  const parsed = parseZendeskBody(request);
  if (settings && parsed.event?.authorId === settings.agent_user_id) {
    return { deliveryId: parsed.deliveryId, event: null, ignoredReason: "the AI agent's own comment" };
  }
  return parsed;
}

function parseZendeskBody(request: InboundRequest): ParsedDelivery<ZendeskTicketEvent> {
  const body = jsonBody(request, 'The body is not JSON: check the trigger\'s JSON body (placeholders go inside quotes)');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ChannelPayloadError('The body must be a JSON object');
  const invocationId = request.headers['x-zendesk-webhook-invocation-id'] || null;

  const type = (body as { type?: unknown }).type;
  if (typeof type === 'string' && type.startsWith('zen:event-type:')) {
    if (type !== COMMENT_ADDED_EVENT_TYPE) return { deliveryId: invocationId, event: null, ignoredReason: `event ${type} is not handled` };
    const parsed = parseCommentAddedEvent(body);
    return { deliveryId: invocationId ?? (body as { id: string }).id, ...parsed };
  }
  const parsed = parseTriggerPayload(body);
  const fallbackId = parsed.event ? `ticket-${parsed.event.ticketId}-comment-${parsed.event.commentId}` : null;
  return { deliveryId: invocationId ?? fallbackId, ...parsed };
}
