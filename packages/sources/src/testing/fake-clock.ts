import type { Sleep } from '../http/request';

/** A clock whose sleep only moves time forward: tests see every wait without spending it. */
export interface FakeClock {
  now: () => number;
  sleep: Sleep;
  /** Every wait asked for, in ms, in order. */
  sleeps: number[];
  advance(ms: number): void;
}

export function createFakeClock(startMs = Date.UTC(2025, 0, 15, 12, 0, 0)): FakeClock {
  let current = startMs;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
      current += ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
