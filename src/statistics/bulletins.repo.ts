import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { BulletinsTable, Database } from '../store/index.js';

export type BulletinRow = Selectable<BulletinsTable>;

/** The stored bulletin of `week` (`YYYY-Www`): reminders, state and snapshot; undefined if none. */
export async function findBulletin(
  db: Kysely<Database>,
  week: string,
): Promise<BulletinRow | undefined> {
  return db.selectFrom('bulletins').selectAll().where('week', '=', week).executeTakeFirst();
}

/** Stores the first row of a week's bulletin. */
async function insertBulletin(
  db: Kysely<Database>,
  row: Insertable<BulletinsTable>,
): Promise<void> {
  await db.insertInto('bulletins').values(row).execute();
}

/** Changes the stored bulletin of `week`. */
async function updateBulletin(
  db: Kysely<Database>,
  week: string,
  changes: Updateable<BulletinsTable>,
): Promise<void> {
  await db.updateTable('bulletins').set(changes).where('week', '=', week).execute();
}

/**
 * Stores `values` in the bulletin of `week`: changes its row when `exists`, else creates the row
 * (created at `values.updated_at`; a draft without reminders unless `values` says otherwise).
 */
export async function saveBulletin(
  db: Kysely<Database>,
  week: string,
  exists: boolean,
  values: Updateable<BulletinsTable> & Pick<BulletinRow, 'updated_at' | 'updated_by'>,
): Promise<void> {
  if (exists) {
    await updateBulletin(db, week, values);
  } else {
    await insertBulletin(db, {
      week,
      state: 'draft',
      reminders: '[]',
      created_at: values.updated_at,
      ...values,
    });
  }
}

/** The snapshots of the published bulletins, newest week first, at most `limit`. */
export async function publishedSnapshots(db: Kysely<Database>, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('bulletins')
    .select(['snapshot'])
    .where('state', '=', 'published')
    .orderBy('week', 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => (r.snapshot === null ? [] : [r.snapshot]));
}
