import { createLogger } from '@relai/config';
import { describe, expect, it } from 'vitest';
import type { ChannelServices } from './process-channel-event';
import { channelContext } from './process-channel-event';
import { ChannelRateLimits } from './rate-limits';
import type { StoredChannel } from './interface';

describe('ChannelRateLimits', () => {
  it('gives every job of a channel the same window, and other channels their own', () => {
    const limits = new ChannelRateLimits();
    expect(limits.gateFor('channel-a')).toBe(limits.gateFor('channel-a'));
    expect(limits.gateFor('channel-a')).not.toBe(limits.gateFor('channel-b'));
  });

  it('reaches each platform client through the channel context', () => {
    const rateLimits = new ChannelRateLimits();
    const services = { rateLimits, logger: createLogger('silent'), http: { timeoutMs: 5_000 } } as unknown as ChannelServices;
    const agent = { id: 'support', tenantId: 'tenant', name: 'Support', settings: {} };
    const channel = (id: string): StoredChannel => ({ id, tenantId: 'tenant', agentId: 'support', platform: 'intercom', enabled: true, settings: {}, secrets: {} });
    const first = channelContext(services, channel('channel-a'), agent).http;
    const second = channelContext(services, channel('channel-a'), agent).http;
    expect(first.rateLimitGate).toBe(second.rateLimitGate);
    expect(first.timeoutMs).toBe(5_000);
    expect(channelContext(services, channel('channel-b'), agent).http.rateLimitGate).not.toBe(first.rateLimitGate);
  });
});
