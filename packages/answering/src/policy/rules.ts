import type { ArticleCandidate } from '@relai/retrieval';
import type { TopicRule } from '../agent-settings';
import { fold } from './text';

type RuleArticle = Pick<ArticleCandidate, 'collectionPath' | 'tags'>;

/**
 * The first rule whose conditions all hold for the article: `collection` is the article's top-level
 * collection, `section` any collection below it, `tag` one of its tags. Names compare without case or
 * accents, since admins type them by hand ("Facturation" for "facturation ", "Securite" for "Sécurité").
 */
export function matchTopicRule(article: RuleArticle, rules: readonly TopicRule[]): TopicRule | null {
  const [collection, ...sections] = article.collectionPath.map(fold);
  const tags = article.tags.map(fold);
  for (const rule of rules) {
    const { when } = rule;
    if (when.collection !== undefined && fold(when.collection) !== collection) continue;
    if (when.section !== undefined && !sections.includes(fold(when.section))) continue;
    if (when.tag !== undefined && !tags.includes(fold(when.tag))) continue;
    return rule;
  }
  return null;
}
