export {
  lookupText,
  lookupUrl,
  LOOKUP_LIMIT,
  LOOKUP_QUERY_CHARS,
  type LookupResult,
  type MatchReason,
} from './lookup.service.js';
export {
  LOOKUP_OUTCOMES,
  compareSeverity,
  lookupVerdict,
  type LookupOutcome,
  type LookupVerdict,
} from './lookup-verdict.js';
export { registerLookupRoutes } from './lookup.routes.js';
export {
  LOOKUP_CHANNEL,
  LOOKUP_INDEX_LIMITS,
  LookupIndex,
  type LookupIndexOptions,
  type LookupIndexState,
  type LookupIndexStats,
} from './lookup-index.js';
export { sqlLookupSource, type LookupSource } from './lookup-source.js';
export { clearCaseTerms, hasCaseTerms, indexCaseTerms } from './search-index.repo.js';
export { CASE_WALK_LIMIT, COMMON_TERM_POSTINGS, casesWithAllTerms } from './search.repo.js';
export {
  SEARCH_CANDIDATE_LIMIT,
  SEARCH_MAX_PAGE_SIZE,
  SEARCH_QUERY_CHARS,
  parseSearchQuery,
  relevance,
  searchCases,
  snippetOf,
  type SearchHit,
  type SearchResult,
} from './search.service.js';
export { registerSearchRoutes } from './search.routes.js';
export {
  CAMPAIGN_INDICATOR_TYPES,
  CAMPAIGN_LIMITS,
  campaignOf,
  type CampaignCase,
  type CampaignGraph,
  type CampaignLink,
} from './campaign.service.js';
