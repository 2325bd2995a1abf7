import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, describeZodError } from './errors';

/** Parses a JSON body against a schema; anything else is a 4xx naming what is wrong. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>, options: { stripNul?: boolean } = {}): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new ApiError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON');
  }
  if (options.stripNul) body = withoutNul(body);
  return parseWith(schema, body);
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('invalid_request', describeZodError(parsed.error));
  return parsed.data;
}

/**
 * Customer text relayed by platforms may carry NUL characters, which Postgres text and jsonb cannot
 * hold: they are dropped rather than failing the customer's message.
 */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [withoutNul(key) as string, withoutNul(inner)]));
  return value;
}
