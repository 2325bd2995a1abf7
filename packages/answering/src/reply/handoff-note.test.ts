import { describe, expect, it } from 'vitest';
import type { ConversationTurn } from '../types';
import { buildHandoffNote, type HandoffNoteInput } from './handoff-note';

const frenchTurns: ConversationTurn[] = [
  { role: 'user', text: 'Bonjour, comment exporter mes factures en PDF ?' },
  { role: 'agent', text: 'Ouvrez Factures, puis cliquez sur Exporter.' },
  { role: 'user', text: "L'export des factures ne marche pas, je veux parler à un conseiller" },
];
const consulted = [
  { articleId: 'fr-export', title: 'Exporter vos factures', url: 'https://help.example/fr/export' },
  { articleId: 'fr-pdf', title: 'Télécharger une facture en PDF', url: null },
];
const user = {
  name: 'Camille Martin',
  email: 'camille@example.fr',
  segments: ['Pro', 'Annuel'],
  tags: ['vip'],
  custom_attributes: { plan: 'Pro', seats: 12, empty: '', options: { sso: true } },
};

const note = (fields: Partial<HandoffNoteInput> = {}) =>
  buildHandoffNote({ reason: 'requested_human', turns: frenchTurns, user, consulted, team: { id: 'billing', name: 'Facturation' }, language: 'fr', ...fields });

describe('buildHandoffNote', () => {
  it('gives the reason in words, with its detail (FR and EN)', () => {
    expect(note().reasonText).toBe('Le client a demandé à parler à un humain.');
    expect(note({ reason: 'sensitive_topic', detail: 'refund' }).reasonText).toBe('Sujet sensible : il doit être traité par un humain. (refund)');
    expect(note({ reason: 'low_confidence', language: 'en' }).reasonText).toBe('The agent found no reliable answer in the help center.');
  });

  it('summarises in at most three lines: first question, topics, what the agent said last', () => {
    const { summary } = note();
    expect(summary.split('\n')).toEqual([
      'Question initiale : Bonjour, comment exporter mes factures en PDF ?',
      'Sujets : exporter, factures, pdf',
      "L'agent a répondu 1 fois, en dernier : « Ouvrez Factures, puis cliquez sur Exporter. »",
    ]);
  });

  it('summarises an English conversation in English', () => {
    const { summary, lastQuestion } = note({
      language: 'en',
      turns: [
        { role: 'user', text: 'My invoice export fails' },
        { role: 'agent', text: 'Try exporting a shorter period.' },
        { role: 'user', text: 'The invoices export still fails, I want a human' },
      ],
    });
    expect(summary.split('\n')).toEqual([
      'First question: My invoice export fails',
      'Topics: invoice, export, fails',
      'The agent replied 1 time, last: "Try exporting a shorter period."',
    ]);
    expect(lastQuestion).toBe('The invoices export still fails, I want a human');
  });

  it('says when the agent had not replied before the handoff', () => {
    expect(note({ turns: [{ role: 'user', text: 'Un humain svp' }] }).summary.split('\n').at(-1)).toBe("Pas de réponse de l'agent avant le transfert.");
  });

  it('writes the whole note as text: reason, team, summary, last question, articles, customer', () => {
    const { text } = note();
    expect(text).toBe(
      [
        'Transfert à un humain',
        'Motif : Le client a demandé à parler à un humain.',
        'Équipe : Facturation',
        `Résumé :\n${note().summary}`,
        "Dernière question :\nL'export des factures ne marche pas, je veux parler à un conseiller",
        'Articles consultés :\n- Exporter vos factures — https://help.example/fr/export\n- Télécharger une facture en PDF',
        'Client :\nNom : Camille Martin\nE-mail : camille@example.fr\nSegments : Pro, Annuel\nTags : vip\nAttributs : plan = Pro ; seats = 12 ; options = {"sso":true}',
      ].join('\n\n'),
    );
  });

  it('says when the team opens when the handoff happens outside business hours (FR and EN)', () => {
    const offHours = { nextOpening: new Date('2026-11-30T08:00:00Z'), timeZone: 'Europe/Paris' };
    expect(note({ offHours }).text).toContain("\n\nHors horaires : l'équipe ouvre lundi 30 novembre à 09:00 UTC+1\n\n");
    expect(note({ offHours: { nextOpening: null, timeZone: 'UTC' }, language: 'en' }).text).toContain('\n\nOutside business hours: no opening in the next 60 days\n\n');
    expect(note().text).not.toContain('Hors horaires');
  });

  it('keeps the structured fields next to the text', () => {
    const built = note();
    expect(built).toMatchObject({ reason: 'requested_human', articlesConsulted: consulted, userProfile: user, team: { id: 'billing' } });
    expect(built.lastQuestion).toBe("L'export des factures ne marche pas, je veux parler à un conseiller");
  });

  it('says "none" for an unknown customer and no article, without a team line', () => {
    const { text } = note({ user: {}, consulted: [], team: null, language: 'en', reason: 'frustration' });
    expect(text).toContain('Articles consulted: none');
    expect(text).toContain('Customer: none');
    expect(text).not.toContain('Team:');
  });
});
