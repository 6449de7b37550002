import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import { eventLeafInput } from './leaf.js';
import { appendLeaf } from './log.repo.js';
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
export interface AuditEvent {
  /** Dotted event type, e.g. `case.verdict`, `case.created`, `blocklist_entry.activated`. */
  type: string;
  subjectType: SubjectType;
  subjectId: string;
  /** Actor identifier (actorLabel), or `system:…` for automatic steps. */
  actor: string;
  /** ISO 8601 UTC. */
  at: string;
  /** Event details; plain JSON values only. */
  data: Record<string, unknown>;
}

export interface StoredEvent extends AuditEvent {
  seq: number;
}

/**
 * Appends `event` to the audit trail and to the Merkle log inside the caller's transaction `db`,
 * so the state change, its record and its leaf commit together or not at all. Nothing is ever
 * updated or deleted.
 *
 * The leaf is the RFC 8785 canonical JSON of the event with its `seq` (see eventLeafInput),
 * hashed as an RFC 9162 leaf. Leaves are public (`GET /api/v1/log/entries`): never put personal
 * data (reporter contact details, names) in `data`.
 *
 * On PostgreSQL the append holds the log head's row lock until the transaction ends, so record
 * events late in long transactions.
 * @returns the event's sequence number.
 * @throws CanonicalJsonError when `data` is not JSON (NaN, Infinity, bigint, lone surrogates).
 */
export async function recordEvent(db: Kysely<Database>, event: AuditEvent): Promise<number> {
  const row = await db
    .insertInto('events')
    .values({
      at: event.at,
      type: event.type,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      actor: event.actor,
      data: canonicalJson(event.data),
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  const seq = Number(row.seq);
  await appendLeaf(db, seq, leafHash(eventLeafInput({ ...event, seq })));
  return seq;
}

/** The audit trail of one subject, oldest first. */
export async function listEvents(
  db: Kysely<Database>,
  subjectType: SubjectType,
  subjectId: string,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type,
    subjectType: r.subject_type as SubjectType,
    subjectId: r.subject_id,
    actor: r.actor,
    at: r.at,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}
