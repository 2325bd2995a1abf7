import { Hono } from 'hono';
import { z } from 'zod';
import { agentMetrics } from '@relai/conversations';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import type { Operation } from '../openapi/operation';
import { requireAgentAccess, requireToken } from '../middleware/auth';
import { parseWith } from '../validation';

const DAY_MS = 24 * 60 * 60_000;

export const agentMetricsQuery = z.object({
  /** ISO date or date-time; default: 30 days before `to`. */
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  /** ISO date or date-time, exclusive; default: now. */
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

/** Conversations, auto-resolution, escalations by reason, first-response time and confidence for a period. */
export function agentMetricsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/v1/agents/:agentId/metrics', requireToken(deps.db), requireAgentAccess(deps.db), async (c) => {
    const agent = c.get('agent');
    const query = parseWith(agentMetricsQuery, c.req.query());
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw new ApiError('invalid_request', 'from: must be before to');
    if (to.getTime() - from.getTime() > 366 * DAY_MS) throw new ApiError('invalid_request', 'from: the period is at most 366 days');
    const report = await agentMetrics(deps.db, { tenantId: agent.tenantId, agentId: agent.id, from, to });
    return c.json({
      agent_id: agent.id,
      from: report.from,
      to: report.to,
      conversations: report.conversations,
      customer_messages: report.customerMessages,
      decisions: report.decisions,
      auto_resolution_rate: report.autoResolutionRate,
      escalation_rate: report.escalationRate,
      escalations_by_reason: report.escalationsByReason,
      first_response_ms: report.firstResponseMs,
      confidence_histogram: report.confidenceHistogram,
      mean_confidence: report.meanConfidence,
    });
  });
}

export const agentMetricsOperations: Operation[] = [
  {
    method: 'get',
    path: '/v1/agents/{agentId}/metrics',
    operationId: 'agentMetrics',
    summary: 'An agent’s results over a period',
    description:
      'Sessions started in [from, to): count, auto-resolution rate (answered with a cited article, never handed to a human), ' +
      'escalation rate and escalations by reason, first-response time, decisions by action and the confidence distribution.',
    tags: ['Conversations'],
    auth: 'agent',
    params: z.object({ agentId: z.string().meta({ description: 'The AI agent’s id' }) }),
    query: agentMetricsQuery,
    responses: {
      200: {
        description: 'The report',
        schema: z.object({
          agent_id: z.string(),
          from: z.string(),
          to: z.string(),
          conversations: z.number().int(),
          customer_messages: z.number().int(),
          decisions: z.record(z.string(), z.number().int()),
          auto_resolution_rate: z.number().nullable(),
          escalation_rate: z.number().nullable(),
          escalations_by_reason: z.record(z.string(), z.number().int()),
          first_response_ms: z.object({ p50: z.number(), p95: z.number(), mean: z.number() }).nullable(),
          confidence_histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
          mean_confidence: z.number().nullable(),
        }),
      },
    },
    errors: { not_found: 'No such agent, or the token belongs to another agent' },
  },
];
