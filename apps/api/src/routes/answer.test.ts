import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@relai/config';
import { newSourceSchema, runSync, type SourceRecord } from '@relai/ingest';
import { createSource } from '@relai/sources';
import { createTestApp, type TestApp } from '../testing/test-app';

/**
 * The stateless answer endpoint on the real app, over a small French and English help center synced
 * from a JSONL file into the embedded Postgres: messages in, structured decision out, nothing stored.
 * One app for the file: every test only reads the help center (or adds its own agent).
 */

const HELP_CENTER = [
  {
    id: 'fr-password',
    title: 'Réinitialiser votre mot de passe',
    url: 'https://help.facturo.example/fr/articles/fr-password',
    collection: 'Compte et sécurité',
    language: 'fr',
    html:
      '<p>Vous avez oublié votre mot de passe ? Sur la page de connexion, cliquez sur « Mot de passe oublié » et saisissez votre adresse e-mail.</p>' +
      '<p>Nous vous envoyons un lien de réinitialisation. Le lien de réinitialisation est valable une heure et ne sert qu’une fois.</p>',
  },
  {
    id: 'en-password',
    title: 'Reset your password',
    url: 'https://help.facturo.example/en/articles/en-password',
    collection: 'Account and security',
    language: 'en',
    html:
      '<p>Forgot your password? On the sign-in page, click “Forgot password” and enter your email address.</p>' +
      '<p>We email you a reset link. The reset link is valid for one hour and works only once.</p>',
  },
  {
    id: 'fr-export',
    title: 'Exporter vos données comptables (FEC)',
    url: 'https://help.facturo.example/fr/articles/fr-export',
    collection: 'Comptabilité',
    language: 'fr',
    html:
      '<p>Pour transmettre vos écritures à votre expert-comptable, ouvrez Paramètres puis Export comptable.</p>' +
      '<p>Choisissez la période et le format : fichier des écritures comptables (FEC) ou CSV. Le fichier est prêt en quelques secondes.</p>',
  },
  {
    id: 'en-export',
    title: 'Export your accounting data',
    url: 'https://help.facturo.example/en/articles/en-export',
    collection: 'Accounting',
    language: 'en',
    html: '<p>To send your entries to your accountant, open Settings, then Accounting export. Pick the period and the format: FEC or CSV.</p>',
  },
  {
    id: 'fr-bank',
    title: 'Connecter votre compte bancaire',
    url: 'https://help.facturo.example/fr/articles/fr-bank',
    collection: 'Banque',
    language: 'fr',
    html:
      '<p>Ouvrez Banque puis Ajouter un compte, choisissez votre banque et identifiez-vous chez elle.</p>' +
      '<p>La synchronisation bancaire importe vos transactions chaque nuit. La connexion doit être renouvelée tous les 180 jours.</p>',
  },
  {
    id: 'fr-quote',
    title: 'Transformer un devis en facture',
    url: 'https://help.facturo.example/fr/articles/fr-quote',
    collection: 'Facturation',
    language: 'fr',
    html:
      '<p>Un devis accepté se transforme en facture en un clic : ouvrez le devis et cliquez sur Convertir en facture.</p>' +
      '<p>Vous pouvez aussi partager le devis avec votre client par un lien de partage, valable 30 jours.</p>',
  },
];

/** Another source of the same tenant: the scoped agent answers from it only. */
const EXTRA = [
  {
    id: 'en-team',
    title: 'Invite a team member',
    url: 'https://help.facturo.example/en/articles/en-team',
    language: 'en',
    html: '<p>Open Settings, then Team, and click Invite. Your colleague receives an email invitation valid for seven days.</p>',
  },
];

let t: TestApp;
let dir: string;
let mainSource: SourceRecord;
let extraSource: SourceRecord;

async function syncJsonl(name: string, articles: object[]): Promise<SourceRecord> {
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(file, articles.map((article) => JSON.stringify(article)).join('\n'));
  const source = await t.deps.sources.create(t.tenantId, newSourceSchema.parse({ name, config: { kind: 'jsonl', path: file } }), 'secret-secret-secret');
  const summary = await runSync(
    { db: t.handle.db, embedder: t.deps.embedder, sources: t.deps.sources, logger: createLogger('silent'), connect: (stored) => createSource(stored.config) },
    source,
    'full',
    { trigger: 'test' },
  );
  expect(summary).toMatchObject({ status: 'succeeded', counts: expect.objectContaining({ failed: 0 }) });
  return source;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relai-answer-'));
  t = await createTestApp(inject('pgliteTemplateDir'));
  mainSource = await syncJsonl('help-center', HELP_CENTER);
  extraSource = await syncJsonl('team', EXTRA);
});
afterAll(async () => {
  await t?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Message = { role: 'user' | 'agent'; text: string };
type Decision = {
  action: string;
  reply: { text: string; components: Array<Record<string, any>> };
  confidence: number;
  reasons: string[];
  citations: Array<{ article_id: string; title: string; url: string | null; score: number }>;
  language: string;
  escalation: null | { reason: string; team: unknown; note: Record<string, any> };
  team: unknown;
  generated_by: string;
};

const post = (body: unknown, { agent = 'support', token = t.agentToken, contentType = 'application/json' } = {}) =>
  t.app.request(`/v1/agents/${agent}/answer`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function answer(messages: Message[], options: { agent?: string; token?: string; user?: Record<string, unknown> } = {}): Promise<Decision> {
  const response = await post({ messages, ...(options.user ? { user: options.user } : {}) }, options);
  const body = (await response.json()) as Decision;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}
const ask = (text: string) => answer([{ role: 'user', text }]);

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

const storedCounts = async () =>
  (
    await t.handle.db.query<{ conversations: number; messages: number }>(
      'SELECT (SELECT count(*)::int FROM conversations) AS conversations, (SELECT count(*)::int FROM messages) AS messages',
    )
  ).rows[0];

describe('POST /v1/agents/{id}/answer', () => {
  it('answers a clear French question from the French article, with every decision field', async () => {
    const decision = await ask('J’ai oublié mon mot de passe, comment le réinitialiser ?');
    expect(Object.keys(decision).sort()).toEqual(['action', 'citations', 'confidence', 'escalation', 'generated_by', 'language', 'reasons', 'reply', 'team']);
    expect(decision).toMatchObject({ action: 'answer', language: 'fr', escalation: null, team: null, generated_by: 'extractive' });
    expect(decision.citations[0]).toMatchObject({ article_id: 'fr-password', title: 'Réinitialiser votre mot de passe', url: 'https://help.facturo.example/fr/articles/fr-password' });
    expect(decision.citations.map((citation) => citation.article_id)).not.toContain('en-password');
    expect(decision.confidence).toBeGreaterThanOrEqual(0.75);
    expect(decision.confidence).toBeLessThanOrEqual(1);
    expect(decision.reasons.join(' ')).toMatch(/confidence \d\.\d+ >= 0\.75/);
    expect(decision.reply.text).toMatch(/Mot de passe oublié|lien de réinitialisation/);
    expect(decision.reply.components).toContainEqual({
      type: 'link',
      article_id: 'fr-password',
      title: 'Réinitialiser votre mot de passe',
      url: 'https://help.facturo.example/fr/articles/fr-password',
    });
  });

  it('answers the same question in English from the English article', async () => {
    const decision = await ask('I forgot my password, how do I reset it?');
    expect(decision).toMatchObject({ action: 'answer', language: 'en', escalation: null });
    expect(decision.citations[0]?.article_id).toBe('en-password');
    expect(decision.citations.map((citation) => citation.article_id)).not.toContain('fr-password');
    expect(decision.reply.text).toMatch(/reset link|Forgot password/);
  });

  it('uses the history: a follow-up that means nothing alone finds the article of the conversation', async () => {
    const followUp = 'Et il expire quand ?';
    const decision = await answer([
      { role: 'user', text: 'Comment réinitialiser mon mot de passe ?' },
      { role: 'agent', text: 'Cliquez sur « Mot de passe oublié » sur la page de connexion : nous vous envoyons un lien.' },
      { role: 'user', text: followUp },
    ]);
    expect(decision.language).toBe('fr');
    expect(decision.action).toBe('answer');
    expect(decision.citations[0]?.article_id).toBe('fr-password');
    expect(decision.reply.components).toContainEqual(expect.objectContaining({ type: 'link', article_id: 'fr-password' }));

    // Without the history, the same message finds nothing to answer with.
    const alone = await ask(followUp);
    expect(alone).toMatchObject({ action: 'escalate', citations: [] });
  });

  it('does not answer an off-topic question: it escalates for low confidence', async () => {
    const decision = await ask('Quelle est la capitale du Pérou ?');
    expect(decision.action).toBe('escalate');
    expect(decision.escalation?.reason).toBe('low_confidence');
    expect(decision.citations).toEqual([]);
    expect(decision.confidence).toBeLessThan(0.4);
    expect(decision.language).toBe('fr');
    expect(decision.generated_by).toBe('template');
  });

  it('escalates on a request for a human, with a handoff note for them', async () => {
    const decision = await answer(
      [
        { role: 'user', text: 'Comment exporter mon FEC pour mon comptable ?' },
        { role: 'agent', text: 'Ouvrez Paramètres puis Export comptable.' },
        { role: 'user', text: 'Je veux parler à un humain' },
      ],
      { user: { name: 'Camille Martin', email: 'camille@example.fr' } },
    );
    expect(decision).toMatchObject({ action: 'escalate', language: 'fr', citations: [], generated_by: 'template' });
    expect(decision.escalation).toMatchObject({
      reason: 'requested_human',
      team: null,
      note: {
        reason: 'requested_human',
        last_question: 'Je veux parler à un humain',
        user_profile: { name: 'Camille Martin', email: 'camille@example.fr' },
      },
    });
    const note = decision.escalation!.note;
    expect(note.reason_text.length).toBeGreaterThan(0);
    expect(note.text).toContain('Camille Martin');
    expect(note.text).toContain('Je veux parler à un humain');
    expect(note.articles_consulted.map((article: { article_id: string }) => article.article_id)).toContain('fr-export');
    expect(decision.reply.text.length).toBeGreaterThan(0);
  });

  it('stores nothing: no conversation, no message', async () => {
    const before = await storedCounts();
    await ask('Comment connecter mon compte bancaire ?');
    await ask('Je veux parler à un humain');
    expect(await storedCounts()).toEqual(before);
    expect(before).toEqual({ conversations: 0, messages: 0 });
  });

  it('answers only from the agent\'s sources: settings.source_ids leaves the other source out', async () => {
    const created = await t.app.request('/v1/agents', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'team-only', name: 'Team only', settings: { source_ids: [extraSource.id] } }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: { token: string } };

    const scoped = await answer([{ role: 'user', text: 'J’ai oublié mon mot de passe, comment le réinitialiser ?' }], { agent: 'team-only', token: token.token });
    const mainIds = new Set(HELP_CENTER.map((article) => article.id));
    expect(scoped.citations.filter((citation) => mainIds.has(citation.article_id))).toEqual([]);
    expect(scoped.action).not.toBe('answer');
    expect(JSON.stringify(scoped.reply.components)).not.toContain('fr-password');

    // Its own source still answers.
    const own = await answer([{ role: 'user', text: 'How do I invite a team member?' }], { agent: 'team-only', token: token.token });
    expect(own.citations[0]?.article_id).toBe('en-team');
    // The default agent (no source_ids) reads every source.
    expect((await ask('J’ai oublié mon mot de passe, comment le réinitialiser ?')).citations[0]?.article_id).toBe('fr-password');
    expect(mainSource.id).not.toBe(extraSource.id);
  });

  it('survives control characters in the text (a NUL byte must not reach the database)', async () => {
    const decision = await ask('J’ai oublié mon mot de passe\u0000, comment le réinitialiser ?');
    expect(decision.citations[0]?.article_id).toBe('fr-password');
    expect((await ask('How do I reset my password?')).citations[0]?.article_id).toBe('en-password');
  });

  it('hands sensitive topics to a human by default', async () => {
    const decision = await ask('Je veux être remboursé de mon abonnement');
    expect(decision).toMatchObject({ action: 'escalate', escalation: { reason: 'sensitive_topic', note: { reason: 'sensitive_topic' } }, citations: [] });
    expect(decision.reasons).toEqual(['sensitive topic "refund" (keyword "rembours*")']);
  });

  it('decides with the agent\'s current settings: teams, triggers, and a patch applies at once', async () => {
    const admin = { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' };
    const created = await t.app.request('/v1/agents', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        id: 'no-triggers',
        name: 'No triggers',
        settings: {
          teams: [{ id: 'billing', name: 'Facturation', external_id: '5512' }],
          default_team: 'billing',
          escalation: { on_human_request: false, sensitive_topics: [] },
        },
      }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: { token: string } };
    const as = { agent: 'no-triggers', token: token.token };

    const human = await answer([{ role: 'user', text: 'Je veux parler à un humain' }], as);
    expect(human.escalation?.reason).not.toBe('requested_human');
    const refund = await answer([{ role: 'user', text: 'Je veux être remboursé de mon abonnement' }], as);
    expect(refund.escalation?.reason).not.toBe('sensitive_topic');
    // Escalations go to the default team, with the platform's id for it.
    const offTopic = await answer([{ role: 'user', text: 'Quelle est la capitale du Pérou ?' }], as);
    expect(offTopic).toMatchObject({
      action: 'escalate',
      escalation: { reason: 'low_confidence', team: { id: 'billing', name: 'Facturation', external_id: '5512' } },
      team: { id: 'billing', name: 'Facturation', external_id: '5512' },
    });

    const patched = await t.app.request('/v1/agents/no-triggers', { method: 'PATCH', headers: admin, body: JSON.stringify({ settings: { escalation: null } }) });
    expect(patched.status).toBe(200);
    const again = await answer([{ role: 'user', text: 'Je veux parler à un humain' }], as);
    expect(again.escalation).toMatchObject({ reason: 'requested_human', team: { id: 'billing' } });
  });

  it('refuses a conversation whose last message is the agent\'s, naming messages', async () => {
    const before = await storedCounts();
    const response = await post({
      messages: [
        { role: 'user', text: 'Comment exporter mon FEC ?' },
        { role: 'agent', text: 'Ouvrez Paramètres puis Export comptable.' },
      ],
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_request', message: 'messages: the last message must be the customer\'s (role "user")' });
    expect(await storedCounts()).toEqual(before);
  });

  it.each([
    ['empty messages', { messages: [] }, /^messages: Too small: expected array to have >=1 items$/],
    ['no messages', {}, /^messages: /],
    ['an empty text', { messages: [{ role: 'user', text: '   ' }] }, /^messages\.0\.text: /],
    ['an unknown role', { messages: [{ role: 'assistant', text: 'Bonjour' }] }, /^messages\.0\.role: /],
    ['an invalid user email', { messages: [{ role: 'user', text: 'Bonjour' }], user: { email: 'not-an-email' } }, /^user\.email: /],
  ])('refuses %s with a 400 naming the field', async (_case, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(message);
  });

  it('answers 400 to malformed JSON and 415 to a body that is not JSON', async () => {
    expect((await post('{"messages": [')).status).toBe(400);
    const text = await post('messages=hello', { contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect((await errorOf(text)).code).toBe('unsupported_media_type');
  });

  it('is for the agent\'s own token or an admin: another agent\'s token gets 404, no token 401', async () => {
    const byAdmin = await answer([{ role: 'user', text: 'How do I export my accounting data as FEC?' }], { token: t.adminToken });
    expect(byAdmin.citations[0]?.article_id).toBe('en-export');

    const other = await t.app.request('/v1/agents', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'other-agent', name: 'Other' }),
    });
    const { token } = (await other.json()) as { token: { token: string } };
    const foreign = await post({ messages: [{ role: 'user', text: 'Bonjour' }] }, { token: token.token });
    expect(foreign.status).toBe(404);
    expect(await errorOf(foreign)).toEqual({ code: 'not_found', message: 'No AI agent "support"' });
    expect((await post({ messages: [{ role: 'user', text: 'Bonjour' }] }, { agent: 'nobody', token: t.adminToken })).status).toBe(404);
    const anonymous = await t.app.request('/v1/agents/support/answer', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', text: 'Bonjour' }] }),
    });
    expect(anonymous.status).toBe(401);
  });
});
