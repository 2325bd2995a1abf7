import type { ArticleCandidate } from './hybrid-search';

/**
 * How sure we are that the first article answers the conversation, from explicit features that are
 * logged with every decision. A logistic model over them, fitted on the dev sets (see
 * scripts/eval/calibrate.ts), so that 0.75 means "right about 3 times in 4" whatever the knowledge base.
 */
export interface ConfidenceFeatures {
  /** Share of the query's IDF-weighted terms found in the first article's best chunk. */
  coverage: number;
  /** Cosine similarity of the first article's nearest chunk (0 when not a vector candidate). */
  similarity: number;
  /** First minus second article's similarity: a clear winner vs a crowd. */
  similarityMargin: number;
  /** First minus second fused score, relative to the first. */
  fusedMargin: number;
  /** 1 when the lexical and the vector rankings both put the first article in their top 3. */
  agreement: number;
  /** 1 when the customer's language is the article's (or either is unknown), else 0. */
  languageMatch: number;
  /** log(1 + content words in the query): one-word queries are weak evidence. */
  queryWords: number;
}

export function confidenceFeatures(
  candidates: ArticleCandidate[],
  query: { language: string; contentWords: number },
): ConfidenceFeatures | null {
  const [first, second] = candidates;
  if (!first) return null;
  const firstSimilarity = first.vectorSimilarity ?? 0;
  const secondSimilarity = Math.max(0, ...candidates.slice(1).map((candidate) => candidate.vectorSimilarity ?? 0));
  return {
    coverage: first.coverage,
    similarity: firstSimilarity,
    similarityMargin: firstSimilarity - secondSimilarity,
    fusedMargin: second ? (first.fusedScore - second.fusedScore) / first.fusedScore : 1,
    agreement: (first.lexicalRank ?? 99) <= 3 && (first.vectorRank ?? 99) <= 3 ? 1 : 0,
    languageMatch: query.language === 'unknown' || !first.language || first.language === query.language ? 1 : 0,
    queryWords: Math.log1p(query.contentWords),
  };
}

/** Fitted coefficients (intercept first). Refit with `npm run eval:calibrate` after ranking changes. */
export const CONFIDENCE_MODEL: { intercept: number; weights: Record<keyof ConfidenceFeatures, number> } = {
  intercept: -4,
  weights: {
    coverage: 3,
    similarity: 3,
    similarityMargin: 2,
    fusedMargin: 1,
    agreement: 1,
    languageMatch: 1,
    queryWords: 0.3,
  },
};

export function confidenceFrom(features: ConfidenceFeatures | null, model = CONFIDENCE_MODEL): number {
  if (!features) return 0;
  let z = model.intercept;
  for (const [name, weight] of Object.entries(model.weights) as Array<[keyof ConfidenceFeatures, number]>) z += weight * features[name];
  return 1 / (1 + Math.exp(-z));
}
