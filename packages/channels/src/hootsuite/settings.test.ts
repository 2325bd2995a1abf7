import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from './endpoints';
import { hootsuiteSettingsSchema, resolvesOnAnswer } from './settings';

describe('hootsuite settings', () => {
  it('needs only the Inbox API base URL; everything assumed about the API has a default', () => {
    const settings = hootsuiteSettingsSchema.parse({ api_base_url: 'https://inbox.example/api/v1/' });
    expect(settings).toMatchObject({
      api_base_url: 'https://inbox.example/api/v1',
      activation: 'inception',
      delegation_handoff: 'previous_agent',
      signature_header: 'x-hootsuite-signature',
      signature_scheme: 'hmac-sha256-hex',
      timeouts: { agent_silent_minutes: 15, contact_silent_minutes: 1380, on_agent_timeout: 'new', on_contact_timeout: 'resolved' },
      topics: { escalation_reasons: {}, teams: {} },
      endpoints: { send_message: 'POST /conversations/{conversation_id}/messages' },
    });
    expect(hootsuiteSettingsSchema.safeParse({}).success).toBe(false);
  });

  it('resolves after an answer in inception, not in delegation, unless told', () => {
    const parse = (input: Record<string, unknown>) => hootsuiteSettingsSchema.parse({ api_base_url: 'https://inbox.example', ...input });
    expect(resolvesOnAnswer(parse({}))).toBe(true);
    expect(resolvesOnAnswer(parse({ activation: 'delegation' }))).toBe(false);
    expect(resolvesOnAnswer(parse({ activation: 'delegation', resolve_on_answer: true }))).toBe(true);
    expect(resolvesOnAnswer(parse({ resolve_on_answer: false }))).toBe(false);
  });

  it.each([
    { timeouts: { agent_silent_minutes: 61 } },
    { timeouts: { contact_silent_minutes: 1381 } },
    { timeouts: { on_agent_timeout: 'closed' } },
    { endpoints: { transfer: 'DELETE /conversations/{conversation_id}' } },
    { endpoints: { transfer: 'POST /conversations/{id}/transfer' } },
    { signature_header: 'x signature' },
  ])('refuses %j', (input) => {
    expect(hootsuiteSettingsSchema.safeParse({ api_base_url: 'https://inbox.example', ...input }).success).toBe(false);
  });
});

describe('resolveEndpoint', () => {
  it('fills an overridden template with path-encoded ids', () => {
    const { endpoints } = hootsuiteSettingsSchema.parse({ api_base_url: 'https://inbox.example', endpoints: { transfer: 'PUT /v2/conversations/{conversation_id}/handoff' } });
    expect(resolveEndpoint('https://inbox.example', endpoints, 'transfer', { conversation_id: 'c/1 2' })).toEqual({
      method: 'PUT',
      url: 'https://inbox.example/v2/conversations/c%2F1%202/handoff',
    });
    expect(resolveEndpoint('https://inbox.example', endpoints, 'set_contact_attributes', { conversation_id: 'c', contact_id: 'ct-5' }).url).toBe('https://inbox.example/contacts/ct-5/attributes');
  });
});
