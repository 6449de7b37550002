import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import { revealEventData, sealEventData } from './disclosure.js';
import type { EventData, EventType } from './event-types.js';
import { insertEvent, listEventRows } from './events.repo.js';
import { eventLeafInput } from './leaf.js';
import { appendLeaves } from './log.repo.js';
import { leafHash } from './merkle.js';

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
 * Appends `event` to the audit trail and to the Merkle log inside the caller's transaction `db`,
 * so the state change, its record and its leaf commit together or not at all. Nothing is ever
 * updated or deleted.
 *
 * The leaf is the RFC 8785 canonical JSON of the event with its `seq` (see eventLeafInput),
 * hashed as an RFC 9162 leaf. Leaves are public (`GET /api/v1/log/entries`) and can never be
 * removed, so `data` is split by the type's allow-list (event-types.ts, sealEventData): the
 * public fields and the digests of the sealed ones go into the leaf; the sealed values are kept
 * beside it (`events.disclosures`) for the staff audit trail. `actor` and `subjectId` are
 * identifiers (`user:…`, `system:…`), never names or addresses.
 *
 * On PostgreSQL the append holds the log head's row lock until the transaction ends, so record
 * events late in long transactions.
 * @returns the event's sequence number.
 * @throws Error when `data` has a field outside the type's allow-list.
 * @throws CanonicalJsonError when `data` is not JSON (NaN, Infinity, bigint, lone surrogates).
 */
export async function recordEvent<T extends EventType>(
  db: Kysely<Database>,
  event: AuditEvent<T>,
): Promise<number> {
  const { leafData, disclosures } = sealEventData(event.type, event.data);
  const seq = await insertEvent(db, {
    at: event.at,
    type: event.type,
    subject_type: event.subjectType,
    subject_id: event.subjectId,
    actor: event.actor,
    data: canonicalJson(leafData),
    disclosures: disclosures.length === 0 ? null : JSON.stringify(disclosures),
  });
  const leaf = { eventSeq: seq, hash: leafHash(eventLeafInput({ ...event, data: leafData, seq })) };
  const pending = pendingLeaves.get(db);
  if (pending === undefined) await appendLeaves(db, [leaf]);
  else pending.push(leaf);
  return seq;
}

/**
 * Leaves of the events recorded through a transaction handle inside withBatchedLog, not yet
 * appended, in the order their events were recorded (their `seq` order).
 */
const pendingLeaves = new WeakMap<object, Array<{ eventSeq: number; hash: Uint8Array }>>();

/**
 * Runs `work` in the caller's transaction `trx` with the Merkle appends of the events it records
 * (recordEvent through `trx`) held back and made at its end in one appendLeaves: the same leaves,
 * indices, nodes and frontier as one append per event, in a few statements per batch instead of
 * about four per event; on PostgreSQL the log head's row lock is taken only then, at the end of
 * the transaction's work. Events keep their rows and sequence numbers as they are recorded.
 * Within `work`, nothing may read the log through `trx` expecting its own leaves (none does: a
 * leaf is read once committed). If `work` throws, nothing is appended and the caller's
 * transaction rolls back.
 * @returns what `work` returns.
 */
export async function withBatchedLog<T>(trx: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  if (pendingLeaves.has(trx)) return work();
  const pending: Array<{ eventSeq: number; hash: Uint8Array }> = [];
  pendingLeaves.set(trx, pending);
  try {
    const result = await work();
    if (pending.length > 0) await appendLeaves(trx, pending);
    return result;
  } finally {
    pendingLeaves.delete(trx);
  }
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
