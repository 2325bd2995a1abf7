import type { FakeIntercomArticle, FakeIntercomCollection } from '@relai/sources/testing';

/**
 * A deterministic help center of N articles for benchmarks: French and English, 2-8 sections each,
 * lists and tables, lengths from a few hundred characters to ~10 KB, spread over nested collections.
 * Words follow a Zipf law over a few thousand per language, as real text does: a tiny vocabulary
 * would make every term match half the corpus and measure nothing real.
 */
const FR_SEED = 'facture devis paiement abonnement remboursement compte mot de passe export comptable banque carte prélèvement relance client équipe rôle sécurité données TVA mention avoir échéance le la les des pour dans avec vous votre est une sur par'.split(' ');
const EN_SEED = 'invoice quote payment subscription refund account password export accountant bank card debit reminder customer team role security data VAT notice credit due the a of to and in for your you is on with by'.split(' ');
const FR_SYLLABLES = ['fa', 'ctu', 're', 'mon', 'tan', 'ge', 'sti', 'on', 'pai', 'ement', 'ab', 'onn', 'rem', 'bour', 'cli', 'ent', 'sé', 'cu', 'ri', 'té', 'dé', 'cla', 'ra', 'tion', 'ver', 'se', 'ment', 'é', 'ché', 'an', 'ce'];
const EN_SYLLABLES = ['in', 'voi', 'ce', 'pay', 'ment', 'sub', 'scrip', 'tion', 're', 'fund', 'ac', 'count', 'pass', 'word', 'ex', 'port', 'set', 'ting', 'cus', 'tom', 'er', 'tax', 'ad', 'just', 'bal', 'an', 'ledg', 'mer', 'chant', 'ship', 'ping'];

function vocabulary(seedWords: string[], syllables: string[], size: number): string[] {
  const words = [...seedWords];
  const next = random(syllables.length * 31 + size);
  const seen = new Set(words);
  while (words.length < size) {
    const length = 2 + Math.floor(next() * 3);
    const word = Array.from({ length }, () => syllables[Math.floor(next() * syllables.length)]!).join('');
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

const FR = vocabulary(FR_SEED, FR_SYLLABLES, 4000);
const EN = vocabulary(EN_SEED, EN_SYLLABLES, 4000);

/** Zipf(s = 1.07) over ranks 1..n, by inverse transform on the precomputed cumulative weights. */
function zipf(n: number): number[] {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= n; rank++) cumulative.push((total += 1 / rank ** 1.07));
  return cumulative.map((value) => value / total);
}
const CUMULATIVE = zipf(4000);

function pickWord(words: string[], next: () => number): string {
  const target = next();
  let low = 0;
  let high = CUMULATIVE.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (CUMULATIVE[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return words[low]!;
}

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function sentence(words: string[], next: () => number): string {
  const length = 8 + Math.floor(next() * 14);
  const picked = Array.from({ length }, () => pickWord(words, next));
  return `${picked.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
}

export function generatedCollections(): FakeIntercomCollection[] {
  const top = ['Compte', 'Facturation', 'Paiements', 'Intégrations', 'Account', 'Billing'];
  return top.flatMap((name, index) => [
    { id: String(index + 1), name, parentId: null, helpCenterId: 1 },
    { id: String(index + 101), name: `${name} avancé`, parentId: String(index + 1), helpCenterId: null },
  ]);
}

export function generatedArticle(index: number, revision = 0): FakeIntercomArticle {
  const next = random(index * 7919 + revision * 104729 + 1);
  const french = index % 3 !== 0;
  const words = french ? FR : EN;
  const sections = 2 + Math.floor(next() * 7);
  let body = '';
  for (let s = 0; s < sections; s++) {
    body += `<h2>${sentence(words, next).slice(0, 40)}</h2>`;
    const paragraphs = 1 + Math.floor(next() * 4);
    for (let p = 0; p < paragraphs; p++) body += `<p>${Array.from({ length: 2 + Math.floor(next() * 4) }, () => sentence(words, next)).join(' ')}</p>`;
    if (next() < 0.3) body += `<ul>${Array.from({ length: 3 }, () => `<li>${sentence(words, next)}</li>`).join('')}</ul>`;
    if (next() < 0.1) body += `<table><tr><th>Offre</th><th>Prix</th></tr><tr><td>Solo</td><td>${9 + index % 20} €</td></tr></table>`;
  }
  const collection = generatedCollections()[index % 12]!;
  return {
    id: String(10_000 + index),
    title: `${sentence(words, next).slice(0, 60)} #${index}`,
    body: `<nav>Menu</nav>${body}<footer>© Facturo</footer>`,
    state: 'published',
    updatedAt: 1_763_000_000 + index + revision * 100_000,
    parentIds: [Number(collection.id)],
    locale: french ? 'fr' : 'en',
  };
}
