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
  acknowledgeNotice,
  createNoticesForCase,
  getNotice,
  listPlatformChannels,
  presentNotice,
  reportNoticeOutcome,
  sendCaseNotices,
  setPlatformChannel,
  withdrawOpenNotices,
  type NoticeCreation,
  type NoticeDelivery,
  type PlatformChannel,
  type TakedownNotice,
} from './notices.service.js';
export {
  enqueue,
  processOutbox,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  type OutboxKind,
} from './outbox.js';
export { runSweep, sweepNow, type SweepResult } from './sweep.js';
export {
  complianceFigures,
  listSanctions,
  platformCompliance,
  type PlatformCompliance,
  type SanctionEntry,
} from './compliance.js';
export { sanctionFor } from './sanctions.js';
export { webhookSignature } from './delivery.js';
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
