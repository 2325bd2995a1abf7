import { describe, expect, it } from 'vitest';
import { intercomBaseUrl, intercomSecretsSchema, intercomSettingsSchema } from './intercom-settings';

describe('Intercom channel settings', () => {
  it('defaults to the US region, the pinned API version, and not closing conversations', () => {
    expect(intercomSettingsSchema.parse({ bot_admin_id: 991, monitored_inbox: 'unassigned' })).toEqual({
      region: 'us',
      intercom_version: '2.16',
      bot_admin_id: '991',
      monitored_inbox: 'unassigned',
      close_on_answer: false,
    });
  });

  it.each([
    ['us', 'https://api.intercom.io'],
    ['eu', 'https://api.eu.intercom.io'],
    ['au', 'https://api.au.intercom.io'],
  ] as const)('sends %s workspaces to %s', (region, url) => {
    expect(intercomBaseUrl({ region })).toBe(url);
  });

  it('lets base_url replace the regional address', () => {
    expect(intercomBaseUrl({ region: 'eu', base_url: 'http://127.0.0.1:4010/' })).toBe('http://127.0.0.1:4010');
  });

  it.each([
    ['an unknown region', { region: 'asia' }, 'region'],
    ['another API version', { intercom_version: '2.11' }, 'intercom_version'],
    ['a base_url that is not http(s)', { base_url: 'ftp://proxy.example' }, 'base_url'],
    ['no bot admin', { bot_admin_id: '' }, 'bot_admin_id'],
  ])('refuses %s', (_case, change, path) => {
    const result = intercomSettingsSchema.safeParse({ bot_admin_id: '991', monitored_inbox: '5017691', ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([path]);
  });

  it('needs both the client secret and the access token', () => {
    expect(intercomSecretsSchema.safeParse({ client_secret: 's' }).success).toBe(false);
    expect(intercomSecretsSchema.safeParse({ client_secret: 's', access_token: 't' }).success).toBe(true);
  });
});
