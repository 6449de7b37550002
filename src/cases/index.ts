export { statusOf, type BlockState, type StatusFacts } from './status.js';
export {
  CaseDetailResponseSchema,
  CaseResponseSchema,
  KnownScamsSchema,
  PublicCaseSchema,
} from './cases.schemas.js';
export {
  caseNotFound,
  getPublicCase,
  getPublicCases,
  markCaseRemoved,
  markPartyAsked,
  moveCaseStage,
  recordImportedDecision,
  refreshCaseStatus,
  requireCase,
  PUBLIC_INDICATORS_PER_CASE,
} from './cases.service.js';
export type { PublicCase, PublicVerdict } from './cases.presenter.js';
export { registerCaseRoutes } from './cases.routes.js';
export { registerTrendingRoutes } from './trending.routes.js';
export {
  TRENDING_CACHE_MS,
  TRENDING_LIMITS,
  TRENDING_WINDOWS,
  getTrendingCases,
  recordCaseView,
  type TrendingCases,
  type TrendingEntry,
  type TrendingWindow,
} from './trending.service.js';
export { assertCaseTransition, canMoveCase, stageOf } from './workflow.js';
export {
  countCaseReport,
  findCase,
  hasFormsBefore,
  allIndicatorsOfCase,
  insertCase,
  listCasesByCreation,
  listCasesWithFormsBefore,
  lockCase,
  recordCaseMerge,
  recordVerdict,
  setCasePublicSummary,
  setCaseReportCounts,
  setCaseStage,
  setCaseTriage,
  setTriageOverrides,
  statusFactsOf,
  storeHasNoCase,
  type CaseRow,
  type CaseTriageWrite,
  type LockedCase,
  type NewCase,
  type TriageOverrideValues,
} from './cases.repo.js';
export { getTimeline, type PublicTimelineEntry, type StaffTimelineEntry } from './timeline.js';
export {
  CONTACT_TYPES,
  KNOWN_SCAM_LIMIT,
  MATCH_SCAN_LIMITS,
  findKnownScamHits,
  knownScamsOf,
  matchIndicators,
  probeExpressions,
  reportedSitesFrom,
  sqlHolders,
  type CaseIndicatorHit,
  type HolderSource,
  type ReportedSites,
  type IndicatorMatches,
  type IndicatorProbe,
  type KnownScam,
  type MatchOptions,
} from './matches.service.js';
export { markCaseNotified } from './cases.repo.js';
export type { HeldIndicatorRow, HolderFilter } from './matches.repo.js';
