import crypto from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps, AppEnv } from './context';
import { ApiError, errorBody, sendError } from './errors';
import { httpMetrics } from './middleware/http-metrics';
import { apiOperations, apiTags } from './openapi/operations';
import { agentMetricsRoutes } from './routes/agent-metrics';
import { agentRoutes } from './routes/agents';
import { answerRoutes } from './routes/answer';
import { channelRoutes } from './routes/channels';
import { integrationDeliveryRoutes } from './routes/integration-deliveries';
import { conversationRoutes } from './routes/conversations';
import { apiReferenceRoutes } from './routes/api-reference';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { searchRoutes } from './routes/search';
import { sourceRoutes } from './routes/sources';
import { webhookRoutes } from './routes/webhooks';

/** Bodies above this are refused before parsing (webhooks with full articles stay well below). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? crypto.randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    const startedAt = performance.now();
    await next();
    deps.logger.debug('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - startedAt),
    });
  });
  app.use('*', httpMetrics(deps.metrics));
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(errorBody('payload_too_large', `The body exceeds ${MAX_BODY_BYTES} bytes`), 413),
    }),
  );

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/', apiReferenceRoutes(apiOperations, { serverUrl: deps.config.http.publicUrl, tags: apiTags, maxBodyBytes: MAX_BODY_BYTES }));
  app.route('/', webhookRoutes(deps));
  app.route('/', sourceRoutes(deps));
  app.route('/', searchRoutes(deps));
  app.route('/', agentRoutes(deps));
  app.route('/', conversationRoutes(deps));
  app.route('/', answerRoutes(deps));
  app.route('/', agentMetricsRoutes(deps));
  app.route('/', channelRoutes(deps));
  app.route('/', integrationDeliveryRoutes(deps));

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return sendError(c, error);
    deps.logger.error('unhandled error', { requestId: c.get('requestId'), path: c.req.path, error });
    return c.json(errorBody('internal_error', 'Something went wrong on our side; the request id is in the x-request-id header'), 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
