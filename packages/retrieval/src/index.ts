export { retrieve } from './retrieve';
export type { Retrieval, RetrievalRequest } from './retrieve';
export { hybridSearch } from './hybrid-search';
export type { ArticleCandidate, HybridSearchRequest } from './hybrid-search';
export { buildConversationQuery, contentWords, words } from './conversation-query';
export type { ConversationQuery, ConversationTurn } from './conversation-query';
export { confidenceFeatures, confidenceFrom, CONFIDENCE_MODEL } from './confidence';
export type { ConfidenceFeatures } from './confidence';
