import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context';

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
