import crypto from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import type { Operation } from '../openapi/operation';

/** Prometheus scraping. Open by default (an internal port); METRICS_TOKEN closes it to everyone else. */
export function metricsRoutes(deps: AppDeps) {
  const token = deps.config.metricsToken;
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    if (token !== null && !sendsToken(c.req.header('authorization'), token)) {
      throw new ApiError('unauthorized', 'Send the METRICS_TOKEN as "Authorization: Bearer <token>"');
    }
    return c.body(await deps.metrics.render(), 200, { 'Content-Type': deps.metrics.contentType });
  });
}

function sendsToken(header: string | undefined, token: string): boolean {
  const sent = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(sent), digest(token));
}

export const metricsOperations: Operation[] = [
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'HTTP requests and durations by route pattern, agent decisions, escalations, answer confidence and duration, and the process’s ' +
      'CPU, memory and event loop, in the Prometheus text format. Open unless METRICS_TOKEN is set.',
    tags: ['Operations'],
    auth: 'metrics',
    responses: {
      200: {
        description: 'Every metric',
        contentType: 'text/plain; version=0.0.4',
        schema: z.string().meta({ description: 'Prometheus text exposition format' }),
      },
    },
  },
];
