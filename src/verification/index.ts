export {
  DECISIONS,
  answerInfoRequest,
  decideCase,
  decideInTransaction,
  overrideVerdict,
  type Decision,
  type DecisionInput,
} from './decide.js';
export {
  createDecisionLink,
  notifyRoutedEntity,
  readDecisionLink,
  useDecisionLink,
} from './decision-links.js';
export {
  decisionHistory,
  listCasesForStaff,
  verificationQueue,
  type CaseListFilter,
  type CaseListItem,
  type DecisionHistoryEntry,
  type HistoryFilter,
  type QueueFilter,
  type QueueItem,
} from './queue.js';
export { registerVerificationRoutes } from './verification.routes.js';
