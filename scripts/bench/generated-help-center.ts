import type { FakeIntercomArticle, FakeIntercomCollection } from '@relai/sources/testing';

/**
 * A deterministic help center of N articles for benchmarks: French and English, 2-8 sections each,
 * lists and tables, lengths from a few hundred characters to ~10 KB, spread over nested collections.
 */
const FR = 'facture devis paiement abonnement remboursement compte mot de passe export comptable banque carte prélèvement relance client équipe rôle sécurité données TVA mention avoir échéance'.split(' ');
const EN = 'invoice quote payment subscription refund account password export accountant bank card debit reminder customer team role security data VAT notice credit due'.split(' ');

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function sentence(words: string[], next: () => number): string {
  const length = 8 + Math.floor(next() * 14);
  const picked = Array.from({ length }, () => words[Math.floor(next() * words.length)]!);
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
