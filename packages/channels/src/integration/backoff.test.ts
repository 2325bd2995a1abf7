import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff';

describe('retry backoff', () => {
  it('grows from 10 s by threefold steps up to one hour', () => {
    const middle = [1, 2, 3, 4, 5, 6, 7, 12].map((attempt) => retryDelayMs(attempt, 0.5));
    expect(middle).toEqual([10_000, 30_000, 90_000, 270_000, 810_000, 2_430_000, 3_600_000, 3_600_000]);
  });

  it('spreads retries by ±20 % without passing one hour', () => {
    expect(retryDelayMs(1, 0)).toBe(8_000);
    expect(retryDelayMs(1, 1)).toBe(12_000);
    expect(retryDelayMs(9, 1)).toBe(3_600_000);
    expect(retryDelayMs(9, 0)).toBe(2_880_000);
  });
});
