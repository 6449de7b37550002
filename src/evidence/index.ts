export { registerEvidenceRoutes } from './evidence.routes.js';
export {
  captureCase,
  blobStoreOf,
  getCapture,
  listCaseCaptures,
  recheckUrl,
  type CaptureView,
  type CaptureRunOptions,
} from './capture.service.js';
export { insertBlob } from './capture.repo.js';
export { captureUrl, type CaptureResult } from './capture.js';
export {
  checkDestination,
  discardBody,
  guardedRequest,
  OUTBOUND_REFUSAL_CODES,
  OutboundError,
  outboundPolicyOf,
  readBody,
  systemResolver,
  type OutboundErrorCode,
  type OutboundPolicy,
  type OutboundRequest,
  type OutboundResponse,
  type Resolver,
} from './outbound.js';
export {
  DatabaseBlobStore,
  FileBlobStore,
  importFileBlobs,
  type BlobImportSummary,
  type BlobStore,
  type BlobRef,
} from './blob-store.js';
export {
  assessTakedown,
  classifyCapture,
  nextRecheckAt,
  recheckTimes,
  type ObservedState,
  type Observation,
  type RecheckRecord,
  type TakedownFinding,
} from './recheck.js';
export {
  recheckScheduleOf,
  runTakedownRechecks,
  type MonitorRunSummary,
  type MonitoredNotice,
  type NoticeRecheck,
  type TakedownMonitorHooks,
} from './takedown-monitor.js';
