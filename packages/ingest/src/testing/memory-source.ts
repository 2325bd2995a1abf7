import type { ArticleSource, ListingOptions, SourceArticle, SourceCursor, SourceListing } from '@relai/sources';

/**
 * A help center held in memory, for sync tests: the external platform is what we fake, never our
 * database. `failAfter` makes the listing throw after that many articles (a source that goes down).
 */
export class MemorySource implements ArticleSource {
  readonly kind = 'jsonl' as const;
  readonly articles = new Map<string, SourceArticle>();
  failAfter: number | null = null;
  listings = 0;

  constructor(articles: SourceArticle[] = []) {
    for (const article of articles) this.put(article);
  }

  put(article: SourceArticle): void {
    this.articles.set(article.externalId, article);
  }

  listAll(options?: ListingOptions): SourceListing {
    return this.listing([...this.articles.values()], options);
  }

  listChanged(cursor: SourceCursor | null, options?: ListingOptions): SourceListing {
    const since = typeof cursor?.updatedAt === 'number' ? cursor.updatedAt : -Infinity;
    return this.listing([...this.articles.values()].filter((article) => (article.updatedAt?.getTime() ?? 0) > since), options);
  }

  async fetchOne(externalId: string): Promise<SourceArticle | null> {
    return this.articles.get(externalId) ?? null;
  }

  private listing(articles: SourceArticle[], options?: ListingOptions): SourceListing {
    this.listings++;
    const failAfter = this.failAfter;
    const newest = Math.max(0, ...[...this.articles.values()].map((article) => article.updatedAt?.getTime() ?? 0));
    return {
      articles: (async function* () {
        options?.onTotal?.(articles.length);
        let emitted = 0;
        for (const article of articles) {
          if (failAfter !== null && emitted >= failAfter) throw new Error('source answered 503 Service Unavailable after 5 attempts');
          emitted++;
          yield article;
        }
      })(),
      cursor: () => ({ updatedAt: newest }),
    };
  }
}

let clock = Date.parse('2026-01-01T00:00:00Z');

/** A published article with sensible defaults; each call is "newer" than the previous one. */
export function article(externalId: string, overrides: Partial<SourceArticle> = {}): SourceArticle {
  clock += 1000;
  return {
    externalId,
    title: `Article ${externalId}`,
    url: `https://help.example.com/articles/${externalId}`,
    collectionPath: ['Facturation'],
    locale: 'fr',
    state: 'published',
    html: `<h2>Section</h2><p>Contenu de l'article ${externalId} sur la facturation et les remboursements.</p>`,
    updatedAt: new Date(clock),
    ...overrides,
  };
}
