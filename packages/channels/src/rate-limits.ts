import { RateLimitGate } from '@relai/sources';

/** Channels whose window is remembered; the least recently used is forgotten beyond this. */
const MAX_CHANNELS = 10_000;

/**
 * One rate-limit window per channel, shared by all its jobs in this process: a 429 (or an exhausted
 * X-RateLimit-Remaining) that one job meets makes the others wait it out instead of each earning
 * its own 429. Workers in other processes keep their own windows.
 */
export class ChannelRateLimits {
  private readonly gates = new Map<string, RateLimitGate>();

  gateFor(channelId: string): RateLimitGate {
    let gate = this.gates.get(channelId);
    if (gate) {
      this.gates.delete(channelId);
    } else {
      gate = new RateLimitGate();
      if (this.gates.size >= MAX_CHANNELS) this.gates.delete(this.gates.keys().next().value!);
    }
    this.gates.set(channelId, gate);
    return gate;
  }
}
