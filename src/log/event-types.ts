/**
 * Every audit event type scamnet records, with the allow-list of its data fields.
 *
 * An event's log leaf is public and can never be removed (`GET /api/v1/log/entries`), so each
 * field is either:
 * - `public`: written into the leaf as it is. Only identifiers (case, report, notice, entry,
 *   entity, user, key IDs), states, verdicts, roles, platforms, timestamps, counts, hashes,
 *   machine-made reasons and the public data of cases and blocklist entries (URLs and domains
 *   already on public case pages and feeds) belong here;
 * - `sealed`: kept for staff in the audit trail and bound in the leaf only by a salted digest (an
 *   RFC 9901 disclosure, see disclosure.ts): e-mail addresses, names, free-text notes, reasons
 *   and answers typed by people, webhook URLs, error messages.
 * A field in neither list is refused by recordEvent, so a new field cannot reach the log by
 * accident; a new event type must be added here before recordEvent accepts it.
 */

/** The data fields an event type may carry in its leaf, and those it seals. */
export interface EventFieldRule {
  readonly public: readonly string[];
  readonly sealed: readonly string[];
}

const NONE = [] as const;

/** A capture's record (evidence.captured and .rechecked): what was fetched and its hashes. */
const CAPTURE_FIELDS = [
  'caseId',
  'url',
  'finalUrl',
  'outcome',
  'errorCode',
  'status',
  'bodySha256',
  'bodySize',
  'screenshotSha256',
  'hops',
  'observation',
  'recordSha256',
] as const;

/** The allow-list of every event type (see the module comment). Sorted by type. */
export const EVENT_FIELDS = {
  'api_key.created': {
    public: ['role', 'entityIds', 'platform', 'sourceKind', 'sourceName'],
    sealed: ['name'],
  },
  'api_key.revoked': { public: NONE, sealed: NONE },
  'blocklist_entry.activated': {
    public: [
      'domain',
      'from',
      'legalBasis',
      'requestingUnit',
      'siteType',
      'effectiveAt',
      'expiresAt',
    ],
    sealed: ['note'],
  },
  'blocklist_entry.appealed': { public: ['domain', 'from', 'to'], sealed: ['note'] },
  'blocklist_entry.case_linked': { public: ['domain', 'caseId'], sealed: NONE },
  'blocklist_entry.expired': { public: ['domain', 'from', 'to', 'expiresAt'], sealed: NONE },
  'blocklist_entry.lifted': { public: ['domain', 'from', 'to'], sealed: ['note'] },
  'blocklist_entry.proposed': {
    public: ['domain', 'source', 'caseIds', 'legalBasis'],
    sealed: ['note'],
  },
  'blocklist_entry.reinstated': { public: ['domain', 'from', 'to'], sealed: ['note'] },
  'bulletin.published': { public: ['reports', 'confirmedFraud', 'reminders'], sealed: NONE },
  // Draft reminders are not public until the bulletin is published.
  'bulletin.reminders_updated': { public: ['count'], sealed: ['reminders'] },
  'case.created': {
    public: ['platform', 'source', 'sourceKind', 'keys', 'splitFrom', 'reports'],
    sealed: NONE,
  },
  'case.info_answered': { public: ['before', 'after'], sealed: ['question', 'answer'] },
  'case.merged': { public: ['from', 'into', 'reports'], sealed: ['note'] },
  'case.need_info': { public: ['before', 'after'], sealed: ['question'] },
  // Why no notice went to a platform: machine-made reason and detail.
  'case.notice_not_sent': { public: ['platform', 'reason', 'detail'], sealed: NONE },
  'case.notice_sent': { public: ['noticeId', 'platform', 'deadlineAt'], sealed: NONE },
  'case.removed': {
    public: ['status', 'observedBy', 'noticeId', 'platform', 'outcome'],
    sealed: NONE,
  },
  'case.split': { public: ['from', 'into', 'reports'], sealed: ['note'] },
  'case.triage_override': { public: ['fields', 'values'], sealed: ['reason'] },
  'case.triaged': {
    public: [
      'before',
      'after',
      'scamKeywords',
      'scamTypeSource',
      'scamProbability',
      'scamSource',
      'impersonationEvidence',
      'ruleId',
      'lookalikes',
      'knownScams',
      'routedTo',
    ],
    sealed: NONE,
  },
  // cause: machine-made (`notice_delivered`, `blocklist_entry.activated`, …).
  'case.status_changed': { public: ['before', 'after', 'cause'], sealed: NONE },
  'case.verdict': { public: ['before', 'after', 'role'], sealed: ['note'] },
  'decision_link.used': { public: ['linkId', 'decision'], sealed: NONE },
  'delivery.given_up': { public: ['kind', 'attempts'], sealed: ['error'] },
  'entity.created': { public: ['after'], sealed: ['contactEmail'] },
  'entity.updated': { public: ['before', 'after'], sealed: ['contactEmail'] },
  'evidence.captured': { public: CAPTURE_FIELDS, sealed: NONE },
  'evidence.rechecked': { public: CAPTURE_FIELDS, sealed: NONE },
  'platform_channel.set': {
    public: ['platform', 'webhookSigned'],
    sealed: ['webhookUrl', 'email'],
  },
  'routing_rules.replaced': { public: ['before', 'after'], sealed: ['notes'] },
  'sanction.recorded': {
    public: [
      'platform',
      'occurrence',
      'fromOccurrence',
      'fineMin',
      'fineMax',
      'currency',
      'legalBasis',
    ],
    sealed: NONE,
  },
  'takedown_notice.acknowledged': { public: ['before', 'after'], sealed: NONE },
  'takedown_notice.claim_contradicted': { public: ['captureIds', 'reasons'], sealed: NONE },
  // targets: the identifiers the platform acts on. They are meant to be the scam's own, but a
  // victim's phone that the reporter wrote without a recognised cue can slip in, and a leaf is
  // forever: sealed, so only their digests are public.
  'takedown_notice.created': {
    public: ['caseId', 'platform', 'contentUrl', 'channels'],
    sealed: ['targets'],
  },
  'takedown_notice.delivered': {
    public: ['before', 'after', 'channel', 'deadlineAt'],
    sealed: NONE,
  },
  'takedown_notice.escalated': { public: ['level', 'caseId', 'platform'], sealed: NONE },
  'takedown_notice.overdue': {
    public: ['before', 'after', 'missedDeadlineAt', 'occurrence', 'nextDeadlineAt'],
    sealed: NONE,
  },
  'takedown_notice.rechecked': { public: ['state', 'captureIds', 'reasons'], sealed: NONE },
  // A platform's rejection reason is typed by a person; scamnet's own is not, but is sealed alike.
  'takedown_notice.resolved': {
    public: ['before', 'after', 'observedByScamnet', 'withinDeadline', 'hoursToOutcome'],
    sealed: ['reason'],
  },
  // Recorded before migration 0019 at a notice's creation, whether or not it was ever delivered;
  // kept so older leaves stay readable (RETIRED_EVENT_TYPES). Same rule as .created.
  'takedown_notice.sent': {
    public: ['caseId', 'platform', 'deadlineAt', 'contentUrl', 'channels'],
    sealed: ['targets'],
  },
  // The reason is scamnet's own (`verdict changed to …`).
  'takedown_notice.withdrawn': { public: ['before', 'after', 'reason'], sealed: NONE },
  'user.created': {
    public: ['role', 'entityIds', 'platform', 'passwordGenerated'],
    sealed: ['email', 'displayName'],
  },
  'user.disabled': { public: ['sessionsRevoked'], sealed: NONE },
  'user.enabled': { public: NONE, sealed: NONE },
  'user.password_changed': { public: ['sessionsRevoked'], sealed: NONE },
  'user.password_reset': { public: ['sessionsRevoked', 'passwordGenerated'], sealed: NONE },
  'user.updated': { public: ['before', 'after'], sealed: ['displayName'] },
} as const satisfies Record<string, EventFieldRule>;

/** Event types no longer recorded, kept in EVENT_FIELDS so that older leaves stay readable. */
export const RETIRED_EVENT_TYPES: readonly string[] = ['takedown_notice.sent'];

/** An audit event type recordEvent accepts (a key of EVENT_FIELDS). */
export type EventType = keyof typeof EVENT_FIELDS;

type FieldOf<T extends EventType> =
  (typeof EVENT_FIELDS)[T]['public'][number] | (typeof EVENT_FIELDS)[T]['sealed'][number];

/**
 * The data of an event of type `T`: only its allow-listed fields, plain JSON values. Public
 * fields must hold no personal data, also nested (see the module comment).
 */
export type EventData<T extends EventType> = { readonly [K in FieldOf<T>]?: unknown };

/** Whether `type` is a known event type. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_FIELDS, type);
}

/** Every event type, sorted (for tests and audits that must cover them all). */
export const EVENT_TYPES: readonly EventType[] = Object.freeze(
  Object.keys(EVENT_FIELDS).filter(isEventType).sort(),
);
