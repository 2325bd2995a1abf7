import { z } from 'zod';

const intercomErrorListSchema = z.object({
  type: z.literal('error.list'),
  errors: z.array(z.object({ code: z.string(), message: z.string().nullish() })).min(1),
});

/** Intercom errors are always `{type:"error.list", errors:[{code, message}]}`; keep the first one as the reason. */
export function describeIntercomError(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const result = intercomErrorListSchema.safeParse(parsed);
  if (!result.success) return undefined;
  return result.data.errors.map((error) => (error.message ? `${error.code}: ${error.message}` : error.code)).join('; ');
}
