import { SqliteAdapter, sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, SanctionsTable } from '../store/index.js';

export type SanctionRow = Selectable<SanctionsTable>;

/** Notices sent in [from, to): ISO 8601 UTC instants. */
export interface SentRange {
  from: string;
  to: string;
}

/** Removed or restricted with a removal time: the notices counted in the hours to removal. */
const REMOVED = sql<boolean>`state in ('removed', 'restricted') and resolved_at is not null`;

/** Whole milliseconds from sending to removal, computed by the database. */
function msToRemoval(db: Kysely<Database>): RawBuilder<number | string> {
  // SQLite: julianday resolves a millisecond to about 40 µs, so the rounded difference is exact.
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? sql`cast(round((julianday(resolved_at) - julianday(sent_at)) * 86400000) as integer)`
    : sql`round(extract(epoch from (resolved_at::timestamptz - sent_at::timestamptz)) * 1000)`;
}

/**
 * The milliseconds from sending to removal of one of `platform`'s notices removed or restricted
 * among those sent in `range`: the one at `offset` (0-based) in `order` of that time; null when
 * there is none. One ordered query over the covering index (migration 0010).
 */
export async function msToRemovalAt(
  db: Kysely<Database>,
  query: { range: SentRange; platform: string; order: 'asc' | 'desc'; offset: number },
): Promise<number | null> {
  const ms = msToRemoval(db);
  const row = await db
    .selectFrom('takedown_notices')
    .select(ms.as('ms'))
    .where('platform', '=', query.platform)
    .where('delivered_at', 'is not', null)
    .where('sent_at', '>=', query.range.from)
    .where('sent_at', '<', query.range.to)
    .where(REMOVED)
    .orderBy(ms, query.order)
    .limit(1)
    .offset(query.offset)
    .executeTakeFirst();
  return row === undefined ? null : Number(row.ms);
}

/**
 * Per platform among `platforms`, the delivered notices sent in `range`: how many, removed or
 * restricted (within the first deadline, late), rejected, still open, the missed deadlines and
 * the notices that missed one. One GROUP BY over the covering index
 * `notices_platform_sent_stats_idx` (migration 0010); platforms without notices are absent.
 */
export async function complianceCounts(
  db: Kysely<Database>,
  range: SentRange,
  platforms: readonly string[],
) {
  return db
    .selectFrom('takedown_notices')
    .select((eb) => [
      'platform',
      eb.fn.countAll().as('sent'),
      sql<number | string>`count(*) filter (where ${REMOVED})`.as('removed'),
      sql<
        number | string
      >`count(*) filter (where ${REMOVED} and resolved_at <= first_deadline_at)`.as('within'),
      sql<
        number | string
      >`count(*) filter (where ${REMOVED} and resolved_at > first_deadline_at)`.as('late'),
      sql<number | string>`count(*) filter (where state = 'rejected')`.as('rejected'),
      sql<number | string>`count(*) filter (where state in ('sent', 'acknowledged', 'overdue'))`.as(
        'open',
      ),
      sql<number | string>`coalesce(sum(missed_deadlines), 0)`.as('missed'),
      sql<number | string>`count(*) filter (where missed_deadlines > 0)`.as('overdue'),
    ])
    .where('platform', 'in', platforms)
    .where('delivered_at', 'is not', null)
    .where('sent_at', '>=', range.from)
    .where('sent_at', '<', range.to)
    .groupBy('platform')
    .execute();
}

/**
 * Per platform among `platforms`, the sanction-ledger entries of the delivered notices sent in
 * `range`: how many, and the sums of their fine ranges (with the schedule's currency).
 */
export async function sanctionTotals(
  db: Kysely<Database>,
  range: SentRange,
  platforms: readonly string[],
) {
  return (
    db
      // The ledger drives the join (a cross join keeps SQLite's order): it is far smaller than
      // the notices sent in a long period.
      .selectFrom('sanctions as s')
      .crossJoin('takedown_notices as n')
      .whereRef('n.id', '=', 's.notice_id')
      .select((eb) => [
        's.platform',
        eb.fn.countAll().as('entries'),
        eb.fn.sum<number | string>('s.fine_min').as('min'),
        eb.fn.sum<number | string>('s.fine_max').as('max'),
        eb.fn.min('s.currency').as('currency'),
      ])
      .where('n.delivered_at', 'is not', null)
      .where('n.sent_at', '>=', range.from)
      .where('n.sent_at', '<', range.to)
      .where('s.platform', 'in', platforms)
      .groupBy('s.platform')
      .execute()
  );
}

/** The sanction ledger, newest first, at most `limit` entries, of one platform when given. */
export async function sanctionRows(
  db: Kysely<Database>,
  filter: { platform: string | undefined; limit: number },
): Promise<SanctionRow[]> {
  let query = db.selectFrom('sanctions').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.platform !== undefined) query = query.where('platform', '=', filter.platform);
  return query.execute();
}

/**
 * Writes one ledger entry unless the notice already has one for that occurrence.
 * @returns true when this call wrote it.
 */
export async function insertSanction(
  db: Kysely<Database>,
  row: Omit<SanctionRow, 'id'>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('sanctions')
    .values(row)
    .onConflict((oc) => oc.columns(['notice_id', 'occurrence']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}
