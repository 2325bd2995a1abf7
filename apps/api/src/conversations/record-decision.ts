import type { AgentReply } from '@relai/answering';
import type { Metrics } from '../observability/metrics';

/** Counts a decision for Prometheus: one place, so both answer endpoints label it alike. */
export function recordDecision(metrics: Metrics, agentId: string, reply: AgentReply, latencyMs: number): void {
  metrics.recordDecision({
    agentId,
    action: reply.action,
    confidence: reply.confidence,
    escalationReason: reply.escalation?.reason ?? null,
    generatedBy: reply.generatedBy,
    latencyMs,
  });
}
