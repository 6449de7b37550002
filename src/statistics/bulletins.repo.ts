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
export async function insertBulletin(
  db: Kysely<Database>,
  row: Insertable<BulletinsTable>,
): Promise<void> {
  await db.insertInto('bulletins').values(row).execute();
}

/** Changes the stored bulletin of `week`. */
export async function updateBulletin(
  db: Kysely<Database>,
  week: string,
  changes: Updateable<BulletinsTable>,
): Promise<void> {
  await db.updateTable('bulletins').set(changes).where('week', '=', week).execute();
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
