import type { ArticleCandidate } from './hybrid-search';

/**
 * How sure we are that the first article answers the conversation, from explicit features that are
 * logged with every decision. A logistic model over them, fitted on the dev sets (see
 * scripts/eval/calibrate.ts), so that 0.75 means "right about 3 times in 4" whatever the knowledge base.
 */
export interface ConfidenceFeatures {
  /** Share of the query's IDF-weighted terms found in the first article's best chunk. */
  coverage: number;
  /** Share of the last message's IDF-weighted words in the first article: the history can dilute coverage. */
  lastMessageCoverage: number;
  /** Lexical score over the query's IDF mass: term frequency and title matches, not just presence. */
  lexicalStrength: number;
  /** First minus second article's lexical strength, relative to the first. */
  lexicalMargin: number;
  /** Share of the query made of words the knowledge base uses at all: off-topic questions score low. */
  vocabularyCoverage: number;
  /** 1 when the first article is first in both the lexical and the vector ranking. */
  firstInBoth: number;
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
  const secondStrength = Math.max(0, ...candidates.slice(1).map((candidate) => candidate.lexicalStrength));
  return {
    coverage: first.coverage,
    lastMessageCoverage: first.lastMessageCoverage,
    lexicalStrength: first.lexicalStrength,
    lexicalMargin: first.lexicalStrength > 0 ? (first.lexicalStrength - secondStrength) / first.lexicalStrength : 0,
    vocabularyCoverage: first.vocabularyCoverage,
    firstInBoth: first.lexicalRank === 1 && first.vectorRank === 1 ? 1 : 0,
    similarity: firstSimilarity,
    similarityMargin: firstSimilarity - secondSimilarity,
    fusedMargin: second ? (first.fusedScore - second.fusedScore) / first.fusedScore : 1,
    agreement: (first.lexicalRank ?? 99) <= 3 && (first.vectorRank ?? 99) <= 3 ? 1 : 0,
    languageMatch: query.language === 'unknown' || !first.language || first.language === query.language ? 1 : 0,
    queryWords: Math.log1p(query.contentWords),
  };
}

/**
 * Fitted by scripts/eval/calibrate.ts on the three dev sets (equal weight per set, L2), then shifted
 * down until answers at 0.75 are right >= 90% of the time on every set. Refit after ranking changes:
 * `npm run eval -- <set-dir> --out … --features-out /tmp/ev/<set>.features.jsonl` for each set, then
 * `npm run eval:calibrate`.
 */
export const CONFIDENCE_MODEL: { intercept: number; weights: Record<keyof ConfidenceFeatures, number> } = {
  intercept: -7.84,
  weights: {
    coverage: 3.752,
    lastMessageCoverage: -0.255,
    lexicalStrength: 0.366,
    lexicalMargin: 3.131,
    vocabularyCoverage: 0.288,
    firstInBoth: 0.812,
    similarity: -0.56,
    similarityMargin: 5.519,
    fusedMargin: -2.216,
    agreement: -0.085,
    languageMatch: 2.797,
    queryWords: 0.843,
  },
};

export function confidenceFrom(features: ConfidenceFeatures | null, model = CONFIDENCE_MODEL): number {
  if (!features) return 0;
  let z = model.intercept;
  for (const [name, weight] of Object.entries(model.weights) as Array<[keyof ConfidenceFeatures, number]>) z += weight * features[name];
  return 1 / (1 + Math.exp(-z));
}
