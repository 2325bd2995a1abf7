import type { Queryable } from '@relai/db';

/** An agent's activity over a period, for the support team's dashboard (GET /v1/agents/{id}/metrics). */
export interface AgentMetricsReport {
  from: string;
  to: string;
  /** Sessions started in the period. */
  conversations: number;
  customerMessages: number;
  decisions: Record<'answer' | 'suggest' | 'clarify' | 'escalate' | 'ignore', number>;
  /** Sessions the agent answered (with a cited article) and never handed to a human, over all sessions. */
  autoResolutionRate: number | null;
  /** Sessions handed over to a human (escalated), over all sessions. */
  escalationRate: number | null;
  escalationsByReason: Record<string, number>;
  /** From a session's first customer message to the agent's first reply. */
  firstResponseMs: { p50: number; p95: number; mean: number } | null;
  /** Confidence of the decisions in tenths: [0, 0.1), [0.1, 0.2) ... [0.9, 1]. */
  confidenceHistogram: Array<{ from: number; to: number; count: number }>;
  meanConfidence: number | null;
}

export async function agentMetrics(db: Queryable, input: { tenantId: string; agentId: string; from: Date; to: Date }): Promise<AgentMetricsReport> {
  const params = [input.tenantId, input.agentId, input.from, input.to];
  const sessions = await db.query<{
    conversations: number;
    resolved: number;
    escalated: number;
    p50: number | null;
    p95: number | null;
    mean: number | null;
  }>(
    `WITH period AS (
       SELECT c.id, c.status FROM conversations c
       WHERE c.tenant_id = $1 AND c.agent_id = $2 AND c.started_at >= $3 AND c.started_at < $4
     ),
     per_session AS (
       SELECT p.id, p.status,
              bool_or(m.action = 'answer' AND jsonb_array_length(coalesce(m.decision->'citations', '[]')) > 0) AS answered,
              bool_or(m.action IN ('escalate', 'suggest')) AS human,
              min(m.created_at) FILTER (WHERE m.role = 'user') AS first_customer,
              min(m.created_at) FILTER (WHERE m.role = 'agent') AS first_agent
       FROM period p LEFT JOIN messages m ON m.conversation_id = p.id
       GROUP BY p.id, p.status
     ),
     response AS (
       SELECT extract(epoch FROM first_agent - first_customer) * 1000 AS ms FROM per_session
       WHERE first_agent >= first_customer
     )
     SELECT (SELECT count(*) FROM per_session)::int AS conversations,
            (SELECT count(*) FROM per_session WHERE answered AND NOT coalesce(human, false) AND status <> 'escalated')::int AS resolved,
            (SELECT count(*) FROM per_session WHERE status = 'escalated' OR id IN (SELECT conversation_id FROM messages WHERE action = 'escalate'))::int AS escalated,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM response)::float8 AS p50,
            (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) FROM response)::float8 AS p95,
            (SELECT avg(ms) FROM response)::float8 AS mean`,
    params,
  );
  const decisions = await db.query<{ action: keyof AgentMetricsReport['decisions']; count: number; reason: string | null; bucket: number | null; confidence_sum: number | null }>(
    `SELECT m.action, m.decision->'escalation'->>'reason' AS reason, least(floor(m.confidence * 10), 9)::int AS bucket, count(*)::int AS count, sum(m.confidence)::float8 AS confidence_sum
     FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.tenant_id = $1 AND c.agent_id = $2 AND m.role = 'agent' AND m.created_at >= $3 AND m.created_at < $4
     GROUP BY 1, 2, 3`,
    params,
  );
  const customer = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.tenant_id = $1 AND c.agent_id = $2 AND m.role = 'user' AND m.created_at >= $3 AND m.created_at < $4`,
    params,
  );

  const counts = { answer: 0, suggest: 0, clarify: 0, escalate: 0, ignore: 0 };
  const byReason: Record<string, number> = {};
  const histogram = Array.from({ length: 10 }, (_, index) => ({ from: index / 10, to: (index + 1) / 10, count: 0 }));
  let confidenceSum = 0;
  let confidenceCount = 0;
  for (const row of decisions.rows) {
    counts[row.action] += row.count;
    if (row.action === 'escalate') byReason[row.reason ?? 'unknown'] = (byReason[row.reason ?? 'unknown'] ?? 0) + row.count;
    // `ignore` turns were not the agent's call on the question (a human has the conversation, or a rule said so).
    if (row.action !== 'ignore' && row.bucket !== null) {
      histogram[row.bucket]!.count += row.count;
      confidenceSum += row.confidence_sum ?? 0;
      confidenceCount += row.count;
    }
  }
  const summary = sessions.rows[0]!;
  const rate = (part: number) => (summary.conversations ? round(part / summary.conversations) : null);
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    conversations: summary.conversations,
    customerMessages: customer.rows[0]!.count,
    decisions: counts,
    autoResolutionRate: rate(summary.resolved),
    escalationRate: rate(summary.escalated),
    escalationsByReason: byReason,
    firstResponseMs:
      summary.p50 === null || summary.p95 === null || summary.mean === null
        ? null
        : { p50: Math.round(summary.p50), p95: Math.round(summary.p95), mean: Math.round(summary.mean) },
    confidenceHistogram: histogram,
    meanConfidence: confidenceCount ? round(confidenceSum / confidenceCount) : null,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
