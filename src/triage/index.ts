export { normaliseText, textFingerprint } from './fingerprint.js';
export type { Replacement } from './fingerprint.js';
export { EntityMatcher, type EntityMatch, type MatchableEntity } from './entity-matcher.js';
export { riskScore, type RiskSignals } from './risk.js';
export { routeCase, type RoutingFacts, type RoutingRule } from './routing.js';
export {
  invalidateTriageContext,
  loadTriageContext,
  type TriageContext,
} from './triage-context.js';
export {
  TRIAGE_FIELDS,
  triage,
  type KnownScamLink,
  type TriageFacts,
  type TriageField,
  type TriageResult,
} from './triage.js';
export {
  getCaseTriage,
  overrideTriage,
  routeToOwnParty,
  triageCase,
  type CaseTriage,
  type TriageOverride,
} from './triage.service.js';
export { registerTriageRoutes } from './triage.routes.js';
export {
  NEAR_DUPLICATE_PARAMS,
  NEAR_DUPLICATE_VERSION,
  bandKeys,
  bestNearDuplicate,
  jaccard,
  verifiedSimilarity,
  minHash,
  nearDuplicateForm,
  nearDuplicateLinkToken,
  nearDuplicateSignature,
  SHORT_LINK_TOKEN,
  type NearDuplicateLink,
  shingles,
  type NearDuplicateCandidate,
  type NearDuplicateMatch,
  type NearDuplicateParams,
  type NearDuplicateSignature,
} from './near-duplicate.js';
export {
  NEAR_DUPLICATE_CANDIDATE_LIMIT,
  clearNearDuplicates,
  findNearDuplicateCandidates,
  findNearDuplicateCase,
  hasBandsOtherThan,
  nearDuplicateTextId,
  storeNearDuplicate,
} from './near-duplicate.repo.js';
export { MemoryClusterer, type ClusterAssignment } from './near-duplicate-index.js';
