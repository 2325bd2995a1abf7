import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newSourceSchema } from '@relai/ingest';
import { createAgent, createTenant, issueToken } from '@relai/tenants';
import { createTestApp, type TestApp } from '../testing/test-app';

/**
 * The AI-agent admin API on the real app and a real embedded Postgres: create, read, update, delete,
 * token rotation, and who may see what. The test app has a tenant with an agent "support", which no
 * test changes; one database for the file (a fresh one per test would be most of its run time), so
 * every test creates agents under ids of its own and checks what it stored, not the whole table.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(inject('pgliteTemplateDir'));
});
afterAll(() => t.dispose());

type Json = Record<string, any>;

const call = (method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.request(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const asAdmin = (method: string, url: string, body?: unknown) => call(method, url, t.adminToken, body);

async function createAgentViaApi(body: Json): Promise<{ agent: Json; token: { id: string; token: string } }> {
  const response = await asAdmin('POST', '/v1/agents', body);
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return (await response.json()) as { agent: Json; token: { id: string; token: string } };
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

const agentRows = async () => (await t.handle.db.query<{ id: string; name: string; settings: Json }>('SELECT id, name, settings FROM agents ORDER BY id')).rows;
const storedSettings = async (id: string) =>
  (await t.handle.db.query<{ settings: Json }>('SELECT settings FROM agents WHERE id = $1', [id])).rows[0]?.settings;

/** A second tenant with its own admin token and an agent (agent ids are global: each call its own). */
let otherTenants = 0;
async function otherTenant() {
  const tenant = await createTenant(t.handle.db, 'Autre');
  const agentId = `rival-${++otherTenants}`;
  await createAgent(t.handle.db, { tenantId: tenant.id, id: agentId, name: 'Rival' });
  const admin = await issueToken(t.handle.db, { tenantId: tenant.id });
  const agent = await issueToken(t.handle.db, { tenantId: tenant.id, agentId });
  return { tenantId: tenant.id, agentId, adminToken: admin.token, agentToken: agent.token };
}
const agentIds = async () => (await agentRows()).map((row) => row.id);

const DEFAULT_THRESHOLDS = { answer: 0.75, escalate: 0.4 };

describe('POST /v1/agents', () => {
  it('creates an agent with complete default settings and a token that works at once', async () => {
    const { agent, token } = await createAgentViaApi({ id: 'support-fr', name: 'Support FR' });

    expect(agent).toMatchObject({
      id: 'support-fr',
      name: 'Support FR',
      settings: {
        source_ids: [],
        thresholds: DEFAULT_THRESHOLDS,
        tone: 'friendly',
        default_language: 'fr',
        session_ttl_minutes: 120,
        escalation: { on_human_request: true, max_turns: 10, frustration: true },
        teams: [],
        rules: [],
        answer: { max_sentences: 3, max_links: 3 },
      },
    });
    expect(agent.settings.default_team).toBeUndefined();
    const topics = agent.settings.escalation.sensitive_topics as Array<{ name: string; keywords: string[]; action: string }>;
    expect(topics.map((topic) => [topic.name, topic.action])).toEqual([
      ['refund', 'escalate'],
      ['account_cancellation', 'escalate'],
      ['legal', 'escalate'],
    ]);
    expect(topics[0]!.keywords).toContain('rembours*');
    expect(topics[1]!.keywords).toContain('cancel my subscription');

    // The token is shown once and stored only as its hash.
    expect(token.token).toMatch(/^rl_[\w-]{20,}$/);
    const stored = await t.handle.db.query<{ agent_id: string; label: string; token_hash: string }>(
      'SELECT agent_id, label, token_hash FROM api_tokens WHERE id = $1',
      [token.id],
    );
    expect(stored.rows).toEqual([{ agent_id: 'support-fr', label: 'default', token_hash: expect.not.stringContaining(token.token) }]);
    // Settings are stored as written, completed with defaults when read.
    expect(await storedSettings('support-fr')).toEqual({});

    const search = await call('GET', '/v1/agents/support-fr/search?q=mot%20de%20passe', token.token);
    expect(search.status).toBe(200);
    expect(await search.json()).toMatchObject({ query: 'mot de passe', results: [] });
    // ...and only for its own agent.
    expect((await call('GET', '/v1/agents/support/search?q=x', token.token)).status).toBe(404);
  });

  it('keeps the settings given, completing the rest, and labels the first token', async () => {
    const { agent, token } = await createAgentViaApi({
      id: 'billing-bot',
      name: '  Facturation  ',
      token_label: 'intercom prod',
      settings: {
        thresholds: { answer: 0.9 },
        tone: 'concise',
        teams: [{ id: 'billing', name: 'Facturation', external_id: '5512' }],
        default_team: 'billing',
        rules: [{ when: { collection: 'Abonnement' }, action: 'suggest', team: 'billing' }],
      },
    });
    expect(agent.name).toBe('Facturation');
    expect(agent.settings).toMatchObject({
      thresholds: { answer: 0.9, escalate: 0.4 },
      tone: 'concise',
      session_ttl_minutes: 120,
      default_team: 'billing',
      teams: [{ id: 'billing', name: 'Facturation', external_id: '5512' }],
      rules: [{ when: { collection: 'Abonnement' }, action: 'suggest', team: 'billing' }],
    });
    const label = await t.handle.db.query('SELECT label FROM api_tokens WHERE id = $1', [token.id]);
    expect(label.rows).toEqual([{ label: 'intercom prod' }]);
  });

  it.each([
    ['a threshold out of range', { thresholds: { answer: 1.5 } }, /^settings\.thresholds\.answer: /],
    ['escalate above answer', { thresholds: { answer: 0.5, escalate: 0.6 } }, /^settings\.thresholds: escalate must not exceed answer/],
    ['a rule naming an unknown team', { rules: [{ when: { tag: 'vip' }, action: 'send', team: 'ghosts' }] }, /settings\.rules\.0\.team: unknown team "ghosts"/],
    ['a rule matching nothing', { rules: [{ when: {}, action: 'answer' }] }, /^settings\.rules\.0\.when: give at least one of collection, section or tag/],
    ['a session lifetime that is not whole minutes', { session_ttl_minutes: 2.5 }, /^settings\.session_ttl_minutes: /],
    ['an unknown tone', { tone: 'rude' }, /^settings\.tone: /],
    ['duplicate team ids', { teams: [{ id: 'a', name: 'A' }, { id: 'a', name: 'B' }] }, /^settings\.teams: team ids must be unique/],
    ['a source id that is not a uuid', { source_ids: ['kb'] }, /^settings\.source_ids\.0: /],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_case, settings, message) => {
    const before = await agentRows();
    const response = await asAdmin('POST', '/v1/agents', { id: 'bad', name: 'Bad', settings });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(message);
    expect(await agentRows()).toEqual(before);
    expect((await t.handle.db.query("SELECT count(*)::int AS n FROM api_tokens WHERE agent_id = 'bad'")).rows[0]).toEqual({ n: 0 });
  });

  it('refuses settings it does not know, naming them, rather than storing a typo that never applies', async () => {
    const response = await asAdmin('POST', '/v1/agents', {
      id: 'typo',
      name: 'Typo',
      settings: { session_ttl: 30, thresholds: { answer: 0.8, escalte: 0.5 }, rules: [{ when: { tag: 'vip', colection: 'x' }, action: 'answer' }] },
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_request',
      message: 'settings.session_ttl: unknown setting; settings.thresholds.escalte: unknown setting; settings.rules.0.when.colection: unknown setting',
    });
    expect(await agentIds()).not.toContain('typo');
  });

  it('refuses NUL and control characters in names, labels and settings with a 400, and the database keeps working', async () => {
    const cases: Array<[string, string, Json, string]> = [
      ['POST', '/v1/agents', { id: 'nul-1', name: 'Support\u0000FR' }, 'name: expected no control characters'],
      ['POST', '/v1/agents', { id: 'nul-2', name: 'Support', token_label: 'prod\u0000' }, 'token_label: expected no control characters'],
      ['POST', '/v1/agents', { id: 'nul-3', name: 'Support', settings: { teams: [{ id: 'billing', name: 'Fact\u0000uration' }] } }, 'settings.teams.0.name: must not contain the NUL character'],
      ['POST', '/v1/agents/support/tokens', { label: 'new\u0000' }, 'label: expected no control characters'],
      ['PATCH', '/v1/agents/support', { name: 'Multi\nline' }, 'name: expected no control characters'],
      ['PATCH', '/v1/agents/support', { settings: { escalation: { sensitive_topics: [{ name: 'x', keywords: ['ab\u0000'] }] } } }, 'settings.escalation.sensitive_topics.0.keywords.0: must not contain the NUL character'],
    ];
    for (const [method, url, body, message] of cases) {
      const response = await asAdmin(method, url, body);
      expect(response.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(await errorOf(response)).toEqual({ code: 'invalid_request', message });
    }
    expect((await agentIds()).filter((id) => id.startsWith('nul-'))).toEqual([]);
    const support = await asAdmin('GET', '/v1/agents/support');
    expect(support.status).toBe(200);
    expect(await support.json()).toMatchObject({ name: 'Support', settings: { escalation: { sensitive_topics: [{ name: 'refund' }, {}, {}] } } });
  });

  it('refuses bad ids and names with the field named', async () => {
    const badId = await asAdmin('POST', '/v1/agents', { id: 'Mon Agent', name: 'x' });
    expect(badId.status).toBe(400);
    expect((await errorOf(badId)).message).toMatch(/^id: use 1-63 lowercase letters/);
    const noName = await asAdmin('POST', '/v1/agents', { id: 'no-name', name: '   ' });
    expect(noName.status).toBe(400);
    expect((await errorOf(noName)).message).toMatch(/^name: /);
    expect(await agentIds()).not.toContain('no-name');
  });

  it('refuses settings.source_ids naming another tenant\'s source (or none), and accepts its own', async () => {
    const other = await otherTenant();
    const config = (name: string) => newSourceSchema.parse({ name, config: { kind: 'jsonl', path: '/dev/null' } });
    const foreign = await t.deps.sources.create(other.tenantId, config('theirs'), 'secret-secret-secret');
    const mine = await t.deps.sources.create(t.tenantId, config('mine'), 'secret-secret-secret');

    const refused = await asAdmin('POST', '/v1/agents', { id: 'scoped', name: 'Scoped', settings: { source_ids: [mine.id, foreign.id] } });
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toEqual({ code: 'invalid_request', message: `settings.source_ids.1: no source "${foreign.id}"` });
    const missing = await asAdmin('POST', '/v1/agents', { id: 'scoped', name: 'Scoped', settings: { source_ids: ['00000000-0000-4000-8000-000000000000'] } });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toBe('settings.source_ids.0: no source "00000000-0000-4000-8000-000000000000"');
    expect(await agentIds()).not.toContain('scoped');

    const { agent } = await createAgentViaApi({ id: 'scoped', name: 'Scoped', settings: { source_ids: [mine.id] } });
    expect(agent.settings.source_ids).toEqual([mine.id]);
  });

  it('answers 409 conflict for an id that exists, keeping the first agent and issuing no token', async () => {
    await createAgentViaApi({ id: 'dup', name: 'First' });
    const tokensBefore = (await t.handle.db.query('SELECT id FROM api_tokens')).rows.length;
    const duplicate = await asAdmin('POST', '/v1/agents', { id: 'dup', name: 'Second' });
    expect(duplicate.status).toBe(409);
    expect(await errorOf(duplicate)).toEqual({ code: 'conflict', message: 'id: an AI agent "dup" already exists' });
    expect((await agentRows()).find((row) => row.id === 'dup')?.name).toBe('First');
    expect((await t.handle.db.query('SELECT id FROM api_tokens')).rows.length).toBe(tokensBefore);
    // The test app's own agent too.
    expect((await asAdmin('POST', '/v1/agents', { id: 'support', name: 'Again' })).status).toBe(409);
  });

  it('is for tenant admins: an agent token gets 403, no token 401', async () => {
    const byAgent = await call('POST', '/v1/agents', t.agentToken, { id: 'sneaky', name: 'Sneaky' });
    expect(byAgent.status).toBe(403);
    expect((await errorOf(byAgent)).code).toBe('forbidden');
    const anonymous = await t.app.request('/v1/agents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'x', name: 'x' }) });
    expect(anonymous.status).toBe(401);
    expect((await call('GET', '/v1/agents', t.agentToken)).status).toBe(403);
    expect(await agentIds()).not.toContain('sneaky');
    expect(await agentIds()).not.toContain('x');
  });

  it('answers 400 to malformed JSON and 415 to a body that is not JSON', async () => {
    const before = await agentRows();
    const malformed = await asAdmin('POST', '/v1/agents', '{"id": "x", "name":');
    expect(malformed.status).toBe(400);
    expect(await errorOf(malformed)).toEqual({ code: 'invalid_request', message: 'The body is not valid JSON' });
    const form = await call('POST', '/v1/agents', t.adminToken, 'id=x&name=y', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect((await errorOf(form)).code).toBe('unsupported_media_type');
    const patch = await call('PATCH', '/v1/agents/support', t.adminToken, '{"name": "x"}', { 'Content-Type': 'text/plain' });
    expect(patch.status).toBe(415);
    const notAnObject = await asAdmin('POST', '/v1/agents', '[1, 2]');
    expect(notAnObject.status).toBe(400);
    expect(await agentRows()).toEqual(before);
  });
});

describe('GET /v1/agents and /v1/agents/{id}', () => {
  it('lists the tenant\'s agents, in id order, with their effective settings, and not another tenant\'s', async () => {
    const other = await otherTenant();
    await createAgentViaApi({ id: 'alpha', name: 'Alpha', settings: { tone: 'professional' } });
    const response = await asAdmin('GET', '/v1/agents');
    expect(response.status).toBe(200);
    const { agents } = (await response.json()) as { agents: Json[] };
    const mine = await t.handle.db.query<{ id: string }>('SELECT id FROM agents WHERE tenant_id = $1 ORDER BY id', [t.tenantId]);
    expect(agents.map((agent) => agent.id)).toEqual(mine.rows.map((row) => row.id));
    expect(agents.map((agent) => agent.id)).not.toContain(other.agentId);
    const byId = new Map(agents.map((agent) => [agent.id, agent]));
    expect([byId.get('alpha'), byId.get('support')].map((agent) => [agent?.name, agent?.settings.tone, agent?.settings.thresholds])).toEqual([
      ['Alpha', 'professional', DEFAULT_THRESHOLDS],
      ['Support', 'friendly', DEFAULT_THRESHOLDS],
    ]);
    expect(JSON.stringify(agents)).not.toContain('rl_');
    expect(agents.every((agent) => !('tokens' in agent))).toBe(true);
  });

  it('shows an agent to its own token, without tokens', async () => {
    const response = await call('GET', '/v1/agents/support', t.agentToken);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(Object.keys(body).sort()).toEqual(['id', 'name', 'settings']);
    expect(body).toMatchObject({ id: 'support', name: 'Support', settings: { session_ttl_minutes: 120, thresholds: DEFAULT_THRESHOLDS } });
  });

  it('shows the admin the agent\'s active tokens by prefix, never the token', async () => {
    const { token } = await createAgentViaApi({ id: 'two-tokens', name: 'Two', token_label: 'first' });
    const second = (await (await asAdmin('POST', '/v1/agents/two-tokens/tokens', { label: 'second' })).json()) as { id: string; token: string };

    const response = await asAdmin('GET', '/v1/agents/two-tokens');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.tokens).toEqual([
      { id: token.id, prefix: token.token.slice(0, 9), label: 'first', created_at: expect.any(String), last_used_at: null },
      { id: second.id, prefix: second.token.slice(0, 9), label: 'second', created_at: expect.any(String), last_used_at: null },
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain(token.token);
    expect(text).not.toContain(second.token);
    // The test app's admin token is not the agent's: it is not listed.
    expect(body.tokens).toHaveLength(2);
  });

  it('records when an agent token was last used', async () => {
    await call('GET', '/v1/agents/support', t.agentToken);
    const body = (await (await asAdmin('GET', '/v1/agents/support')).json()) as Json;
    expect(body.tokens).toHaveLength(1);
    expect(Date.parse(body.tokens[0].last_used_at)).not.toBeNaN();
  });

  it('answers 404, not 403, to another agent\'s token and to another tenant\'s admin', async () => {
    const { token } = await createAgentViaApi({ id: 'neighbour', name: 'Neighbour' });
    const byNeighbour = await call('GET', '/v1/agents/support', token.token);
    expect(byNeighbour.status).toBe(404);
    expect(await errorOf(byNeighbour)).toEqual({ code: 'not_found', message: 'No AI agent "support"' });
    // The same answer as for an agent that does not exist: ids are not disclosed.
    const missing = await call('GET', '/v1/agents/nobody', token.token);
    expect(missing.status).toBe(404);

    // Ids that cannot be an agent's are as absent, and leave the database working (a NUL byte in a
    // query parameter used to break the embedded database's connection for every later request).
    for (const id of ['%00', 'a%00b', 'SUPPORT', 'x'.repeat(64)]) {
      expect((await asAdmin('GET', `/v1/agents/${id}`)).status, id).toBe(404);
      expect((await asAdmin('POST', `/v1/agents/${id}/answer`, { messages: [{ role: 'user', text: 'Bonjour' }] })).status, id).toBe(404);
    }
    expect((await asAdmin('GET', '/v1/agents/support')).status).toBe(200);

    const other = await otherTenant();
    for (const [method, url] of [
      ['GET', '/v1/agents/support'],
      ['PATCH', '/v1/agents/support'],
      ['DELETE', '/v1/agents/support'],
      ['POST', '/v1/agents/support/tokens'],
    ] as const) {
      const response = await call(method, url, other.adminToken, method === 'PATCH' || method === 'POST' ? { name: 'Mine now', label: 'x' } : undefined);
      expect(response.status, `${method} ${url}`).toBe(404);
    }
    expect((await call('GET', '/v1/agents/support', other.agentToken)).status).toBe(404);
    expect((await call('GET', `/v1/agents/${other.agentId}`, t.adminToken)).status).toBe(404);
    // Nothing changed.
    expect((await agentRows()).find((row) => row.id === 'support')?.name).toBe('Support');
    expect((await call('GET', '/v1/agents/support', t.agentToken)).status).toBe(200);
  });
});

describe('PATCH /v1/agents/{id}', () => {
  const patch = (id: string, body: unknown, token = t.adminToken) => call('PATCH', `/v1/agents/${id}`, token, body);

  it('merges top-level settings keys: given keys replace, others stay', async () => {
    await createAgentViaApi({
      id: 'merge',
      name: 'Merge',
      settings: { tone: 'concise', thresholds: { answer: 0.9, escalate: 0.5 }, session_ttl_minutes: 30 },
    });
    const response = await patch('merge', { settings: { thresholds: { answer: 0.8 }, default_language: 'en' } });
    expect(response.status).toBe(200);
    const agent = (await response.json()) as Json;
    // A top-level key is replaced whole: the escalate threshold given before is back to its default.
    expect(agent.settings).toMatchObject({ tone: 'concise', session_ttl_minutes: 30, default_language: 'en', thresholds: { answer: 0.8, escalate: 0.4 } });
    expect(agent.name).toBe('Merge');
    expect(await storedSettings('merge')).toEqual({ tone: 'concise', session_ttl_minutes: 30, default_language: 'en', thresholds: { answer: 0.8 } });
    // GET shows the same as the PATCH answered.
    expect(((await (await asAdmin('GET', '/v1/agents/merge')).json()) as Json).settings).toEqual(agent.settings);
  });

  it('resets a key to its default with null', async () => {
    await createAgentViaApi({ id: 'reset', name: 'Reset', settings: { session_ttl_minutes: 30, tone: 'concise' } });
    const response = await patch('reset', { settings: { session_ttl_minutes: null } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Json).settings).toMatchObject({ session_ttl_minutes: 120, tone: 'concise' });
    expect(await storedSettings('reset')).toEqual({ tone: 'concise' });
  });

  it('renames without touching the settings', async () => {
    await createAgentViaApi({ id: 'rename', name: 'Old', settings: { tone: 'concise' } });
    const response = await patch('rename', { name: 'New' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'rename', name: 'New', settings: { tone: 'concise' } });
    expect(await storedSettings('rename')).toEqual({ tone: 'concise' });
  });

  it('validates the merged result: an invalid patch is a 400 naming the field, and the stored settings stay', async () => {
    await createAgentViaApi({
      id: 'strict',
      name: 'Strict',
      settings: { teams: [{ id: 'billing', name: 'Facturation' }], rules: [{ when: { tag: 'invoice' }, action: 'send', team: 'billing' }] },
    });
    const before = await storedSettings('strict');

    // Removing the team a stored rule uses breaks the whole: refused.
    const orphan = await patch('strict', { name: 'Renamed', settings: { teams: null } });
    expect(orphan.status).toBe(400);
    expect((await errorOf(orphan)).message).toMatch(/^settings\.rules\.0\.team: unknown team "billing"/);

    const outOfRange = await patch('strict', { settings: { thresholds: { answer: 2 } } });
    expect(outOfRange.status).toBe(400);
    expect((await errorOf(outOfRange)).message).toMatch(/^settings\.thresholds\.answer: /);

    const empty = await patch('strict', {});
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toMatch(/give name and\/or settings/);

    expect(await storedSettings('strict')).toEqual(before);
    expect((await agentRows()).find((row) => row.id === 'strict')?.name).toBe('Strict');
  });

  it('refuses an unknown settings key in a patch, and a null removes one stored before', async () => {
    await createAgentViaApi({ id: 'patch-typo', name: 'Patch typo', settings: { tone: 'concise' } });
    const typo = await patch('patch-typo', { settings: { session_ttl: 30 } });
    expect(typo.status).toBe(400);
    expect((await errorOf(typo)).message).toBe('settings.session_ttl: unknown setting');
    expect(await storedSettings('patch-typo')).toEqual({ tone: 'concise' });

    // A key stored by an older version (written here directly) is named until it is reset.
    await t.handle.db.query(`UPDATE agents SET settings = settings || '{"legacy": true}' WHERE id = 'patch-typo'`);
    const blocked = await patch('patch-typo', { settings: { tone: 'friendly' } });
    expect(blocked.status).toBe(400);
    expect((await errorOf(blocked)).message).toBe('settings.legacy: unknown setting');
    const cleaned = await patch('patch-typo', { settings: { tone: 'friendly', legacy: null } });
    expect(cleaned.status).toBe(200);
    expect(await storedSettings('patch-typo')).toEqual({ tone: 'friendly' });
  });

  it('is for admins: the agent\'s own token gets 403', async () => {
    const response = await patch('support', { settings: { tone: 'concise' } }, t.agentToken);
    expect(response.status).toBe(403);
    expect(await storedSettings('support')).toEqual({});
  });

  it('answers 404 for an unknown agent', async () => {
    const response = await patch('nobody', { name: 'x' });
    expect(response.status).toBe(404);
  });
});

describe('token rotation', () => {
  it('issues a new token that works, and revoking the old one locks it out at once', async () => {
    const { token: old } = await createAgentViaApi({ id: 'rotate', name: 'Rotate' });
    const issued = await asAdmin('POST', '/v1/agents/rotate/tokens', { label: 'rotated' });
    expect(issued.status).toBe(201);
    const fresh = (await issued.json()) as { id: string; token: string };
    expect(fresh.token).not.toBe(old.token);

    expect((await call('GET', '/v1/agents/rotate', fresh.token)).status).toBe(200);
    expect((await call('GET', '/v1/agents/rotate', old.token)).status).toBe(200);

    const revoked = await asAdmin('DELETE', `/v1/agents/rotate/tokens/${old.id}`);
    expect(revoked.status).toBe(204);
    expect(await revoked.text()).toBe('');

    const locked = await call('GET', '/v1/agents/rotate', old.token);
    expect(locked.status).toBe(401);
    expect((await errorOf(locked)).code).toBe('unauthorized');
    expect((await call('GET', '/v1/agents/rotate/search?q=facture', old.token)).status).toBe(401);
    expect((await call('GET', '/v1/agents/rotate', fresh.token)).status).toBe(200);

    const listed = ((await (await asAdmin('GET', '/v1/agents/rotate')).json()) as Json).tokens as Json[];
    expect(listed.map((token) => [token.id, token.label])).toEqual([[fresh.id, 'rotated']]);

    // Revoking it again: no active token with this id.
    expect((await asAdmin('DELETE', `/v1/agents/rotate/tokens/${old.id}`)).status).toBe(404);
  });

  it('answers 404 for an unknown token, another agent\'s token and the admin\'s own token, revoking none', async () => {
    const { token: neighbour } = await createAgentViaApi({ id: 'neighbour-2', name: 'Neighbour' });
    const unknown = await asAdmin('DELETE', '/v1/agents/support/tokens/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('not_found');
    expect((await asAdmin('DELETE', '/v1/agents/support/tokens/not-a-uuid')).status).toBe(404);
    // Another agent's token, through this agent's URL: not this agent's to revoke.
    expect((await asAdmin('DELETE', `/v1/agents/support/tokens/${neighbour.id}`)).status).toBe(404);
    expect((await call('GET', '/v1/agents/neighbour-2', neighbour.token)).status).toBe(200);
    // The admin's own token is no agent's token.
    const adminTokenId = (await t.handle.db.query<{ id: string }>('SELECT id FROM api_tokens WHERE agent_id IS NULL AND tenant_id = $1', [t.tenantId])).rows[0]!.id;
    expect((await asAdmin('DELETE', `/v1/agents/support/tokens/${adminTokenId}`)).status).toBe(404);
    expect((await asAdmin('GET', '/v1/agents')).status).toBe(200);
  });

  it('is for admins: an agent cannot mint or revoke its own tokens', async () => {
    const tokenId = (await t.handle.db.query<{ id: string }>("SELECT id FROM api_tokens WHERE agent_id = 'support'")).rows[0]!.id;
    expect((await call('POST', '/v1/agents/support/tokens', t.agentToken, { label: 'mine' })).status).toBe(403);
    expect((await call('DELETE', `/v1/agents/support/tokens/${tokenId}`, t.agentToken)).status).toBe(403);
    expect((await call('GET', '/v1/agents/support', t.agentToken)).status).toBe(200);
  });
});

describe('DELETE /v1/agents/{id}', () => {
  it('deletes the agent with its tokens and conversations: then 404, and its token 401', async () => {
    const { token } = await createAgentViaApi({ id: 'doomed', name: 'Doomed' });
    const started = await call('POST', '/v1/agents/doomed/conversations', token.token, { conversation_id: 'c-1' });
    expect(started.status).toBe(201);

    const deleted = await asAdmin('DELETE', '/v1/agents/doomed');
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');

    expect((await asAdmin('GET', '/v1/agents/doomed')).status).toBe(404);
    expect((await asAdmin('DELETE', '/v1/agents/doomed')).status).toBe(404);
    expect((await call('GET', '/v1/agents/doomed', token.token)).status).toBe(401);
    const counts = await t.handle.db.query(
      `SELECT (SELECT count(*)::int FROM api_tokens WHERE agent_id = 'doomed') AS tokens,
              (SELECT count(*)::int FROM conversations WHERE agent_id = 'doomed') AS conversations`,
    );
    expect(counts.rows[0]).toEqual({ tokens: 0, conversations: 0 });
    // The other agent is untouched, and the id is free again.
    expect((await call('GET', '/v1/agents/support', t.agentToken)).status).toBe(200);
    await createAgentViaApi({ id: 'doomed', name: 'Reborn' });
    // The old agent's token does not come back with the id.
    expect((await call('GET', '/v1/agents/doomed', token.token)).status).toBe(401);
  });

  it('is for admins: an agent token cannot delete its agent', async () => {
    expect((await call('DELETE', '/v1/agents/support', t.agentToken)).status).toBe(403);
    expect(await agentIds()).toContain('support');
  });
});
