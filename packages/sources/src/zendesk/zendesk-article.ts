import type { SourceArticle } from '../interface';
import type { HelpCenterTree } from './help-center-tree';
import type { ZendeskArticle } from './zendesk-client';

/** The Help Center uses "en-us"; some documented examples say "en_us" or "EN-US". */
export function normalizeLocale(locale: string): string {
  return locale.trim().toLowerCase().replace(/_/g, '-');
}

/** Each translation is its own searchable document, hence the locale in the id. */
export function translationId(articleId: number | string, locale: string): string {
  return `${articleId}:${locale}`;
}

export function toSourceArticle(article: ZendeskArticle, tree: HelpCenterTree): SourceArticle {
  const locale = normalizeLocale(article.locale);
  const updatedAt = article.updated_at ? new Date(article.updated_at) : null;
  return {
    externalId: translationId(article.id, locale),
    title: article.title,
    url: article.html_url ?? null,
    collectionPath: tree.pathOf(article.section_id),
    locale,
    // `outdated` is deprecated (always false): only `draft` keeps a translation out of search.
    state: article.draft ? 'draft' : 'published',
    html: article.body ?? '',
    updatedAt: updatedAt && !Number.isNaN(updatedAt.getTime()) ? updatedAt : null,
    tags: article.label_names ?? [],
  };
}

/** A translation Zendesk no longer has, for the sync engine to remove. */
export function deletedTranslation(articleId: number, locale: string): SourceArticle {
  return {
    externalId: translationId(articleId, locale),
    title: '',
    url: null,
    collectionPath: [],
    locale,
    state: 'deleted',
    html: '',
    updatedAt: null,
  };
}
