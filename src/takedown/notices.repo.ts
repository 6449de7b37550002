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

/** Filters, order and page of noticePage. Times are ISO 8601 UTC. */
export interface NoticePageFilter {
  platform?: string | undefined;
  states?: readonly string[] | undefined;
  caseId?: string | undefined;
  /** Only notices created at or before this time. */
  createdAtOrBefore?: string | undefined;
  /** Only notices created at or after this time. */
  createdAtOrAfter?: string | undefined;
  /** `newest`: newest first; `deadline`: nearest deadline first. */
  sort: 'newest' | 'deadline';
  limit: number;
  offset: number;
}

/** One page of notices matching `filter`, and how many match in all (the same conditions). */
export async function noticePage(
  db: Kysely<Database>,
  filter: NoticePageFilter,
): Promise<{ rows: NoticeRow[]; total: number }> {
  const matching = db
    .selectFrom('takedown_notices')
    .where((eb) =>
      eb.and([
        ...(filter.platform === undefined ? [] : [eb('platform', '=', filter.platform)]),
        ...(filter.states === undefined || filter.states.length === 0
          ? []
          : [eb('state', 'in', filter.states)]),
        ...(filter.caseId === undefined ? [] : [eb('case_id', '=', filter.caseId)]),
        ...(filter.createdAtOrBefore === undefined
          ? []
          : [eb('created_at', '<=', filter.createdAtOrBefore)]),
        ...(filter.createdAtOrAfter === undefined
          ? []
          : [eb('created_at', '>=', filter.createdAtOrAfter)]),
      ]),
    );
  const ordered =
    filter.sort === 'deadline'
      ? matching.selectAll().orderBy('deadline_at').orderBy('id')
      : matching.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
    ordered.limit(filter.limit).offset(filter.offset).execute(),
  ]);
  return { rows, total: counted === undefined ? 0 : Number(counted.n) };
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
