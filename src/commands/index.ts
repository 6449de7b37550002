// Named commands that span capabilities, each in one transaction: merging and splitting cases,
// rebuilding the derived indexes. They sit above the capabilities they combine.
export {
  SPLIT_MAX_REPORTS,
  listCaseReports,
  mergeCases,
  splitCase,
  type CaseReportView,
  type MergeResult,
  type SplitResult,
} from './merge.service.js';
export { registerMergeRoutes } from './merge.routes.js';
export {
  REINDEX_BATCH,
  rebuildCaseIndexes,
  rebuildIndexes,
  type CaseIndexesRebuilt,
  type ReindexOptions,
  type ReindexSummary,
} from './reindex.service.js';
