import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, describeZodError } from './errors';

/** Parses a JSON body against a schema; anything else is a 4xx naming what is wrong. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new ApiError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError('invalid_request', 'The body is not valid JSON');
  }
  return parseWith(schema, body);
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('invalid_request', describeZodError(parsed.error));
  return parsed.data;
}
