import { z } from 'zod';

/**
 * Every Inbox API call the VA makes, in one place, because the API is not publicly documented:
 * these are our assumptions, each overridable per channel (settings.endpoints) as "METHOD /path"
 * with {conversation_id} and {contact_id} placeholders, relative to settings.api_base_url.
 * Requests carry `Authorization: Bearer <api_token>` and a JSON body:
 *
 * - send_message            {text}                                   a message to the contact
 * - add_note                {text}                                   an internal note for humans
 * - transfer                {to: "new" | "previous_agent", agent_id?, team_id?}   hand off
 * - resolve                 {}                                       mark resolved
 * - apply_topics            {topic_ids: string[]}
 * - set_contact_attributes  {attributes: {name: value}}
 */
export const DEFAULT_ENDPOINTS = {
  send_message: 'POST /conversations/{conversation_id}/messages',
  add_note: 'POST /conversations/{conversation_id}/notes',
  transfer: 'POST /conversations/{conversation_id}/transfer',
  resolve: 'POST /conversations/{conversation_id}/resolve',
  apply_topics: 'POST /conversations/{conversation_id}/topics',
  set_contact_attributes: 'PATCH /contacts/{contact_id}/attributes',
} as const;

export type InboxOperation = keyof typeof DEFAULT_ENDPOINTS;

const PLACEHOLDERS = ['conversation_id', 'contact_id'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

const templateSchema = z
  .string()
  .trim()
  .regex(/^(POST|PUT|PATCH) \/\S*$/, 'expected "METHOD /path" with METHOD one of POST, PUT, PATCH')
  .refine((template) => [...template.matchAll(/\{([^}]*)\}/g)].every((match) => (PLACEHOLDERS as readonly string[]).includes(match[1]!)), {
    message: `placeholders are ${PLACEHOLDERS.map((name) => `{${name}}`).join(' and ')}`,
  });

export const endpointTemplatesSchema = z.object(
  Object.fromEntries(Object.entries(DEFAULT_ENDPOINTS).map(([operation, template]) => [operation, templateSchema.default(template)])) as {
    [Operation in InboxOperation]: z.ZodDefault<typeof templateSchema>;
  },
);

export type EndpointTemplates = z.output<typeof endpointTemplatesSchema>;

export interface ResolvedEndpoint {
  method: string;
  url: string;
}

/** The method and absolute URL of one call; placeholder values are path-encoded. */
export function resolveEndpoint(baseUrl: string, templates: EndpointTemplates, operation: InboxOperation, values: Partial<Record<Placeholder, string>>): ResolvedEndpoint {
  const [method, path] = templates[operation].split(' ') as [string, string];
  const filled = path.replace(/\{([^}]*)\}/g, (_, name: Placeholder) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the ${operation} endpoint needs {${name}}`);
    return encodeURIComponent(value);
  });
  return { method, url: `${baseUrl}${filled}` };
}
