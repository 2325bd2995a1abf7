import { z } from 'zod';
import type { JobDefinition } from '@relai/queue';

/** Closes sessions whose lifetime passed, so that metrics see them as finished. Scheduled every few minutes. */
export const expireSessionsJob: JobDefinition<Record<string, never>> = {
  name: 'expire-sessions',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  retry: { attempts: 3, backoffMs: 10_000 },
};

export const EXPIRE_SESSIONS_EVERY_MS = 5 * 60_000;
