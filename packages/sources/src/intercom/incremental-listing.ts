import type { IntercomArticle, IntercomClient } from './intercom-client';

export interface IncrementalListingOptions {
  perPage: number;
  signal?: AbortSignal;
}

/**
 * Articles updated at or after `since` (epoch seconds), newest first, stopping at the first older one
 * without fetching further pages. Returns the next `since`: the newest updated_at on page 1 (read
 * first, so later edits are newer), or `since` itself when nothing changed.
 *
 * Articles updated exactly at `since` are listed again on purpose: updated_at has one-second
 * resolution, and an edit in the same second as the previous high-water mark would otherwise be
 * lost. Re-listing one unchanged article costs a content-hash comparison.
 *
 * Intercom has no deletion events and GET /articles does not list deleted articles: an incremental
 * run cannot see deletions. The scheduled full sync removes them (and drafts come through here with
 * state "draft", which takes them out of search).
 */
export async function* listArticlesChangedSince(
  client: IntercomClient,
  since: number,
  options: IncrementalListingOptions,
): AsyncGenerator<IntercomArticle, number> {
  let highWater = since;
  const seen = new Set<string>();
  for (let page = 1; ; page += 1) {
    const result = await client.getArticlesPage(page, options.perPage, options.signal);
    if (page === 1) highWater = Math.max(since, ...result.data.map((article) => article.updated_at));
    for (const article of result.data) {
      if (article.updated_at < since) return highWater;
      // An article edited while we page moves to the top and pushes others down: skip the repeat.
      if (seen.has(article.id)) continue;
      seen.add(article.id);
      yield article;
    }
    if (!result.pages || page >= result.pages.total_pages || result.data.length === 0) return highWater;
  }
}
