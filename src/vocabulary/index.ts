// The DESIGN.md vocabulary as values and types: pure, without imports, shared by every
// capability and by the web UI (web/src imports it too), so that no list is typed twice.
export { ENTRY_STATES, LEGAL_BASES, type EntryState, type LegalBasisKind } from './blocklist.js';
export { CASE_STAGES, type CaseStage } from './case-stages.js';
export {
  CASE_STATUSES,
  DECIDED_VERDICTS,
  STATUS_COLOURS,
  STATUS_PRESENTATION,
  TIMELINE_STEPS,
  VERDICTS,
  VERIFIER_DECISIONS,
  isCaseStatus,
  isVerdict,
  type CaseStatus,
  type DecidedVerdict,
  type StatusColour,
  type StatusLabel,
  type TimelineStep,
  type Verdict,
  type VerifierDecision,
} from './case-status.js';
export {
  ENTITY_KINDS,
  IMPERSONATED_KINDS,
  type EntityKind,
  type ImpersonatedKind,
} from './entity-kinds.js';
export { CAPTURE_OUTCOMES, type CaptureOutcome } from './evidence.js';
export { INDICATOR_TYPES, type IndicatorType } from './indicator-types.js';
export { LOOKUP_OUTCOMES, type LookupOutcome } from './lookup.js';
export {
  NOTICE_PLATFORMS,
  PLATFORMS,
  isNoticePlatform,
  isPlatform,
  type NoticePlatform,
  type Platform,
} from './platforms.js';
export {
  CHANNELS,
  KNOWN_SOURCES,
  REPORTER_CONTACT_TYPES,
  SOURCE_KINDS,
  SOURCE_KIND_NAMES,
  SUBMIT_CHANNELS,
  isSourceKind,
  type Channel,
  type KnownSource,
  type ReporterContactType,
  type SourceKind,
  type SubmitChannel,
} from './reports.js';
export { ROLES, type Role } from './roles.js';
export { SCAM_TYPES, SCAM_TYPE_NAMES, isScamType, type ScamType } from './scam-types.js';
export {
  NOTICE_OUTCOMES,
  NOTICE_STATES,
  OPEN_NOTICE_STATES,
  PENDING_REASONS,
  type NoticeOutcome,
  type NoticeState,
  type PendingReason,
} from './takedown.js';
