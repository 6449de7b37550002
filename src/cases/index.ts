export {
  getPublicCase,
  getPublicCases,
  recordImportedDecision,
  setVerdict,
  PUBLIC_INDICATORS_PER_CASE,
} from './cases.service.js';
export type { PublicCase, PublicVerdict } from './cases.presenter.js';
export {
  CASE_STATUSES,
  DECIDED_VERDICTS,
  STATUS_PRESENTATION,
  VERDICTS,
  statusOf,
  type CaseStatus,
  type DecidedVerdict,
  type StatusColour,
  type Verdict,
} from './status.js';
export {
  CaseDetailResponseSchema,
  CaseResponseSchema,
  PlatformSchema,
  PublicCaseSchema,
  literalUnion,
} from './cases.schemas.js';
export { registerCaseRoutes } from './cases.routes.js';
