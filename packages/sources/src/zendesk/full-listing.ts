import type { SourceArticle } from '../interface';
import { HelpCenterTree } from './help-center-tree';
import { toSourceArticle } from './zendesk-article';
import type { ZendeskClient } from './zendesk-client';

/** Every translation in each locale, drafts included, each once; category and section names in that locale. */
export async function* listAllTranslations(client: ZendeskClient, locales: string[], signal?: AbortSignal): AsyncGenerator<SourceArticle, void> {
  // A locale listing could fall back to another locale's version; the id would then repeat.
  const seen = new Set<string>();
  for (const locale of locales) {
    const tree = await HelpCenterTree.load(client, locale, signal);
    for await (const page of client.articles(locale, signal)) {
      for (const article of page) {
        const mapped = toSourceArticle(article, tree);
        if (seen.has(mapped.externalId)) continue;
        seen.add(mapped.externalId);
        yield mapped;
      }
    }
  }
}
