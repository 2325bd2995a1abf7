import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One agent decision, as the conversation code reports it. Label values must come from small fixed sets. */
export interface DecisionRecord {
  agentId: string;
  action: string;
  confidence: number;
  /** A reason code (`low_confidence`), never free text: each value becomes a series. */
  escalationReason: string | null;
  generatedBy: string;
  latencyMs: number;
}

export interface HttpRequestRecord {
  method: string;
  /** The route pattern (`/v1/sources/:sourceId`), never the raw path: ids would make a series each. */
  route: string;
  status: number;
  seconds: number;
}

const CONFIDENCE_BUCKETS = Array.from({ length: 10 }, (_, index) => (index + 1) / 10);

/**
 * The process's Prometheus metrics on a registry of its own (not prom-client's global one), so that
 * several apps in one process, as in tests, never register the same metric twice.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const decisions = new Counter({
    name: 'relai_decisions_total',
    help: 'Agent decisions by agent and action (answer, suggest, clarify, escalate, ignore)',
    labelNames: ['agent', 'action'] as const,
    registers,
  });
  const escalations = new Counter({
    name: 'relai_escalations_total',
    help: 'Conversations handed to a human, by agent and reason',
    labelNames: ['agent', 'reason'] as const,
    registers,
  });
  const confidence = new Histogram({
    name: 'relai_answer_confidence',
    help: 'Confidence of each agent decision',
    labelNames: ['agent'] as const,
    buckets: CONFIDENCE_BUCKETS,
    registers,
  });
  const answerDuration = new Histogram({
    name: 'relai_answer_duration_seconds',
    help: 'Time to decide and write a reply, by agent and how the reply was written (a chat model is much slower)',
    labelNames: ['agent', 'generated_by'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30],
    registers,
  });

  return {
    contentType: registry.contentType,
    /** The Prometheus text exposition of every metric. */
    render: (): Promise<string> => registry.metrics(),

    observeRequest({ method, route, status, seconds }: HttpRequestRecord): void {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },

    recordDecision({ agentId, action, confidence: value, escalationReason, generatedBy, latencyMs }: DecisionRecord): void {
      decisions.inc({ agent: agentId, action });
      if (escalationReason !== null) escalations.inc({ agent: agentId, reason: escalationReason });
      confidence.observe({ agent: agentId }, value);
      answerDuration.observe({ agent: agentId, generated_by: generatedBy }, latencyMs / 1000);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
