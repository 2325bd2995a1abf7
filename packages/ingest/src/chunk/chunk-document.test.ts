import { describe, expect, it } from 'vitest';
import type { Block, CleanDocument } from '../pipeline-types';
import { chunkDocument } from './chunk-document';

const doc = (...blocks: Block[]): CleanDocument => ({ blocks, text: blocks.map((b) => b.text).join('\n\n'), truncatedReason: null });
const h = (level: number, text: string): Block => ({ type: 'heading', level, text });
const p = (text: string): Block => ({ type: 'text', text });

/** Distinct French sentences, `count` of them, about 60 characters each. */
const phrases = (label: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${label} ${i + 1} : le remboursement arrive sous 14 jours ouvrés.`).join(' ');

describe('chunkDocument', () => {
  it('keeps a short article whole in one chunk under the title alone', () => {
    const article = doc(h(2, 'Étapes'), p('Ouvrez Paramètres.'), p('- Cliquez sur Résilier'));
    expect(chunkDocument('Annuler mon abonnement', article)).toEqual([
      { position: 0, headingPath: [], text: article.text, context: 'Annuler mon abonnement' },
    ]);
  });

  it('returns no chunk for an empty article', () => {
    expect(chunkDocument('Vide', doc())).toEqual([]);
  });

  it('gives each section its nested heading path and context', () => {
    const article = doc(
      p(phrases('Intro', 5)),
      h(2, 'Billing'),
      p(phrases('Billing', 12)),
      h(3, 'Refunds'),
      p(phrases('Refunds', 12)),
      h(2, 'Security'),
      p(phrases('Security', 12)),
    );
    const chunks = chunkDocument('Account help', article);
    expect(chunks.map((c) => [c.position, c.headingPath, c.context])).toEqual([
      [0, [], 'Account help'],
      [1, ['Billing'], 'Account help > Billing'],
      [2, ['Billing', 'Refunds'], 'Account help > Billing > Refunds'],
      [3, ['Security'], 'Account help > Security'],
    ]);
    expect(chunks[2]?.text).toBe(phrases('Refunds', 12));
  });

  it('packs small sibling sections together and names each one in the text', () => {
    const article = doc(
      h(2, 'Facturation'),
      h(3, 'Factures'),
      p(phrases('Factures', 4)),
      h(3, 'Avoirs'),
      p(phrases('Avoirs', 4)),
      h(2, 'Sécurité'),
      p(phrases('Sécurité', 4)),
      h(2, 'Contact'),
      p(phrases('Contact', 16)),
    );
    const chunks = chunkDocument('Aide', article);
    expect(chunks.map((c) => c.headingPath)).toEqual([['Facturation'], ['Sécurité'], ['Contact']]);
    expect(chunks[0]?.text).toBe(`Factures\n\n${phrases('Factures', 4)}\n\nAvoirs\n\n${phrases('Avoirs', 4)}`);
    // Sections under different top-level headings are not packed, even when they would fit.
    expect(chunks[1]?.text).toBe(phrases('Sécurité', 4));
  });

  it('splits a big section on block boundaries first', () => {
    const blocks = [1, 2, 3, 4].map((n) => phrases(`Bloc ${n}`, 8));
    const chunks = chunkDocument('Guide', doc(h(2, 'Étapes'), ...blocks.map(p)));
    expect(chunks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(chunks.some((c) => c.text.includes(block))).toBe(true);
    for (const chunk of chunks) {
      expect(chunk.headingPath).toEqual(['Étapes']);
      expect(chunk.text.length).toBeLessThanOrEqual(1200);
    }
  });

  it('splits a huge paragraph on sentence boundaries, with whole sentences repeated as overlap', () => {
    const sentences = Array.from(
      { length: 60 },
      (_, i) => `Phrase ${i + 1} : payez par carte, p. ex. Visa, TVA non applicable, art. 293 B du CGI, taux de 3.5 %.`,
    );
    const chunks = chunkDocument('Paiement', doc(p(sentences.join(' '))));
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1200);
      // Every chunk starts and ends on a sentence boundary: abbreviations and decimals were not split.
      expect(chunk.text).toMatch(/^Phrase \d+ : .*%\.$/s);
    }
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]?.text ?? '';
      const current = chunks[i]?.text ?? '';
      const firstSentence = current.slice(0, current.indexOf('%.') + 2);
      expect(previous.endsWith(firstSentence)).toBe(true);
      expect(firstSentence.length).toBeLessThanOrEqual(150);
    }
  });

  it('hard-splits giant unbroken text and still loses nothing', () => {
    const token = 'x'.repeat(5_000);
    const chunks = chunkDocument('Jeton', doc(p(token)), { overlapChars: 0 });
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(1200);
    expect(chunks.map((c) => c.text).join('')).toBe(token);
  });

  it('cuts long text at spaces when it has no sentence punctuation', () => {
    const words = Array.from({ length: 800 }, (_, i) => `mot${i}`).join(' ');
    const chunks = chunkDocument('Liste', doc(p(words)), { overlapChars: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.text).toMatch(/^mot\d+( mot\d+)*$/);
    expect(chunks.map((c) => c.text).join(' ')).toBe(words);
  });

  it('merges a tiny trailing section into the previous chunk under the same parent heading', () => {
    const article = doc(
      h(2, 'Compte'),
      h(3, 'Profil'),
      p(phrases('Profil', 16)),
      h(3, 'Langue'),
      p(phrases('Langue', 16)),
      h(3, 'Fuseau'),
      p('Réglé automatiquement.'),
    );
    const chunks = chunkDocument('Paramètres', article);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]?.headingPath).toEqual(['Compte']);
    expect(chunks[1]?.text).toBe(`Langue\n\n${phrases('Langue', 16)}\n\nFuseau\n\nRéglé automatiquement.`);
  });

  it('leaves a tiny section alone when it sits under a different top-level heading', () => {
    const article = doc(h(2, 'Billing'), p(phrases('Billing', 20)), h(2, 'Contact'), p('Email us any time.'));
    expect(article.text.length).toBeGreaterThan(1200);
    expect(chunkDocument('Help', article).map((c) => [c.headingPath, c.text])).toEqual([
      [['Billing'], phrases('Billing', 20)],
      [['Contact'], 'Email us any time.'],
    ]);
  });

  it('appends the tiny tail of a split section to the piece before it', () => {
    const text = `${phrases('Étape', 38)} Fin.`;
    const chunks = chunkDocument('Guide', doc(p(text)));
    expect(chunks.at(-1)?.text.endsWith(' Fin.')).toBe(true);
    expect(chunks.at(-1)?.text.length).toBeGreaterThan(200);
  });

  it('loses no sentence of a 600 KB article and is deterministic', () => {
    const blocks: Block[] = [];
    for (let section = 0; blocks.length < 12_000; section++) {
      blocks.push(h(2 + (section % 3), `Section ${section}`));
      for (let i = 0; i < 3 + (section % 5); i++) blocks.push(p(phrases(`S${section}P${i}`, 1 + ((section * i) % 9))));
    }
    const article = doc(...blocks);
    expect(article.text.length).toBeGreaterThan(600_000);
    const chunks = chunkDocument('Gros article', article);
    const all = chunks.map((c) => c.text).join('\n');
    // Blocks are distinct and kept in order, so each is searched for from where the previous one was found.
    let cursor = 0;
    for (const block of blocks.filter((b) => b.type === 'text')) {
      const found = all.indexOf(block.text, cursor);
      expect(found, block.text).toBeGreaterThanOrEqual(0);
      cursor = found;
    }
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i));
    expect(chunkDocument('Gros article', article)).toEqual(chunks);
  });

  it('rejects sizes that cannot make progress', () => {
    const article = doc(p('Bonjour.'));
    expect(() => chunkDocument('T', article, { maxChars: 0 })).toThrow(RangeError);
    expect(() => chunkDocument('T', article, { maxChars: 300, overlapChars: 150 })).toThrow(/overlapChars/);
    expect(() => chunkDocument('T', article, { maxChars: 300, minChars: 300 })).toThrow(/minChars/);
  });
});
