import type { Context, MiddlewareHandler } from 'hono';
import { METHOD_NAME_ALL } from 'hono/router';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../context';
import type { Metrics } from '../observability/metrics';

/** Counts and times every request, labelled by the route that served it. */
export function httpMetrics(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    metrics.observeRequest({ method: c.req.method, route: routePattern(c), status: c.res.status, seconds: (performance.now() - startedAt) / 1000 });
  };
}

/**
 * The pattern of the endpoint matching the request, even when a middleware answered first (401, 413):
 * the last matched route that is not a middleware. Requests no endpoint matches share one label.
 */
function routePattern(c: Context): string {
  return matchedRoutes(c).findLast((route) => route.method !== METHOD_NAME_ALL)?.path ?? 'unmatched';
}
