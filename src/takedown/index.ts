export {
  NOTICE_OUTCOMES,
  NOTICE_PLATFORMS,
  NOTICE_STATES,
  assertNoticeTransition,
  isNoticePlatform,
  type NoticeOutcome,
  type NoticePlatform,
  type NoticeState,
} from './notice-state.js';
export {
  createNoticesForCase,
  sendCaseNotices,
  withdrawOpenNotices,
  type NoticeCreation,
} from './notices.service.js';
export { acknowledgeNotice, reportNoticeOutcome } from './notice-progress.service.js';
export { getNotice } from './notice-read.service.js';
export { presentNotice, type NoticeDelivery, type TakedownNotice } from './notices.presenter.js';
export {
  listPlatformChannels,
  setPlatformChannel,
  type PlatformChannel,
} from './channels.service.js';
export { leaseMs, processOutbox, MAX_ATTEMPTS, RETRY_DELAYS_MS } from './outbox.js';
export { enqueue, type OutboxKind } from './outbox.repo.js';
export { runSweep, sweepNow, type SweepResult } from './sweep.js';
export {
  complianceFigures,
  listSanctions,
  platformCompliance,
  type PlatformCompliance,
  type SanctionEntry,
} from './compliance.js';
export { sanctionFor } from './sanctions.js';
export { idempotencyKeyOf, webhookSignature } from './delivery.js';
export {
  MAX_NOTICE_TARGETS,
  noticeTargets,
  type NoticeTarget,
  type NoticeTargetPlan,
  type NoticeTargetSources,
} from './notice-targets.js';
export {
  reportIdOf,
  targetUri,
  xarfClassOf,
  xarfReport,
  XARF_CLASSES,
  XARF_FRAUD_TYPES,
  type NoticeEvidence,
  type NoticeFacts,
  type XarfClass,
  type XarfFraudType,
} from './xarf.js';
export {
  listNoticePage,
  NOTICE_SORTS,
  type NoticeListFilter,
  type NoticeSort,
} from './notice-list.js';
export { registerTakedownRoutes } from './takedown.routes.js';
export { ComplianceSchema } from './takedown.schemas.js';
