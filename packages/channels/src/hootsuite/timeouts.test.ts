import { describe, expect, it } from 'vitest';
import { hootsuiteSettingsSchema } from './settings';
import { decideTimeout } from './timeouts';

const { timeouts } = hootsuiteSettingsSchema.parse({
  api_base_url: 'https://inbox.example',
  timeouts: { agent_silent_minutes: 10, contact_silent_minutes: 120, on_agent_timeout: 'new', on_contact_timeout: 'resolved' },
});
const at = (minutes: number) => new Date(Date.UTC(2024, 4, 1, 10, 0) + minutes * 60_000);

describe('decideTimeout', () => {
  it('hands off to the agent-timeout queue when the VA has not replied to the contact in time', () => {
    const activity = { lastContactAt: at(0), lastReplyAt: null, releasedAt: null };
    expect(decideTimeout(activity, timeouts, at(9))).toBeNull();
    expect(decideTimeout(activity, timeouts, at(10))).toEqual({ silent: 'agent', since: at(0), queue: 'new' });
    // A reply to an earlier message does not answer the latest one.
    expect(decideTimeout({ ...activity, lastReplyAt: at(-5) }, timeouts, at(10))).toEqual({ silent: 'agent', since: at(0), queue: 'new' });
  });

  it('hands off to the contact-timeout queue when the contact has not written since the VA replied', () => {
    const activity = { lastContactAt: at(0), lastReplyAt: at(1), releasedAt: null };
    expect(decideTimeout(activity, timeouts, at(120))).toBeNull();
    expect(decideTimeout(activity, timeouts, at(121))).toEqual({ silent: 'contact', since: at(1), queue: 'resolved' });
  });

  it('leaves a conversation released since the contact last wrote, and takes it back when the contact writes again', () => {
    expect(decideTimeout({ lastContactAt: at(0), lastReplyAt: at(1), releasedAt: at(1) }, timeouts, at(500))).toBeNull();
    expect(decideTimeout({ lastContactAt: at(0), lastReplyAt: null, releasedAt: at(0) }, timeouts, at(500))).toBeNull();
    expect(decideTimeout({ lastContactAt: at(30), lastReplyAt: at(1), releasedAt: at(1) }, timeouts, at(40))).toEqual({ silent: 'agent', since: at(30), queue: 'new' });
  });
});
