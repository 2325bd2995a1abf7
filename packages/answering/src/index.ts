export { decideFromConfidence, DEFAULT_THRESHOLDS } from './decide';
export type { Action, Decision, Thresholds } from './decide';
