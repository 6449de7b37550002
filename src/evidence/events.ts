import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** What was changed: the kinds of subject the audit trail records. */
export type SubjectType =
  'case' | 'report' | 'takedown_notice' | 'blocklist_entry' | 'evidence' | 'entity' | 'user';

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
 * JSON with object keys sorted recursively, so equal events serialise to equal bytes.
 * (Numbers and strings as JSON.stringify writes them.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Appends `event` to the audit trail inside the caller's transaction `db`, so the state change
 * and its record commit together or not at all. Nothing is ever updated or deleted.
 * @returns the event's sequence number.
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
  return Number(row.seq);
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
