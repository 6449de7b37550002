/** Queries of the audit trail (`events`, store/schema-evidence.ts). */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, EventsTable } from '../store/index.js';
import { countRows } from '../shared/counts.repo.js';

type Db = Kysely<Database>;

/** An event as stored: `data` canonical JSON text, `disclosures` a JSON array text or null. */
export type EventRow = Selectable<EventsTable>;

/**
 * Appends one event row (`seq` is given by the store).
 * @returns its sequence number.
 */
export async function insertEvent(db: Db, row: Insertable<EventsTable>): Promise<number> {
  const inserted = await db
    .insertInto('events')
    .values(row)
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(inserted.seq);
}

/** The events of one subject (`subject_type`, `subject_id`), in `seq` order. */
export async function listEventRows(
  db: Db,
  subjectType: string,
  subjectId: string,
): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
}

/** How many events the trail holds. */
export async function countEvents(db: Db): Promise<number> {
  return countRows(db.selectFrom('events'));
}

/**
 * Whether event `seq` is stored (false past 2³¹ − 1, the largest `seq` the column holds, which
 * PostgreSQL would refuse to compare with it).
 */
export async function eventExists(db: Db, seq: number): Promise<boolean> {
  if (seq > 2 ** 31 - 1) return false;
  const row = await db.selectFrom('events').select('seq').where('seq', '=', seq).executeTakeFirst();
  return row !== undefined;
}
