import { describe, expect, it } from 'vitest';
import { SecretBox, redactSecrets } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a'.repeat(40));

  it('seals credentials and leaves the rest readable', () => {
    const config = { kind: 'zendesk', subdomain: 'acme', auth: { email: 'ops@acme.fr', apiToken: 'zd-123' } };
    const sealed = box.sealFields(config);
    expect(JSON.stringify(sealed)).not.toContain('zd-123');
    expect(sealed.subdomain).toBe('acme');
    expect(sealed.auth.email).toBe('ops@acme.fr');
    expect(box.openFields(sealed)).toEqual(config);
  });

  it('refuses to open a secret sealed with another key', () => {
    const sealed = box.seal('secret');
    expect(() => new SecretBox('b'.repeat(40)).open(sealed)).toThrow(/RELAI_SECRET_KEY/);
  });

  it('redacts both clear and sealed credentials for display', () => {
    const sealed = box.sealFields({ accessToken: 'x', region: 'eu' });
    expect(redactSecrets(sealed)).toEqual({ accessToken: '********', region: 'eu' });
    expect(redactSecrets({ webhook_secret: 's' })).toEqual({ webhook_secret: '********' });
  });
});
