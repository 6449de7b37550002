import type { Kysely, Selectable } from 'kysely';
import type { Database, NoticeDeliveriesTable, TakedownNoticesTable } from '../store/index.js';
import { DEADLINE_NOTICE_STATES } from './notice-state.js';

export type NoticeRow = Selectable<TakedownNoticesTable>;
export type DeliveryRow = Selectable<NoticeDeliveriesTable>;

export async function findNotice(db: Kysely<Database>, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('takedown_notices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function noticesOfCase(db: Kysely<Database>, caseId: string): Promise<NoticeRow[]> {
  return db
    .selectFrom('takedown_notices')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Notices filtered by platform and state, newest first, at most `limit`. */
export async function listNoticeRows(
  db: Kysely<Database>,
  filter: { platform?: string | undefined; states?: readonly string[] | undefined; limit: number },
): Promise<NoticeRow[]> {
  let query = db
    .selectFrom('takedown_notices')
    .selectAll()
    .orderBy('sent_at', 'desc')
    .orderBy('id')
    .limit(filter.limit);
  if (filter.platform !== undefined) query = query.where('platform', '=', filter.platform);
  if (filter.states !== undefined && filter.states.length > 0)
    query = query.where('state', 'in', filter.states);
  return query.execute();
}

export async function insertNotice(db: Kysely<Database>, row: NoticeRow): Promise<void> {
  await db.insertInto('takedown_notices').values(row).execute();
}

/**
 * Moves a notice from `fromState` to `changes.state` only if it is still in `fromState` (and,
 * when given, still has deadline `fromDeadline`): safe when several processes sweep at once.
 * @returns true when this call made the change.
 */
export async function transitionNotice(
  db: Kysely<Database>,
  id: string,
  fromState: string,
  changes: Partial<Omit<NoticeRow, 'id'>>,
  fromDeadline?: string,
): Promise<boolean> {
  let query = db
    .updateTable('takedown_notices')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', fromState);
  if (fromDeadline !== undefined) query = query.where('deadline_at', '=', fromDeadline);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Delivered, open notices whose deadline is at or before `now`, oldest deadline first. */
export async function dueNotices(
  db: Kysely<Database>,
  now: string,
  limit: number,
): Promise<NoticeRow[]> {
  return (
    db
      .selectFrom('takedown_notices')
      .selectAll()
      .where('state', 'in', [...DEADLINE_NOTICE_STATES])
      // Belt and braces: a deadline runs only from a delivery (no sanction on an undelivered notice).
      .where('delivered_at', 'is not', null)
      .where('deadline_at', '<=', now)
      .orderBy('deadline_at')
      .limit(limit)
      .execute()
  );
}

export async function deliveriesOf(db: Kysely<Database>, noticeId: string): Promise<DeliveryRow[]> {
  return db
    .selectFrom('notice_deliveries')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .orderBy('id')
    .execute();
}

export async function recordDelivery(
  db: Kysely<Database>,
  row: Omit<DeliveryRow, 'id'>,
): Promise<void> {
  await db.insertInto('notice_deliveries').values(row).execute();
}
