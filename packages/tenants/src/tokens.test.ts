import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@relai/db/testing';
import { createAgent, createTenant, findAgent } from './tenants';
import { authenticateToken, hashToken, issueToken, revokeToken } from './tokens';

let handle: TestDatabase;
beforeEach(async () => {
  handle = await openTestDatabase(inject('pgliteTemplateDir'));
});
afterEach(() => handle.dispose());

describe('API tokens', () => {
  it('stores only the hash and authenticates the clear token', async () => {
    const { db } = handle;
    const tenant = await createTenant(db, 'Facturo');
    await createAgent(db, { tenantId: tenant.id, id: 'support-fr', name: 'Support FR' });
    const issued = await issueToken(db, { tenantId: tenant.id, agentId: 'support-fr' });
    const stored = await db.query('SELECT token_hash FROM api_tokens');
    expect(stored.rows).toEqual([{ token_hash: hashToken(issued.token) }]);
    expect(JSON.stringify(stored.rows)).not.toContain(issued.token);
    expect(await authenticateToken(db, issued.token)).toEqual({ tokenId: issued.id, tenantId: tenant.id, agentId: 'support-fr' });
  });

  it('refuses unknown, malformed and revoked tokens', async () => {
    const { db } = handle;
    const tenant = await createTenant(db, 'Facturo');
    const issued = await issueToken(db, { tenantId: tenant.id });
    expect(await authenticateToken(db, `${issued.token}x`)).toBeNull();
    expect(await authenticateToken(db, 'Bearer nonsense')).toBeNull();
    expect(await revokeToken(db, tenant.id, issued.id)).toBe(true);
    expect(await authenticateToken(db, issued.token)).toBeNull();
  });
});

describe('agents', () => {
  it('are invisible to other tenants', async () => {
    const { db } = handle;
    const mine = await createTenant(db, 'A');
    const other = await createTenant(db, 'B');
    await createAgent(db, { tenantId: mine.id, id: 'demo', name: 'Demo' });
    expect(await findAgent(db, mine.id, 'demo')).toMatchObject({ id: 'demo', name: 'Demo' });
    expect(await findAgent(db, other.id, 'demo')).toBeNull();
  });

  it('rejects ids that cannot appear in a URL path', async () => {
    const tenant = await createTenant(handle.db, 'A');
    await expect(createAgent(handle.db, { tenantId: tenant.id, id: 'Mon Agent', name: 'x' })).rejects.toThrow(/agent id "Mon Agent"/);
  });
});
