import { describe, expect, it } from 'vitest';
import { integrationSecretsSchema, integrationSettingsSchema, isAcceptableWebhookUrl } from './settings';

describe('settings', () => {
  it('accepts https anywhere and http only on this machine', () => {
    expect(isAcceptableWebhookUrl('https://bridge.example.com/relai')).toBe(true);
    expect(isAcceptableWebhookUrl('http://localhost:8080/hook')).toBe(true);
    expect(isAcceptableWebhookUrl('http://127.0.0.1:9000/')).toBe(true);
    expect(isAcceptableWebhookUrl('http://[::1]:9000/')).toBe(true);
    expect(isAcceptableWebhookUrl('http://bridge.example.com/relai')).toBe(false);
    expect(isAcceptableWebhookUrl('https://user:pass@bridge.example.com/')).toBe(false);
    expect(isAcceptableWebhookUrl('ftp://bridge.example.com/')).toBe(false);
    expect(isAcceptableWebhookUrl('not a url')).toBe(false);
  });

  it('fills the defaults', () => {
    expect(integrationSettingsSchema.parse({ webhook_url: 'https://bridge.example.com/relai', actions: [{ name: 'get_account', on: 'conversation.started' }] })).toEqual({
      webhook_url: 'https://bridge.example.com/relai',
      actions: [{ name: 'get_account', on: 'conversation.started', params: [] }],
      include_handoff_note: true,
      max_attempts: 12,
      timeout_ms: 10_000,
    });
  });

  it('refuses an unknown trigger, a name twice on one trigger, and a short signing secret', () => {
    const base = { webhook_url: 'https://bridge.example.com/relai' };
    expect(integrationSettingsSchema.safeParse({ ...base, actions: [{ name: 'x', on: 'message' }] }).success).toBe(false);
    expect(integrationSettingsSchema.safeParse({ ...base, actions: [{ name: 'x', on: 'answer' }, { name: 'x', on: 'answer' }] }).success).toBe(false);
    expect(integrationSettingsSchema.safeParse({ ...base, actions: [{ name: 'x', on: 'answer' }, { name: 'x', on: 'escalation' }] }).success).toBe(true);
    expect(integrationSecretsSchema.safeParse({ signing_secret: 'short' }).success).toBe(false);
  });
});
