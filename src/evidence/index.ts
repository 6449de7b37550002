export {
  canonicalJson,
  listEvents,
  recordEvent,
  type AuditEvent,
  type StoredEvent,
  type SubjectType,
} from './events.js';
export { CanonicalJsonError } from './canonical-json.js';
export {
  EVENT_FIELDS,
  EVENT_TYPES,
  RETIRED_EVENT_TYPES,
  isEventType,
  type EventData,
  type EventType,
} from './event-types.js';
export { createDisclosure, disclosureDigest, parseDisclosure } from './disclosure.js';
export { eventLeafInput, type LeafEvent } from './leaf.js';
export {
  EMPTY_ROOT,
  MemoryMerkleTree,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
export {
  getConsistencyProof,
  getEntries,
  getInclusionProof,
  getLogPublicKey,
  getSignedTreeHead,
  type ConsistencyProofResponse,
  type InclusionProofResponse,
  type LogEntry,
  type SignedTreeHead,
} from './log.service.js';
export { auditLog, type LogAuditReport } from './log-audit.js';
export { verifyOffline, checkTreeHead, type VerificationCheck } from './verify.js';
export { parsePublicKey, resolveLogKey } from './log-key.js';
export { registerEvidenceRoutes } from './evidence.routes.js';
export {
  captureCase,
  getCapture,
  listCaseCaptures,
  recheckUrl,
  type CaptureView,
  type CaptureRunOptions,
} from './capture.service.js';
export { captureUrl, type CaptureResult } from './capture.js';
export {
  checkDestination,
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
export { FileBlobStore, type BlobStore, type BlobRef } from './blob-store.js';
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
