import type { Kysely, Selectable } from 'kysely';
import type {
  Database,
  EntitiesTable,
  EvidenceCapturesTable,
  IndicatorsTable,
  NoticeDeliveriesTable,
  ReportsTable,
  TakedownNoticesTable,
} from '../store/index.js';
import { DEADLINE_NOTICE_STATES, OPEN_NOTICE_STATES } from './notice-state.js';
import { countedPage } from '../shared/counts.repo.js';

export type NoticeRow = Selectable<TakedownNoticesTable>;
export type DeliveryRow = Selectable<NoticeDeliveriesTable>;

/** The notice `id`, or undefined. */
export async function findNotice(db: Kysely<Database>, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('takedown_notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every notice of case `caseId`, oldest first. */
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
  return countedPage(matching, () => ordered.limit(filter.limit).offset(filter.offset).execute());
}

/** Stores a new notice. */
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

/** The delivery attempts of notice `noticeId`, in the order they were made. */
export async function deliveriesOf(db: Kysely<Database>, noticeId: string): Promise<DeliveryRow[]> {
  return db
    .selectFrom('notice_deliveries')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .orderBy('id')
    .execute();
}

/** Records one delivery attempt of a notice (delivered or failed). */
export async function recordDelivery(
  db: Kysely<Database>,
  row: Omit<DeliveryRow, 'id'>,
): Promise<void> {
  await db.insertInto('notice_deliveries').values(row).execute();
}

/**
 * What noticeTargets reads of case `caseId`: its indicators (type and canonical value, in the
 * order they joined the case) and its reports (platform, URL, text, title and the reporter's
 * contact, oldest first). Read-only over intake's tables.
 */
export async function noticeTargetSources(
  db: Kysely<Database>,
  caseId: string,
): Promise<{
  indicators: Array<Pick<Selectable<IndicatorsTable>, 'type' | 'value'>>;
  reports: Array<
    Pick<Selectable<ReportsTable>, 'platform' | 'url' | 'text' | 'title' | 'reporter_contact'>
  >;
}> {
  const [indicators, reports] = await Promise.all([
    db
      .selectFrom('case_indicators as ci')
      .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
      .select(['i.type', 'i.value'])
      .where('ci.case_id', '=', caseId)
      .orderBy('ci.first_seen_at')
      .orderBy('i.id')
      .execute(),
    db
      .selectFrom('reports')
      .select(['platform', 'url', 'text', 'title', 'reporter_contact'])
      .where('case_id', '=', caseId)
      .orderBy('received_at')
      .orderBy('id')
      .execute(),
  ]);
  return { indicators, reports };
}

/** The names and kind of entity `entityId` (an X-ARF report names who is impersonated). */
export async function entityNamesOf(
  db: Kysely<Database>,
  entityId: string,
): Promise<Pick<Selectable<EntitiesTable>, 'name_zh' | 'name_en' | 'kind'> | undefined> {
  return db
    .selectFrom('entities')
    .select(['name_zh', 'name_en', 'kind'])
    .where('id', '=', entityId)
    .executeTakeFirst();
}

/**
 * The captures of case `caseId` that fetched a body (URL, time and hashes), newest first: the
 * evidence an X-ARF report cites. Read-only over evidence's table.
 */
export async function fetchedCapturesOf(
  db: Kysely<Database>,
  caseId: string,
): Promise<
  Array<
    Pick<
      Selectable<EvidenceCapturesTable>,
      'url' | 'completed_at' | 'body_sha256' | 'screenshot_sha256'
    >
  >
> {
  return db
    .selectFrom('evidence_captures')
    .select(['url', 'completed_at', 'body_sha256', 'screenshot_sha256'])
    .where('case_id', '=', caseId)
    .where('outcome', '=', 'fetched')
    .where('body_sha256', 'is not', null)
    .orderBy('completed_at', 'desc')
    .orderBy('id')
    .execute();
}

/** The notices of `platform` still `pending_delivery`, oldest first. */
export async function pendingNoticesOf(
  db: Kysely<Database>,
  platform: string,
): Promise<Array<Pick<NoticeRow, 'id' | 'platform'>>> {
  return db
    .selectFrom('takedown_notices')
    .select(['id', 'platform'])
    .where('platform', '=', platform)
    .where('state', '=', 'pending_delivery')
    .orderBy('created_at')
    .execute();
}

/**
 * The notices takedown monitoring watches: sent at or after `sentSince` (ISO 8601 UTC) and either
 * open, or reported removed or restricted without scamnet having confirmed or contradicted it;
 * oldest sent first, at most 1,000.
 */
export async function monitoredNotices(
  db: Kysely<Database>,
  sentSince: string,
): Promise<NoticeRow[]> {
  return db
    .selectFrom('takedown_notices')
    .selectAll()
    .where('sent_at', '>=', sentSince)
    .where((eb) =>
      eb.or([
        eb('state', 'in', [...OPEN_NOTICE_STATES]),
        eb.and([
          eb('state', 'in', ['removed', 'restricted']),
          eb('removal_observed_at', 'is', null),
          eb('claim_contradicted_at', 'is', null),
        ]),
      ]),
    )
    .orderBy('sent_at')
    .limit(1000)
    .execute();
}

/** The distinct URLs reported for case `caseId`. Read-only over intake's table. */
export async function reportedUrlsOfCase(db: Kysely<Database>, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('reports')
    .select('url')
    .distinct()
    .where('case_id', '=', caseId)
    .where('url', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.url === null ? [] : [r.url]));
}

/** Records when scamnet last re-checked notice `id`'s content. */
export async function setNoticeCheckedAt(
  db: Kysely<Database>,
  id: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('takedown_notices')
    .set({ last_checked_at: at })
    .where('id', '=', id)
    .execute();
}

/**
 * Records at `at` that scamnet saw notice `id`'s content live after the platform reported it
 * removed; the first such time stays.
 */
export async function markClaimContradicted(
  db: Kysely<Database>,
  id: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('takedown_notices')
    .set({ claim_contradicted_at: at, updated_at: at })
    .where('id', '=', id)
    .where('claim_contradicted_at', 'is', null)
    .execute();
}
