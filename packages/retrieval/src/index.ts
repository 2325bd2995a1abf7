export { hybridSearch } from './hybrid-search';
export type { SearchHit, SearchRequest } from './hybrid-search';
export { orQuery } from './query-terms';
