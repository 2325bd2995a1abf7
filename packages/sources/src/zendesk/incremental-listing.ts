import type { SourceArticle } from '../interface';
import { HelpCenterTree } from './help-center-tree';
import { deletedTranslation, normalizeLocale, toSourceArticle } from './zendesk-article';
import type { ZendeskArticle, ZendeskClient } from './zendesk-client';

/** Zendesk leaves out the last minute of changes and wants start_time at least this far back. */
export const MIN_LAG_SECONDS = 60;

export interface IncrementalListingOptions {
  locales: string[];
  nowSeconds: () => number;
  signal?: AbortSignal;
}

/**
 * The incremental article export from `startTime` (epoch seconds). Each page's end_time is the next
 * start_time; paging stops when next_page is null, the page is empty, or end_time did not move (a
 * page full of articles changed in the same second would otherwise be asked for forever). Returns the
 * next start_time, never later than now - 60 s.
 *
 * The export gives one record per article; every configured locale is then yielded: the record itself
 * when it is in that locale, else the translation fetched by id, or a "deleted" entry when that
 * translation no longer exists. Archived (removed) articles leave the export silently: the weekly
 * full sync removes them, and article webhooks go through fetchOne.
 */
export async function* listTranslationsChangedSince(
  client: ZendeskClient,
  startTime: number,
  options: IncrementalListingOptions,
): AsyncGenerator<SourceArticle, number> {
  const { signal } = options;
  const latestAllowed = () => options.nowSeconds() - MIN_LAG_SECONDS;
  const trees = new Map<string, Promise<HelpCenterTree>>();
  const treeFor = (locale: string): Promise<HelpCenterTree> => {
    let tree = trees.get(locale);
    if (!tree) {
      tree = HelpCenterTree.load(client, locale, signal);
      trees.set(locale, tree);
    }
    return tree;
  };

  async function* translationsOf(record: ZendeskArticle): AsyncGenerator<SourceArticle> {
    const recordLocale = normalizeLocale(record.locale);
    for (const locale of options.locales) {
      if (locale === recordLocale) {
        yield toSourceArticle(record, await treeFor(locale));
        continue;
      }
      const translation = await client.getArticle(String(record.id), locale, signal);
      yield translation && normalizeLocale(translation.locale) === locale
        ? toSourceArticle(translation, await treeFor(locale))
        : deletedTranslation(record.id, locale);
    }
  }

  let cursor = Math.min(startTime, latestAllowed());
  // Consecutive pages overlap on end_time (start_time is inclusive): skip the records already handled.
  const handled = new Set<string>();
  while (true) {
    const page = await client.incrementalArticles(cursor, signal);
    for (const record of page.articles) {
      const key = `${record.id}@${record.updated_at ?? ''}`;
      if (handled.has(key)) continue;
      handled.add(key);
      yield* translationsOf(record);
    }
    const endTime = page.end_time;
    if (page.articles.length === 0 || endTime == null || endTime <= cursor) return cursor;
    cursor = Math.min(endTime, latestAllowed());
    if (!page.next_page) return cursor;
  }
}
