import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';

describe('createMetrics', () => {
  it('counts decisions and escalations and records confidence and duration per agent', async () => {
    const metrics = createMetrics();
    metrics.recordDecision({ agentId: 'support', action: 'answer', confidence: 0.82, escalationReason: null, generatedBy: 'extractive', latencyMs: 180 });
    metrics.recordDecision({ agentId: 'support', action: 'escalate', confidence: 0.2, escalationReason: 'low_confidence', generatedBy: 'template', latencyMs: 40 });
    const text = await metrics.render();
    expect(text).toContain('relai_decisions_total{agent="support",action="answer"} 1');
    expect(text).toContain('relai_decisions_total{agent="support",action="escalate"} 1');
    expect(text).toContain('relai_escalations_total{agent="support",reason="low_confidence"} 1');
    expect(text).not.toMatch(/relai_escalations_total\{[^}]*reason="null"/);
    expect(text).toContain('relai_answer_confidence_bucket{le="0.3",agent="support"} 1');
    expect(text).toContain('relai_answer_confidence_bucket{le="0.9",agent="support"} 2');
    expect(text).toContain('relai_answer_duration_seconds_sum{agent="support",generated_by="extractive"} 0.18');
  });

  it('keeps each instance on its own registry, with the process metrics', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.recordDecision({ agentId: 'a', action: 'answer', confidence: 1, escalationReason: null, generatedBy: 'extractive', latencyMs: 1 });
    expect(await second.render()).not.toContain('agent="a"');
    expect(await second.render()).toContain('process_cpu_user_seconds_total');
  });
});
