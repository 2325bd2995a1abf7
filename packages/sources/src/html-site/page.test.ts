import { describe, expect, it } from 'vitest';
import { extractPage, splitSelectorList } from './page';

const PAGE_URL = new URL('https://help.acme.test/fr/articles/42');
const DEFAULT_SELECTORS = { title: 'h1, title', body: 'article, main, [role=main], .article-body, body' };

describe('extractPage', () => {
  it('tries the title and body selectors in the order given, not in document order', () => {
    const page = extractPage(
      '<html><head><title>Site title</title></head><body><main><h1>  Article   title </h1><article><p>Text</p></article></main></body></html>',
      PAGE_URL,
      DEFAULT_SELECTORS,
    );
    expect(page.title).toBe('Article title');
    expect(page.html).toBe('<article><p>Text</p></article>');
  });

  it('falls back to the next title selector when the first finds no text', () => {
    const page = extractPage('<title>Only a title</title><h1> </h1><p>x</p>', PAGE_URL, DEFAULT_SELECTORS);
    expect(page.title).toBe('Only a title');
  });

  it('gives no body when a custom body selector matches nothing (a listing page, not an article)', () => {
    const page = extractPage('<h1>Category</h1><ul><li>a</li></ul>', PAGE_URL, { title: 'h1', body: '.article-body' });
    expect(page.html).toBeNull();
  });

  it('reads breadcrumbs from .breadcrumb items, dropping the home link and the current page', () => {
    const page = extractPage(
      `<ol class="breadcrumb"><li><a href="https://help.acme.test/">Accueil</a></li><li><a href="/fr/billing">Facturation</a></li>
       <li><a href="/fr/billing/refunds">Remboursements</a></li><li>Délais</li></ol><h1>Délais</h1>`,
      PAGE_URL,
      DEFAULT_SELECTORS,
    );
    expect(page.collectionPath).toEqual(['Facturation', 'Remboursements']);
  });

  it('reads meta robots "none" as noindex and nofollow', () => {
    const page = extractPage('<head><meta name="ROBOTS" content="none"></head><h1>x</h1>', PAGE_URL, DEFAULT_SELECTORS);
    expect(page).toMatchObject({ noindex: true, nofollow: true });
    expect(extractPage('<h1>x</h1>', PAGE_URL, DEFAULT_SELECTORS)).toMatchObject({ noindex: false, nofollow: false });
  });

  it('resolves links and the canonical against <base href>, dropping fragments and non-http links', () => {
    const page = extractPage(
      '<head><base href="https://help.acme.test/en/"><link rel="canonical" href="articles/42#top"></head><a href="articles/7#s2">x</a><a href="mailto:a@b.c">m</a>',
      PAGE_URL,
      DEFAULT_SELECTORS,
    );
    expect(page.canonical?.href).toBe('https://help.acme.test/en/articles/42');
    expect(page.links.map((link) => link.href)).toEqual(['https://help.acme.test/en/articles/7']);
  });
});

describe('splitSelectorList', () => {
  it('splits on top-level commas only', () => {
    expect(splitSelectorList('article, main:is(.a, .b), [data-x="1,2"]')).toEqual(['article', 'main:is(.a, .b)', '[data-x="1,2"]']);
  });
});
