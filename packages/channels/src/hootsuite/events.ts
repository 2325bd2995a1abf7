import { z } from 'zod';

/**
 * The webhook events a Hootsuite Inbox 2.0 VA acts on. Inbox 2.0's own event schema is not public:
 * this is the model we document and expect (ids may be strings or numbers; unknown fields are
 * dropped; unknown event types are acknowledged and skipped). A delivery is a batch (Hootsuite
 * batches every 5 s or 100 events): either a JSON array of events or `{"events": [...]}`.
 *
 *   { "seq_no": 1042, "type": "message.created", "created_at": "2024-05-01T10:00:00Z",
 *     "conversation": { "id": "c-81", "delegated_by": { "id": "agent-7" } },
 *     "message": { "id": "m-900", "text": "Comment réinitialiser mon mot de passe ?",
 *                  "author": { "type": "contact", "id": "ct-5", "name": "Camille", "email": "camille@example.fr" } } }
 *
 * - message.created: a message in a conversation the VA holds; only `author.type = "contact"` is answered.
 * - conversation.assigned: the VA received a conversation (inception, or delegated by the human in
 *   `conversation.delegated_by`); with `message`, the contact's latest message, which it answers.
 * - conversation.unassigned: the VA no longer holds it (a human took it over, another rule moved it).
 * - conversation.closed: resolved or closed by anyone.
 *
 * `seq_no` increases per VA webhook and identifies an event: a redelivered event is skipped.
 */

const idSchema = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).transform(String);

/** Digits, kept as a string: sequence numbers may exceed what a JSON number holds exactly. */
export const seqNoSchema = z.union([z.number().int().nonnegative().transform(String), z.string().regex(/^\d{1,30}$/, 'expected a non-negative integer')]);

const conversationSchema = z.object({
  id: idSchema,
  /** Delegation: the human who handed the conversation to the VA, for a handoff back. */
  delegated_by: z.object({ id: idSchema }).nullish(),
});

const messageSchema = z.object({
  id: idSchema,
  /** Absent for attachments only: nothing to answer. */
  text: z.string().nullish(),
  author: z.object({
    /** "contact", "agent", "virtual_agent"...: the VA's own messages come back as events too. */
    type: z.string(),
    id: idSchema.optional(),
    name: z.string().nullish(),
    email: z.string().nullish(),
  }),
});

const base = { seq_no: seqNoSchema, created_at: z.string().nullish(), conversation: conversationSchema };

export const hootsuiteEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('message.created'), message: messageSchema }),
  z.object({ ...base, type: z.literal('conversation.assigned'), message: messageSchema.nullish() }),
  z.object({ ...base, type: z.literal('conversation.unassigned') }),
  z.object({ ...base, type: z.literal('conversation.closed'), status: z.string().nullish() }),
]);

export type HootsuiteEvent = z.output<typeof hootsuiteEventSchema>;
export type HootsuiteMessage = z.output<typeof messageSchema>;
export type HootsuiteEventType = HootsuiteEvent['type'];
export const HOOTSUITE_EVENT_TYPES: readonly HootsuiteEventType[] = ['message.created', 'conversation.assigned', 'conversation.unassigned', 'conversation.closed'];

/** What travels in the job: the events of one delivery that the VA acts on, in seq_no order. */
export const hootsuiteBatchSchema = z.array(hootsuiteEventSchema).min(1);
export type HootsuiteBatch = HootsuiteEvent[];

/** A contact's message, the only kind the VA answers. */
export function isFromContact(message: HootsuiteMessage | null | undefined): message is HootsuiteMessage & { text: string } {
  return message?.author.type === 'contact' && typeof message.text === 'string' && message.text.trim() !== '';
}
