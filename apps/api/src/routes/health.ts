import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../context';
import { errorBodySchema } from '../errors';
import type { Operation } from '../openapi/operation';

/** /healthz: the process answers. /readyz: its dependencies answer too (load balancers route on it). */
export function healthRoutes(deps: AppDeps) {
  const checks: Array<{ name: string; check: () => Promise<unknown> }> = [
    { name: 'database', check: () => deps.db.query('SELECT 1') },
  ];
  if (deps.queue.backend === 'bullmq') checks.push({ name: 'redis', check: () => deps.queue.ping() });

  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const results = await Promise.all(
        checks.map(async ({ name, check }) => {
          try {
            await withTimeout(check(), 2_000);
            return [name, { ok: true }] as const;
          } catch (error) {
            return [name, { ok: false, error: (error as Error).message }] as const;
          }
        }),
      );
      const failed = results.filter(([, result]) => !result.ok).map(([name]) => name);
      const body = { status: failed.length ? 'not_ready' : 'ready', checks: Object.fromEntries(results) };
      if (failed.length) {
        return c.json({ ...body, error: { code: 'not_ready', message: `Unreachable: ${failed.join(', ')}` } }, 503);
      }
      return c.json(body);
    });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

const readinessChecks = z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })).meta({
  description: 'Each dependency (database, and redis with REDIS_URL): whether it answered within 2 s, and if not why',
});

export const healthOperations: Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getLiveness',
    summary: 'The process answers',
    tags: ['Operations'],
    auth: 'none',
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'The process and its dependencies answer',
    description: 'Load balancers route on it: 503 while the database (or Redis) does not answer.',
    tags: ['Operations'],
    auth: 'none',
    responses: {
      200: { description: 'Ready', schema: z.object({ status: z.literal('ready'), checks: readinessChecks }) },
      503: {
        description: '`not_ready`: a dependency does not answer; the message names it',
        schema: z.object({ status: z.literal('not_ready'), checks: readinessChecks, error: errorBodySchema.shape.error }),
      },
    },
  },
];
