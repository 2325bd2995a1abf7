import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createLogger, SecretBox } from '@relai/config';
import { openTestDatabase, type TestDatabase } from '@relai/db/testing';
import { createEmbedder, runSync, SourceStore, type Embedder } from '@relai/ingest';
import type { ArticleSource, SourceArticle } from '@relai/sources';
import { retrieve } from './retrieve';

let handle: TestDatabase;
let embedder: Embedder;
const tenants: Record<string, string> = {};

const doc = (externalId: string, title: string, html: string, locale: string): SourceArticle => ({
  externalId, title, html, locale, url: null, collectionPath: [], state: 'published', updatedAt: null,
});

const helpCenter: SourceArticle[] = [
  doc('refund-fr', 'Politique de remboursement', '<p>Vous pouvez demander un remboursement dans les 14 jours suivant le paiement. Le remboursement est calculé au prorata.</p>', 'fr'),
  doc('cancel-fr', 'Résilier votre abonnement', '<p>Pour résilier, ouvrez Paramètres puis Abonnement et cliquez sur Résilier. La résiliation prend effet à la fin de la période.</p>', 'fr'),
  doc('password-en', 'Reset your password', '<p>Click "Forgot password" on the sign-in page. We email you a reset link valid for 30 minutes.</p>', 'en'),
  doc('export-en', 'Export your accounting data', '<p>Export invoices as FEC or CSV files for your accountant from Settings, Accounting export.</p>', 'en'),
  doc('apprentice-en', 'Apprentice rate', '<p>Apprentices under 19 are entitled to the apprentice rate of the minimum wage. Apprentices over 19 in their first year too.</p>', 'en'),
];

async function loadTenant(name: string, articles: SourceArticle[]) {
  const sources = new SourceStore(handle.db, new SecretBox('k'.repeat(40)));
  const tenant = (await handle.db.query<{ id: string }>('INSERT INTO tenants (name) VALUES ($1) RETURNING id', [name])).rows[0]!.id;
  const source = await sources.create(tenant, { name: 'kb', config: { kind: 'jsonl', path: '/dev/null' }, full_sync_cron: '0 3 * * 1', timezone: 'UTC', incremental_every_minutes: 0 }, 'secret-secret-secret');
  const connector: ArticleSource = {
    kind: 'jsonl',
    listAll: () => ({ articles: (async function* () { yield* articles; })(), cursor: () => ({}) }),
    listChanged: () => ({ articles: (async function* () {})(), cursor: () => ({}) }),
    fetchOne: async () => null,
  };
  await runSync({ db: handle.db, embedder, sources, logger: createLogger('silent'), connect: () => connector }, source, 'full', { trigger: 'test' });
  tenants[name] = tenant;
}

beforeEach(async () => {
  handle = await openTestDatabase(inject('pgliteTemplateDir'));
  embedder = await createEmbedder({ provider: 'local' });
  await loadTenant('facturo', helpCenter);
  await loadTenant('other', [doc('secret-other', 'Politique de remboursement interne', '<p>Remboursement réservé au personnel.</p>', 'fr')]);
});
afterEach(() => handle.dispose());

const ask = (turns: Array<{ role: 'user' | 'agent'; text: string }>, tenant = 'facturo') => retrieve(handle.db, embedder, { tenantId: tenants[tenant]!, turns });

describe('retrieve', () => {
  it('finds the French article for a French paraphrase, with stemming and folded accents', async () => {
    const result = await ask([{ role: 'user', text: 'Comment etre rembourse apres un paiement ?' }]);
    expect(result.candidates[0]?.externalId).toBe('refund-fr');
    expect(result.language).toBe('fr');
  });

  it('finds the English article for an English question', async () => {
    const result = await ask([{ role: 'user', text: 'I forgot my password, how do I reset it?' }]);
    expect(result.candidates[0]?.externalId).toBe('password-en');
    expect(result.candidates[0]?.passage.text).toContain('reset link');
  });

  it('uses the history when the last message is only "Yes"', async () => {
    const result = await ask([
      { role: 'user', text: 'Am I entitled to the apprentice rate?' },
      { role: 'agent', text: 'Are you under 19?' },
      { role: 'user', text: 'Yes' },
    ]);
    expect(result.candidates[0]?.externalId).toBe('apprentice-en');
  });

  it('never returns another tenant\'s articles', async () => {
    const result = await ask([{ role: 'user', text: 'Politique de remboursement interne du personnel' }]);
    expect(result.candidates.map((c) => c.externalId)).not.toContain('secret-other');
    const other = await ask([{ role: 'user', text: 'remboursement' }], 'other');
    expect(other.candidates.map((c) => c.externalId)).toEqual(['secret-other']);
  });

  it('is more confident for an on-topic question than for an off-topic one', async () => {
    const onTopic = await ask([{ role: 'user', text: 'How can I export my invoices as FEC for my accountant?' }]);
    const offTopic = await ask([{ role: 'user', text: 'Who won the football world cup in 1998?' }]);
    expect(onTopic.confidence).toBeGreaterThan(offTopic.confidence);
    expect(onTopic.features).not.toBeNull();
  });

  it('gives the same ranking for the same input', async () => {
    const turns = [{ role: 'user' as const, text: 'résilier abonnement remboursement' }];
    const first = await ask(turns);
    const second = await ask(turns);
    expect(second.candidates.map((c) => c.externalId)).toEqual(first.candidates.map((c) => c.externalId));
    expect(second.confidence).toBe(first.confidence);
  });

  it('returns nothing for a message without words', async () => {
    const result = await ask([{ role: 'user', text: '👍 !!!' }]);
    expect(result.candidates).toEqual([]);
    expect(result.confidence).toBe(0);
  });

  it('searches only the sources and articles in scope, in both rankings', async () => {
    const tenantId = tenants.facturo!;
    const { rows } = await handle.db.query<{ source_id: string; cancel_id: string }>(
      "SELECT source_id, id AS cancel_id FROM articles WHERE tenant_id = $1 AND external_id = 'cancel-fr'",
      [tenantId],
    );
    const { source_id: sourceId, cancel_id: cancelId } = rows[0]!;
    const turns = [{ role: 'user' as const, text: 'Comment être remboursé après un paiement ?' }];
    const inSource = await retrieve(handle.db, embedder, { tenantId, turns, scope: { sourceIds: [sourceId] } });
    expect(inSource.candidates[0]?.externalId).toBe('refund-fr');
    const elsewhere = await retrieve(handle.db, embedder, { tenantId, turns, scope: { sourceIds: ['00000000-0000-4000-8000-000000000000'] } });
    expect(elsewhere.candidates).toEqual([]);
    const picked = await retrieve(handle.db, embedder, { tenantId, turns, scope: { articleIds: [cancelId] } });
    expect(picked.candidates.map((candidate) => candidate.externalId)).toEqual(['cancel-fr']);
  });

  it('ranks a question made only of words most articles use, by scoring the nearest chunks lexically', async () => {
    await loadTenant('invoices', [
      doc('edit-invoice', 'Modifier une facture', '<p>Une facture validée se corrige par un avoir puis une nouvelle facture.</p>', 'fr'),
      doc('send', 'Envoyer par e-mail', '<p>Chaque facture part par e-mail depuis la liste des documents.</p>', 'fr'),
      doc('pay', 'Paiement en ligne', '<p>Le client règle la facture par carte depuis le lien reçu.</p>', 'fr'),
      doc('remind', 'Relances', '<p>Une relance part pour chaque facture en retard de paiement.</p>', 'fr'),
    ]);
    const result = await ask([{ role: 'user', text: 'facture ?' }], 'invoices');
    expect(result.candidates[0]?.externalId).toBe('edit-invoice');
    expect(result.candidates[0]?.lexicalRank).toBe(1);
  });

  it('follows a change of topic mid-conversation instead of dragging the old topic along', async () => {
    const result = await ask([
      { role: 'user', text: 'Comment être remboursé après un paiement ?' },
      { role: 'agent', text: 'Vous pouvez demander un remboursement dans les 14 jours suivant le paiement.' },
      { role: 'user', text: 'Export accounting data' },
    ]);
    expect(result.candidates[0]?.externalId).toBe('export-en');
  });
});
