import type { Retrieval } from '@relai/retrieval';

export type Action = 'answer' | 'suggest' | 'clarify' | 'escalate' | 'ignore';

export interface Thresholds {
  /** At or above: answer the customer directly. */
  answer: number;
  /** Below: hand over to a human. Between the two: suggest to a human, or ask to clarify. */
  escalate: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { answer: 0.75, escalate: 0.4 };

export interface Decision {
  action: Action;
  reasons: string[];
}

/**
 * Confidence decides between answering, involving a human and escalating. In the middle band, two or
 * more articles that score alike mean the question is ambiguous between them: ask which one.
 */
export function decideFromConfidence(retrieval: Retrieval, thresholds: Thresholds = DEFAULT_THRESHOLDS): Decision {
  const { confidence, candidates } = retrieval;
  const pct = (value: number) => value.toFixed(2);
  if (!candidates.length) return { action: 'escalate', reasons: ['no article matches the question'] };
  if (confidence >= thresholds.answer) return { action: 'answer', reasons: [`confidence ${pct(confidence)} >= ${pct(thresholds.answer)}`] };
  if (confidence < thresholds.escalate) return { action: 'escalate', reasons: [`low confidence ${pct(confidence)} < ${pct(thresholds.escalate)}`] };
  const [first, second] = candidates;
  const close = second !== undefined && first !== undefined && second.fusedScore >= first.fusedScore * 0.9 && second.coverage >= first.coverage * 0.8;
  if (close) return { action: 'clarify', reasons: [`confidence ${pct(confidence)}; "${first.title}" and "${second.title}" match alike`] };
  return { action: 'suggest', reasons: [`confidence ${pct(confidence)} between ${pct(thresholds.escalate)} and ${pct(thresholds.answer)}`] };
}
