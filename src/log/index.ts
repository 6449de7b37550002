// The log (DESIGN.md): the append-only, tamper-evident Merkle log of evidence and decisions,
// and the audit trail every state change is written to (`recordEvent`).
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
  fromHex,
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
export {
  getLogIntegration,
  getTreeHeadStatus,
  integrateLog,
  startLogSequencer,
  type Integration,
  type LogIntegration,
  type LogSequencer,
  type SequencerOptions,
} from './sequencer.js';
export { auditLog, type LogAuditOptions, type LogAuditReport } from './log-audit.js';
export { verifyOffline, checkTreeHead, type VerificationCheck } from './verify.js';
export {
  generateLogKeyPem,
  logKeyFileSpec,
  logKeyIdOf,
  parsePublicKey,
  resolveLogKey,
} from './log-key.js';
export { registerLogRoutes } from './log.routes.js';
export { ConsistencyProofSchema } from './log.schemas.js';
export { InclusionProofSchema } from './log.schemas.js';
export { LogEntrySchema } from './log.schemas.js';
export { LogKeySchema } from './log.schemas.js';
export { SignedTreeHeadSchema } from './log.schemas.js';
export { TreeHeadStatusSchema } from './log.schemas.js';
export { EMPTY_FRONTIER } from './merkle.js';
export { appendToFrontier } from './merkle.js';
export type { Frontier } from './merkle.js';
