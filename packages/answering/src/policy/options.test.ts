import { describe, expect, it } from 'vitest';
import type { OfferedOption } from '../types';
import { pickOfferedOption } from './options';

const french: OfferedOption[] = [
  { number: 1, label: 'Exporter vos factures', articleId: 'fr-1' },
  { number: 2, label: 'Télécharger une facture en PDF', articleId: 'fr-2' },
  { number: 3, label: "Modifier l'adresse de facturation", articleId: 'fr-3' },
];
const english: OfferedOption[] = [
  { number: 1, label: 'Export your invoices', articleId: 'en-1' },
  { number: 2, label: 'Download an invoice as PDF', articleId: 'en-2' },
  { number: 3, label: 'Change your billing address', articleId: 'en-3' },
];

describe('pickOfferedOption', () => {
  it.each([
    ['2', 2],
    ['2.', 2],
    ['le 2', 2],
    ['Option 2 svp', 2],
    ['n°2', 2],
    ['la deuxième', 2],
    ['le second', 2],
    ['la première', 1],
    ['Le 1er', 1],
    ['la dernière', 3],
    ["c'est plutôt le 3", 3],
    ['3e', 3],
  ])('picks by number or ordinal in French: "%s"', (text, number) => {
    expect(pickOfferedOption(text, french)?.number).toBe(number);
  });

  it.each([
    ['2', 2],
    ['number 2', 2],
    ['the second one', 2],
    ['2nd', 2],
    ['the first', 1],
    ['the last one', 3],
    ["I'll take option 3 please", 3],
    ['one', 1],
  ])('picks by number or ordinal in English: "%s"', (text, number) => {
    expect(pickOfferedOption(text, english)?.number).toBe(number);
  });

  it('picks the option whose title the message names (French and English)', () => {
    expect(pickOfferedOption('télécharger la facture en pdf', french)?.number).toBe(2);
    expect(pickOfferedOption("celui sur l'adresse de facturation", french)?.number).toBe(3);
    expect(pickOfferedOption('Downloading the invoice PDF', english)?.number).toBe(2);
    expect(pickOfferedOption('change billing address', english)?.number).toBe(3);
  });

  it('accepts an option copied with its number', () => {
    expect(pickOfferedOption('2. Télécharger une facture en PDF', french)?.number).toBe(2);
  });

  it('returns null for a new question, even on the same topic', () => {
    expect(pickOfferedOption("Comment modifier l'adresse de livraison ?", french)).toBeNull();
    expect(pickOfferedOption('Comment résilier mon abonnement ?', french)).toBeNull();
    expect(pickOfferedOption('How do I add a user?', english)).toBeNull();
    expect(pickOfferedOption('I have a second question about invoices', english)).toBeNull();
  });

  it('returns null for a number that was not offered, or without options', () => {
    expect(pickOfferedOption('4', french)).toBeNull();
    expect(pickOfferedOption('2', [])).toBeNull();
  });

  it('returns null when the words are too vague to name one option', () => {
    expect(pickOfferedOption('factures', french)).toBeNull();
  });
});
