import { describe, expect, it } from 'vitest';
import { contentHash, type ContentHashParts } from './content-hash';

const article: ContentHashParts = {
  title: 'Annuler mon abonnement',
  body: '<p>Rendez-vous dans Paramètres &gt; Facturation.</p>',
  bodyFormat: 'html',
  url: 'https://aide.example.fr/articles/42',
  collectionPath: ['Compte', 'Facturation'],
  locale: 'fr-FR',
  state: 'published',
  tags: ['facturation'],
};

describe('contentHash', () => {
  it('is a sha256 hex digest that stays the same for an unchanged article', () => {
    const hash = contentHash(article);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ...article, collectionPath: [...article.collectionPath] })).toBe(hash);
  });

  it.each<[string, Partial<ContentHashParts>]>([
    ['title', { title: 'Cancel my subscription' }],
    ['body', { body: '<p>Go to Settings &gt; Billing.</p>' }],
    ['body format', { bodyFormat: 'text' }],
    ['tags', { tags: [] }],
    ['url', { url: 'https://aide.example.fr/articles/43' }],
    ['missing url', { url: null }],
    ['collection path', { collectionPath: ['Compte'] }],
    ['locale', { locale: 'en' }],
    ['missing locale', { locale: null }],
    ['state', { state: 'draft' }],
  ])('changes when the %s changes', (_field, change) => {
    expect(contentHash({ ...article, ...change })).not.toBe(contentHash(article));
  });

  it('does not confuse field boundaries or path segments', () => {
    const base = { ...article, title: 'ab', body: 'c' };
    expect(contentHash({ ...base, title: 'a', body: 'bc' })).not.toBe(contentHash(base));
    expect(contentHash({ ...article, collectionPath: ['Compte/Facturation'] })).not.toBe(
      contentHash({ ...article, collectionPath: ['Compte', 'Facturation'] }),
    );
    expect(contentHash({ ...article, url: '' })).not.toBe(contentHash({ ...article, url: null }));
  });
});
