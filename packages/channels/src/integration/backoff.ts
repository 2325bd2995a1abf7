const FIRST_RETRY_MS = 10_000;
const GROWTH = 3;
const MAX_DELAY_MS = 60 * 60_000;

/**
 * Wait before the next try after failed attempt `attempt` (1-based): 10 s, 30 s, 1.5 min, 4.5 min,
 * 13.5 min, 40 min, then every hour, each ±20 % so that receivers coming back are not hit by every
 * queued event in the same second. `random` is 0..1.
 */
export function retryDelayMs(attempt: number, random: number): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_RETRY_MS * GROWTH ** Math.max(0, attempt - 1));
  return Math.round(Math.min(MAX_DELAY_MS, base * (0.8 + 0.4 * random)));
}
