import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import { revealEventData, sealEventData } from './disclosure.js';
import type { EventData, EventType } from './event-types.js';
import { insertEvent, listEventRows } from './events.repo.js';

export { canonicalJson } from './canonical-json.js';

/** What was changed: the kinds of subject the audit trail records. */
export type SubjectType =
  | 'case'
  | 'report'
  | 'takedown_notice'
  | 'blocklist_entry'
  | 'evidence'
  | 'entity'
  | 'user'
  | 'bulletin';

/** One state change to record. */
export interface AuditEvent<T extends EventType = EventType> {
  /** Dotted event type, e.g. `case.verdict`, `case.created`, `blocklist_entry.activated`. */
  type: T;
  subjectType: SubjectType;
  subjectId: string;
  /** Actor identifier (actorLabel), or `system:…` for automatic steps. */
  actor: string;
  /** ISO 8601 UTC. */
  at: string;
  /**
   * Event details, plain JSON values, only the fields EVENT_FIELDS allows for `type`: public ones
   * go into the log leaf, sealed ones (e-mail addresses, names, notes) only as salted digests.
   */
  data: EventData<T>;
}

/** A recorded event as the audit trail shows it to staff. */
export interface StoredEvent {
  seq: number;
  /** The event type (an old event may have a type no longer recorded). */
  type: string;
  subjectType: SubjectType;
  subjectId: string;
  actor: string;
  at: string;
  /** The public fields and the values of the sealed ones: staff only, never a public route. */
  data: Record<string, unknown>;
}

/**
 * Appends `event` to the audit trail inside the caller's transaction `db`, so the state change
 * and its record commit together or not at all: one INSERT, no lock shared with other writers.
 * Nothing is ever updated or deleted. After commit, the log's sequencer (sequencer.ts) appends
 * the event to the Merkle log within LOG_SEQUENCE_MS (RFC 9162's merge delay); integrateLog
 * waits for it.
 *
 * The leaf is the RFC 8785 canonical JSON of the event with its `seq` (see eventLeafInput),
 * hashed as an RFC 9162 leaf. Leaves are public (`GET /api/v1/log/entries`) and can never be
 * removed, so `data` is split by the type's allow-list (event-types.ts, sealEventData): the
 * public fields and the digests of the sealed ones go into the leaf; the sealed values are kept
 * beside it (`events.disclosures`) for the staff audit trail. `actor` and `subjectId` are
 * identifiers (`user:…`, `system:…`), never names or addresses.
 * @returns the event's sequence number.
 * @throws Error when `data` has a field outside the type's allow-list.
 * @throws CanonicalJsonError when `data` is not JSON (NaN, Infinity, bigint, lone surrogates).
 */
export async function recordEvent<T extends EventType>(
  db: Kysely<Database>,
  event: AuditEvent<T>,
): Promise<number> {
  const { leafData, disclosures } = sealEventData(event.type, event.data);
  return insertEvent(db, {
    at: event.at,
    type: event.type,
    subject_type: event.subjectType,
    subject_id: event.subjectId,
    actor: event.actor,
    data: canonicalJson(leafData),
    disclosures: disclosures.length === 0 ? null : JSON.stringify(disclosures),
  });
}

/** The disclosures stored with an event (a JSON array of strings, or null). */
export function parseStoredDisclosures(text: string | null): string[] {
  if (text === null) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
}

/** The audit trail of one subject, oldest first, sealed fields revealed (staff only). */
export async function listEvents(
  db: Kysely<Database>,
  subjectType: SubjectType,
  subjectId: string,
): Promise<StoredEvent[]> {
  const rows = await listEventRows(db, subjectType, subjectId);
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type,
    subjectType: r.subject_type as SubjectType,
    subjectId: r.subject_id,
    actor: r.actor,
    at: r.at,
    data: revealEventData(
      JSON.parse(r.data) as Record<string, unknown>,
      parseStoredDisclosures(r.disclosures),
    ),
  }));
}
