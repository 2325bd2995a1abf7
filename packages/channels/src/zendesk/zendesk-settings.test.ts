import { describe, expect, it } from 'vitest';
import { zendeskBaseUrl, zendeskSecretsSchema, zendeskSettingsSchema } from './zendesk-settings';

describe('Zendesk channel settings', () => {
  it('need a subdomain (or base_url) and the AI agent user; the rest has defaults', () => {
    const settings = zendeskSettingsSchema.parse({ subdomain: 'acme', agent_user_id: 20978392 });
    expect(settings).toEqual({
      subdomain: 'acme',
      agent_user_id: '20978392',
      reply_mode: 'public',
      solve_on_answer: false,
      escalation_public_reply: true,
      comment_format: 'html',
      history_comments: 30,
    });
    expect(zendeskBaseUrl(settings)).toBe('https://acme.zendesk.com');
    expect(zendeskBaseUrl(zendeskSettingsSchema.parse({ base_url: 'http://127.0.0.1:4000/', agent_user_id: '1' }))).toBe('http://127.0.0.1:4000');
    expect(zendeskSettingsSchema.safeParse({ agent_user_id: '1' }).success).toBe(false);
    expect(zendeskSettingsSchema.safeParse({ subdomain: 'acme.zendesk.com', agent_user_id: '1' }).success).toBe(false);
    expect(zendeskSettingsSchema.safeParse({ subdomain: 'acme', agent_user_id: 'bot' }).success).toBe(false);
  });

  it('secrets need the signing secret, and an API token with its email or an OAuth token', () => {
    expect(zendeskSecretsSchema.safeParse({ webhook_signing_secret: 's', email: 'ia@acme.fr', api_token: 't' }).success).toBe(true);
    expect(zendeskSecretsSchema.safeParse({ webhook_signing_secret: 's', oauth_token: 'o' }).success).toBe(true);
    expect(zendeskSecretsSchema.safeParse({ webhook_signing_secret: 's', api_token: 't' }).success).toBe(false);
    expect(zendeskSecretsSchema.safeParse({ email: 'ia@acme.fr', api_token: 't' }).success).toBe(false);
  });
});
