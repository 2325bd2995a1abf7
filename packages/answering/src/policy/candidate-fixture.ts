import type { ArticleCandidate } from '@relai/retrieval';

/** A retrieved article for tests: a plausible first result unless overridden. */
export function candidate(overrides: Partial<ArticleCandidate> & { externalId: string }): ArticleCandidate {
  return {
    articleId: `uuid-${overrides.externalId}`,
    title: `Article ${overrides.externalId}`,
    url: `https://help.example/articles/${overrides.externalId}`,
    collectionPath: [],
    tags: [],
    language: 'fr',
    fusedScore: 0.03,
    lexicalScore: 1,
    lexicalRank: 1,
    coverage: 0.8,
    lastMessageCoverage: 0.8,
    lexicalStrength: 0.5,
    vocabularyCoverage: 1,
    vectorSimilarity: 0.6,
    vectorRank: 1,
    passage: { headingPath: [], text: 'Texte de l’article.' },
    ...overrides,
  };
}
