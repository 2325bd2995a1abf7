import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AnswerEngine } from '@relai/answering';
import { channelContext, type ChannelContext, type ConverseInput, type StoredChannel } from '@relai/channels';
import { findAgent } from '@relai/tenants';
import { startChannelHarness, type ChannelHarness } from '../testing/channel-harness';

/**
 * The shared steps every channel adapter gets from its context, on the real store and answer engine:
 * `converse` once per platform message, and the session of a platform conversation (read, end).
 */

let h: ChannelHarness;
let channel: StoredChannel;

beforeAll(async () => {
  h = await startChannelHarness(inject('pgliteTemplateDir'));
  channel = await h.services.channels.put({
    tenantId: h.t.tenantId,
    agentId: 'support',
    platform: 'zendesk',
    enabled: true,
    settings: { subdomain: 'acme', agent_user_id: '900' },
    secrets: { webhook_signing_secret: 'secret', oauth_token: 'token' },
  });
}, 60_000);

afterAll(async () => {
  await h?.dispose();
});

async function contextWith(answers = h.services.answers): Promise<ChannelContext> {
  const agent = await findAgent(h.services.db, h.t.tenantId, 'support');
  return channelContext({ ...h.services, answers }, channel, agent!);
}

async function recorded(conversationId: string): Promise<Array<[string, string]>> {
  const session = await h.services.conversations.latest({ tenantId: h.t.tenantId, agentId: 'support', externalId: `zendesk:${conversationId}` });
  const messages = session ? await h.services.conversations.messages(session) : [];
  return messages.map((message) => [message.role, message.decision?.action ?? message.text]);
}

const question = (conversationId: string, messageKey: string, text = 'Comment réinitialiser mon mot de passe ?'): ConverseInput => ({ conversationId, messageKey, text });

describe('context.converse', () => {
  it('records and decides once per message key: a second call returns the first result', async () => {
    const context = await contextWith();
    const first = await context.converse(question('t-1', 'c-1'));
    const again = await context.converse(question('t-1', 'c-1'));
    expect(first).toMatchObject({ replayed: false, newSession: true, reply: { action: 'answer' } });
    expect(again).toEqual({ ...first, replayed: true });
    expect(again.session.lastMessageAt).toBeInstanceOf(Date);
    expect(await recorded('t-1')).toEqual([
      ['user', 'Comment réinitialiser mon mot de passe ?'],
      ['agent', 'answer'],
    ]);
  });

  it('replays the decision taken before an escalation, instead of deciding again (handed over: silent)', async () => {
    const context = await contextWith();
    const escalated = await context.converse(question('t-2', 'c-1', 'Je veux parler à un humain'));
    expect(escalated.session.status).toBe('escalated');
    expect((await context.converse(question('t-2', 'c-1', 'Je veux parler à un humain'))).reply.action).toBe('escalate');
    // A new message in the escalated session is the humans'.
    expect((await context.converse(question('t-2', 'c-2', 'Allô ?'))).reply.action).toBe('ignore');
    expect((await recorded('t-2')).map(([role]) => role)).toEqual(['user', 'agent', 'user', 'agent']);
  });

  it('decides on the message a failed call recorded, without recording it again', async () => {
    const failing = { answer: async () => Promise.reject(new Error('database unavailable')) } as unknown as AnswerEngine;
    await expect((await contextWith(failing)).converse(question('t-3', 'c-1'))).rejects.toThrow('database unavailable');
    expect(await recorded('t-3')).toEqual([['user', 'Comment réinitialiser mon mot de passe ?']]);

    const context = await contextWith();
    const retried = await context.converse(question('t-3', 'c-1'));
    expect(retried).toMatchObject({ replayed: false, newSession: true, reply: { action: 'answer' } });
    expect(await recorded('t-3')).toEqual([
      ['user', 'Comment réinitialiser mon mot de passe ?'],
      ['agent', 'answer'],
    ]);
    expect((await context.converse(question('t-3', 'c-1'))).replayed).toBe(true);
  });

  it('keeps keys apart per conversation', async () => {
    const context = await contextWith();
    await context.converse(question('t-4', 'same-key'));
    expect((await context.converse(question('t-5', 'same-key'))).replayed).toBe(false);
  });
});

describe('context.session and context.endSession', () => {
  it('read and end the platform conversation’s session; the next message opens a new one, answered again', async () => {
    const context = await contextWith();
    expect(await context.session('t-6')).toBeNull();
    expect(await context.endSession('t-6')).toBeNull();
    await context.converse(question('t-6', 'c-1', 'Je veux parler à un humain'));
    expect(await context.session('t-6')).toMatchObject({ externalId: 'zendesk:t-6', sessionNumber: 1, status: 'escalated' });

    expect(await context.endSession('t-6')).toMatchObject({ sessionNumber: 1, status: 'ended', endedAt: expect.any(Date) });
    const next = await context.converse(question('t-6', 'c-2'));
    expect(next).toMatchObject({ newSession: true, session: { sessionNumber: 2, status: 'active' }, reply: { action: 'answer' } });
    expect(await context.session('t-6')).toMatchObject({ sessionNumber: 2 });
  });
});
