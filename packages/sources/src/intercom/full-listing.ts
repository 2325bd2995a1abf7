import type { IntercomArticle, IntercomClient } from './intercom-client';

/** Extra passes over the list allowed when articles moved between pages while we were reading it. */
const MAX_PASSES = 3;

export interface FullListingOptions {
  perPage: number;
  signal?: AbortSignal;
  onTotal?: (total: number) => void;
}

/**
 * Every article, each once. Returns the high-water mark for the next incremental run: the newest
 * updated_at on the first page, read before anything else, so an edit made while we page is newer
 * than the mark and the next run picks it up.
 *
 * Page-number paging over a list sorted by updated_at is not stable: an article edited mid-listing
 * jumps to page 1 (already read) and may never be seen. A full sync deletes what it did not see, so
 * when fewer distinct articles than total_count came back, the list is read again for the missing
 * ones; if it still falls short the listing throws rather than let the sync delete live articles.
 */
export async function* listAllArticles(client: IntercomClient, options: FullListingOptions): AsyncGenerator<IntercomArticle, number> {
  const seen = new Set<string>();
  let highWater = 0;
  let reportedTotal: number | undefined;
  for (let pass = 1; pass <= MAX_PASSES; pass += 1) {
    for (let page = 1; ; page += 1) {
      const result = await client.getArticlesPage(page, options.perPage, options.signal);
      if (pass === 1 && page === 1) {
        highWater = Math.max(0, ...result.data.map((article) => article.updated_at));
        if (result.total_count !== undefined) options.onTotal?.(result.total_count);
      }
      reportedTotal = result.total_count;
      for (const article of result.data) {
        if (seen.has(article.id)) continue;
        seen.add(article.id);
        yield article;
      }
      if (!result.pages || page >= result.pages.total_pages || result.data.length === 0) break;
    }
    if (reportedTotal === undefined || seen.size >= reportedTotal) return highWater;
  }
  throw new Error(
    `Intercom reported ${reportedTotal} articles but only ${seen.size} distinct ones could be listed after ${MAX_PASSES} passes ` +
      '(the list kept changing during the sync); not completing the full listing so nothing is wrongly deleted. Retry later.',
  );
}
