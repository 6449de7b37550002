export {
  lookupText,
  lookupUrl,
  LOOKUP_LIMIT,
  LOOKUP_QUERY_CHARS,
  type LookupResult,
  type MatchReason,
} from './lookup.service.js';
export { compareSeverity, lookupVerdict, type LookupVerdict } from './lookup-verdict.js';
export { registerLookupRoutes } from './lookup.routes.js';
export { checkLookup } from './lookup-check.js';
export {
  LOOKUP_CHANNEL,
  LOOKUP_INDEX_LIMITS,
  LookupIndex,
  type LookupIndexOptions,
  type LookupIndexState,
  type LookupIndexStats,
} from './lookup-index.js';
export { LookupIndexLost, LookupIndexThread } from './lookup-index-thread.js';
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
export {
  FULL_HASH_BYTES,
  HASH_LIST_NAMES,
  HASH_PREFIX_BYTES,
  MAX_SEARCH_PREFIXES,
  WARN_STATUSES,
  applyUpdate,
  diffLists,
  fullHashOf,
  hasPrefix,
  hashInputOf,
  hashProbesOf,
  isHashListName,
  isWarnStatus,
  listChecksum,
  parsePrefix,
  prefixBase64Url,
  prefixBytes,
  prefixesFromBytes,
  privateCheckProbes,
  sortedDistinct,
  toBase64Url,
  warnRank,
  type HashListName,
  type HashProbe,
  type ListUpdate,
} from './hash-prefix.js';
export {
  HASH_LIST_LIMITS,
  HASH_SEARCH_HEADS_MS,
  ensurePublished,
  hashListUpdate,
  newHashListNode,
  publishHashLists,
  pruneLookupChanges,
  searchHashes,
  warnWorthyEntries,
  type FullHashMatch,
  type HashListNode,
  type HashListUpdate,
  type HashSearchResult,
  type PublishSummary,
} from './hash-lists.service.js';
export { parsePrefixList, registerHashListRoutes } from './hash-lists.routes.js';
export {
  HashListResponseSchema,
  HashSearchResponseSchema,
  type HashListResponse,
  type HashSearchResponse,
} from './hash-lists.schemas.js';
