import { buildConversationQuery } from '@relai/retrieval';
import { describe, expect, it } from 'vitest';
import { candidate } from '../policy/candidate-fixture';
import { extractiveAnswer } from './extractive-answer';

const ask = (question: string, text: string, options: { maxSentences?: number; title?: string; headingPath?: string[] } = {}) =>
  extractiveAnswer({
    query: buildConversationQuery([{ role: 'user', text: question }]),
    supporting: [candidate({ externalId: 'a', title: options.title ?? 'Article', passage: { headingPath: options.headingPath ?? [], text } })],
    maxSentences: options.maxSentences ?? 3,
  });

const lockedOut = [
  'Compte bloqué après plusieurs essais',
  'Après 5 tentatives échouées, la connexion est bloquée pendant 15 minutes. Le blocage se lève tout seul. Vous pouvez quand même réinitialiser votre mot de passe pendant ce délai.',
  'Vous avez changé de téléphone ? Consultez l’article sur la double authentification (2FA).',
].join('\n\n');

describe('extractiveAnswer', () => {
  it('quotes the sentences that answer a French question, in order, without the heading', () => {
    const answer = ask('Mon compte est bloqué, combien de temps ?', lockedOut, { maxSentences: 2 });
    expect(answer).toBe('Après 5 tentatives échouées, la connexion est bloquée pendant 15 minutes. Le blocage se lève tout seul.');
  });

  it('matches words across accents and inflections (English)', () => {
    const text = 'Invoices are numbered automatically. You can export every invoice of a period as a CSV file from the Invoices page. Exports include credit notes.';
    expect(ask('how do I export my invoices to csv', text, { maxSentences: 1 })).toBe(
      'You can export every invoice of a period as a CSV file from the Invoices page.',
    );
    expect(ask('telecharger facture', 'Le tarif est fixe. Vous pouvez télécharger chaque facture en PDF.', { maxSentences: 1 })).toBe(
      'Vous pouvez télécharger chaque facture en PDF.',
    );
  });

  it('prefers the sentence that follows the best one to a far, weaker one', () => {
    const text = 'Open Settings, then Billing. Click Export to download your invoices. The file arrives by email within minutes. Billing questions go to the billing team. Invoices are kept 10 years.';
    expect(ask('export invoices', text, { maxSentences: 2 })).toBe('Click Export to download your invoices. The file arrives by email within minutes.');
  });

  it('adds a distant sentence that answers as well as the best one, in the passage order', () => {
    const text = "Les factures s'exportent aussi depuis l'application mobile. Le numéro ne peut pas changer. Les avoirs suivent la même règle. Pour exporter les factures, ouvrez Factures puis Exporter.";
    expect(ask('exporter factures', text, { maxSentences: 2 })).toBe(
      "Les factures s'exportent aussi depuis l'application mobile. Pour exporter les factures, ouvrez Factures puis Exporter.",
    );
  });

  it('keeps a numbered procedure whole, one step per line, with its introduction (FR)', () => {
    const text = [
      'Pour recevoir le lien de réinitialisation :',
      '1. Rendez-vous sur la page de connexion.',
      '2. Cliquez sur Mot de passe oublié.',
      '3. Saisissez votre adresse e-mail puis cliquez sur Envoyer le lien.',
      'Le lien est valable une heure.',
    ].join('\n\n');
    expect(ask('Comment réinitialiser mon mot de passe ? Je veux recevoir le lien', text, { maxSentences: 2 })).toBe(
      [
        'Pour recevoir le lien de réinitialisation :',
        '1. Rendez-vous sur la page de connexion.',
        '2. Cliquez sur Mot de passe oublié.',
        '3. Saisissez votre adresse e-mail puis cliquez sur Envoyer le lien.',
      ].join('\n'),
    );
  });

  it('quotes a short bullet list whole (EN)', () => {
    const text = ['Choose an accepted password', '- At least 12 characters;', '- at least one letter and one number;', '- not one of your last 3 passwords.', 'Every open session is then signed out.'].join('\n\n');
    expect(ask('what are the password requirements', text, { maxSentences: 1 })).toBe(
      '- At least 12 characters;\n- at least one letter and one number;\n- not one of your last 3 passwords.',
    );
  });

  it('leaves out a question heading of an FAQ (FR)', () => {
    const text = "Vous ne recevez pas l'e-mail ?\n\nRegardez dans vos courriers indésirables. L'e-mail peut mettre 5 minutes à arriver.";
    expect(ask("je ne reçois pas l'email", text, { maxSentences: 1 })).toBe("L'e-mail peut mettre 5 minutes à arriver.");
  });

  it('leaves out feedback widgets and other boilerplate', () => {
    const text = 'You can export your invoices from the Invoices page.\n\nWas this article helpful?\n\nRelated articles';
    expect(ask('export invoices', text)).toBe('You can export your invoices from the Invoices page.');
  });

  it('stays within about 500 characters without cutting a sentence', () => {
    const sentence = (n: number) => `Les factures du mois ${n} sont exportées en PDF avec toutes leurs lignes, leurs remises, leurs taxes et leurs conditions de paiement détaillées.`;
    const answer = ask('exporter les factures en PDF', [1, 2, 3, 4].map(sentence).join(' '), { maxSentences: 8 });
    expect(answer.length).toBeLessThanOrEqual(500);
    expect(answer).toMatch(/\.$/);
    expect(answer.split('. ').length).toBe(3);
  });

  it('cuts a single over-long sentence on a word boundary with an ellipsis', () => {
    const long = `Pour exporter vos factures, ${'ouvrez le menu, choisissez la période, '.repeat(20)}puis validez.`;
    const answer = ask('exporter factures', long);
    expect(answer.length).toBeLessThanOrEqual(500);
    expect(answer).toMatch(/^Pour exporter vos factures, ouvrez/);
    expect(answer).toMatch(/[a-zé]…$/);
  });

  it('quotes the opening of the passage when no word of the question appears in it', () => {
    expect(ask('Wie exportiere ich?', 'First sentence. Second sentence. Third sentence. Fourth.', { maxSentences: 2 })).toBe('First sentence. Second sentence.');
  });

  it('returns nothing without a supporting article', () => {
    expect(extractiveAnswer({ query: buildConversationQuery([{ role: 'user', text: 'export' }]), supporting: [], maxSentences: 3 })).toBe('');
  });
});
