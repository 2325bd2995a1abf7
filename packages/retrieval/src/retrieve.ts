import type { Queryable } from '@relai/db';
import { detectLanguage, type Embedder } from '@relai/ingest';
import { confidenceFeatures, confidenceFrom, type ConfidenceFeatures } from './confidence';
import { buildConversationQuery, contentWords, type ConversationQuery, type ConversationTurn } from './conversation-query';
import { hybridSearch, type ArticleCandidate } from './hybrid-search';

export interface RetrievalRequest {
  tenantId: string;
  /** The conversation, oldest first; the last user turn is the message to answer. */
  turns: ConversationTurn[];
  limit?: number;
  /** Restricts the search: an agent's sources, or the article a customer picked among options. */
  scope?: { sourceIds?: string[]; articleIds?: string[] };
  /** Variants of the ranking: the engine picks the history mode; the other switches are for ablations (scripts/eval). */
  options?: RetrievalOptions;
}

export interface RetrievalOptions {
  /** 'off' disables a ranking. */
  lexical?: 'on' | 'off';
  vector?: 'on' | 'off';
  /**
   * Default 'best': the weighted history, or the last message alone when that is better evidenced (a
   * new topic). 'weighted': always the history; 'last': the last message only; 'flat': every user turn alike.
   */
  history?: 'best' | 'weighted' | 'last' | 'flat';
  /** Weight of the vector ranking in the fusion, relative to the lexical one. */
  vectorWeight?: number;
}

export interface Retrieval {
  query: ConversationQuery;
  /** The customer's language, from the last message (or the history when it is too short). */
  language: 'fr' | 'en' | 'unknown';
  candidates: ArticleCandidate[];
  confidence: number;
  features: ConfidenceFeatures | null;
}

/** Hashed n-gram vectors are a weaker signal than BM25 on help-center text: they break ties and rescue misses. */
const DEFAULT_VECTOR_WEIGHT = 0.5;

/** History-aware hybrid retrieval with a confidence: the one code path of the API and the eval. */
export async function retrieve(db: Queryable, embedder: Embedder, request: RetrievalRequest): Promise<Retrieval> {
  const mode = request.options?.history ?? 'best';
  const withHistory = await retrieveFor(db, embedder, request, historyFor(request.turns, mode));
  // A customer may change topic mid-conversation ("Où sont hébergées mes données ?" after a password
  // question): the history then dilutes the query. Searching the last message alone as well, and
  // keeping whichever the evidence supports better, serves both follow-ups and new topics.
  if (mode !== 'best' || withHistory.query.lastMessageWords < MIN_STANDALONE_WORDS || !hasEarlierCustomerTurn(request.turns)) return withHistory;
  // When the history's best article already contains half the last message (by IDF), the customer is
  // still on its topic: the second search rarely changes the answer (mtrag-govt: MRR -0.002) and runs
  // for half as many messages.
  if ((withHistory.features?.lastMessageCoverage ?? 0) >= SAME_TOPIC_COVERAGE) return withHistory;
  const alone = await retrieveFor(db, embedder, request, historyFor(request.turns, 'last'));
  return alone.confidence > withHistory.confidence ? alone : withHistory;
}

const SAME_TOPIC_COVERAGE = 0.5;

/** A last message with fewer content words ("Yes", "how much?") cannot be searched on its own. */
const MIN_STANDALONE_WORDS = 2;

function hasEarlierCustomerTurn(turns: ConversationTurn[]): boolean {
  return turns.filter((turn) => turn.role === 'user').length > 1;
}

async function retrieveFor(db: Queryable, embedder: Embedder, request: RetrievalRequest, turns: ConversationTurn[]): Promise<Retrieval> {
  const options = request.options ?? {};
  const query = buildConversationQuery(turns);
  const language = customerLanguage(request.turns);
  const vector = await weightedEmbedding(embedder, query);
  const candidates = query.terms.length || vector
    ? await hybridSearch(db, {
        tenantId: request.tenantId,
        terms: query.terms,
        vector,
        modelId: embedder.modelId,
        dimensions: embedder.dimensions,
        limit: request.limit ?? 10,
        lexicalWeight: options.lexical === 'off' ? 0 : 1,
        vectorWeight: options.vector === 'off' ? 0 : Number(options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT),
        sourceIds: request.scope?.sourceIds,
        articleIds: request.scope?.articleIds,
      })
    : [];
  const features = confidenceFeatures(candidates, { language, contentWords: contentWords(query.passages.map((p) => p.text).join(' ')).length });
  return { query, language, candidates, confidence: confidenceFrom(features), features };
}

/** The weighted mean of the passages' embeddings, normalised; null when there is nothing to embed. */
async function weightedEmbedding(embedder: Embedder, query: ConversationQuery): Promise<number[] | null> {
  const passages = query.passages.filter((passage) => /[\p{L}\p{N}]/u.test(passage.text));
  if (!passages.length) return null;
  const vectors = await embedder.embeddings.embedDocuments(passages.map((passage) => passage.text));
  const sum = new Array<number>(embedder.dimensions).fill(0);
  vectors.forEach((vector, index) => {
    const weight = passages[index]!.weight;
    for (let i = 0; i < sum.length; i++) sum[i]! += weight * (vector[i] ?? 0);
  });
  const norm = Math.hypot(...sum);
  return norm > 0 ? sum.map((value) => value / norm) : null;
}

/** Ablation variants of the history: the last message alone, or all user turns as one message. */
function historyFor(turns: ConversationTurn[], mode: RetrievalOptions['history']): ConversationTurn[] {
  if (mode === 'last') return turns.filter((turn) => turn.role === 'user').slice(-1);
  if (mode === 'flat') return [{ role: 'user', text: turns.filter((turn) => turn.role === 'user').map((turn) => turn.text).join('\n') }];
  return turns;
}

function customerLanguage(turns: ConversationTurn[]): 'fr' | 'en' | 'unknown' {
  const userTexts = turns.filter((turn) => turn.role === 'user').map((turn) => turn.text);
  for (let take = 1; take <= userTexts.length; take++) {
    const guess = detectLanguage(userTexts.slice(-take).join('\n'));
    if (guess.language !== 'unknown') return guess.language;
  }
  return 'unknown';
}
