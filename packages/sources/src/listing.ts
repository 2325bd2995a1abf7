import type { SourceArticle, SourceCursor, SourceListing } from './interface';
import type { HttpPolicy } from './http/request';

/** What createSource and the source constructors accept besides the config: injectables and HTTP tuning. */
export type SourceDeps = Omit<HttpPolicy, 'rateLimitGate' | 'describeErrorBody'>;

/**
 * Wraps a generator that yields articles and returns the next cursor. Nothing is requested until the
 * articles are iterated, and cursor() refuses to answer before the end: storing the cursor of a
 * half-read listing would make the next incremental run skip what was never read.
 */
export function createListing(produce: () => AsyncGenerator<SourceArticle, SourceCursor, undefined>): SourceListing {
  let finalCursor: SourceCursor | undefined;
  let started = false;
  return {
    articles: {
      async *[Symbol.asyncIterator]() {
        if (started) throw new Error('A SourceListing can be iterated only once; ask the source for a new listing.');
        started = true;
        finalCursor = yield* produce();
      },
    },
    cursor() {
      if (finalCursor === undefined) throw new Error('cursor() is only valid once the listing has been fully consumed.');
      return finalCursor;
    },
  };
}
