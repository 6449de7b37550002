import { SqliteAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import { NOTICE_PLATFORMS } from './notice-state.js';

import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
/** One platform's takedown compliance over a period (notices sent in [from, to)). */
export interface PlatformCompliance {
  platform: string;
  noticesSent: number;
  /** Removed or restricted no later than the first deadline. */
  removedWithinDeadline: number;
  removedLate: number;
  rejected: number;
  /** Still open (sent, acknowledged or overdue). */
  open: number;
  /** Missed deadlines in the period's notices (sanction-ledger occurrences). */
  missedDeadlines: number;
  /** Notices that missed their first deadline (whatever happened after). */
  overdue: number;
  /** Sanction-ledger entries of the period's notices. */
  sanctions: number;
  /** Hours from sending to removal/restriction: median and 90th percentile (nearest rank), or null. */
  medianHoursToRemoval: number | null;
  p90HoursToRemoval: number | null;
  /** Sum of the ledger's fine ranges for the period's notices, in the schedule's currency. */
  fineExposure: { min: number; max: number; currency: string | null };
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/**
 * Takedown compliance per platform for notices sent in [from, to) (ISO 8601): counts by outcome,
 * removals within the first deadline, median and p90 hours to removal, missed deadlines and fine
 * exposure. Staff see every platform; a platform liaison only theirs.
 * @throws 400 `validation_failed` when from ≥ to or a date is invalid.
 */
export async function platformCompliance(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  range: { from: string; to: string },
): Promise<PlatformCompliance[]> {
  authorize(actor, 'compliance.read');
  const from = new Date(range.from);
  const to = new Date(range.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    throw badRequest('validation_failed', 'Give from < to as ISO 8601 dates.', 'from');
  }
  const platforms = actor.role === 'platform_liaison' ? [actor.platform] : [...NOTICE_PLATFORMS];
  return complianceFigures(deps, { from: from.toISOString(), to: to.toISOString() }, platforms);
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
 * The value of nearest rank `rank` (1-based) among `count` removal times, in hours: one ordered
 * query that keeps the shorter end of the order (ascending for ranks in the lower half).
 */
async function hoursAtRank(
  db: Kysely<Database>,
  range: { from: string; to: string },
  platform: string,
  rank: number,
  count: number,
): Promise<number | null> {
  const ascending = rank <= count - rank + 1;
  const ms = msToRemoval(db);
  const row = await db
    .selectFrom('takedown_notices')
    .select(ms.as('ms'))
    .where('platform', '=', platform)
    .where('delivered_at', 'is not', null)
    .where('sent_at', '>=', range.from)
    .where('sent_at', '<', range.to)
    .where(REMOVED)
    .orderBy(ms, ascending ? 'asc' : 'desc')
    .limit(1)
    .offset(ascending ? rank - 1 : count - rank)
    .executeTakeFirst();
  return row === undefined ? null : Number(row.ms) / 3_600_000;
}

/** Nearest-rank percentile (p in 0–100) of a platform's `count` removal times, or null. */
function percentileOf(
  db: Kysely<Database>,
  range: { from: string; to: string },
  platform: string,
  count: number,
  p: number,
): Promise<number | null> {
  if (count === 0) return Promise.resolve(null);
  const rank = Math.max(1, Math.ceil((p / 100) * count));
  return hoursAtRank(db, range, platform, rank, count);
}

/**
 * The figures of platformCompliance without a role check, for callers that publish them (the
 * statistics capability's public figures and transparency report): notices sent in [from, to)
 * (ISO 8601 UTC instants, from < to) to each of `platforms`, in that order.
 *
 * Computed by the database: one GROUP BY over the covering index `notices_platform_sent_stats_idx`
 * (migration 0010) for the counts, one aggregate of the sanction ledger, and per platform two
 * ordered queries for the median and p90 (bench/stats.ts).
 */
export async function complianceFigures(
  deps: Pick<ServiceDeps, 'db'>,
  range: { from: string; to: string },
  platforms: readonly string[],
): Promise<PlatformCompliance[]> {
  if (platforms.length === 0) return [];
  const db = deps.db;
  const [counts, fines] = await Promise.all([
    db
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
        sql<
          number | string
        >`count(*) filter (where state in ('sent', 'acknowledged', 'overdue'))`.as('open'),
        sql<number | string>`coalesce(sum(missed_deadlines), 0)`.as('missed'),
        sql<number | string>`count(*) filter (where missed_deadlines > 0)`.as('overdue'),
      ])
      .where('platform', 'in', platforms)
      .where('delivered_at', 'is not', null)
      .where('sent_at', '>=', range.from)
      .where('sent_at', '<', range.to)
      .groupBy('platform')
      .execute(),
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
      .execute(),
  ]);
  const countsOf = new Map(counts.map((c) => [c.platform, c]));
  const finesOf = new Map(fines.map((f) => [f.platform, f]));

  return Promise.all(
    platforms.map(async (platform) => {
      const c = countsOf.get(platform);
      const f = finesOf.get(platform);
      const removed = Number(c?.removed ?? 0);
      const [median, p90] = await Promise.all([
        percentileOf(db, range, platform, removed, 50),
        percentileOf(db, range, platform, removed, 90),
      ]);
      return {
        platform,
        noticesSent: Number(c?.sent ?? 0),
        removedWithinDeadline: Number(c?.within ?? 0),
        removedLate: Number(c?.late ?? 0),
        rejected: Number(c?.rejected ?? 0),
        open: Number(c?.open ?? 0),
        missedDeadlines: Number(c?.missed ?? 0),
        overdue: Number(c?.overdue ?? 0),
        sanctions: Number(f?.entries ?? 0),
        medianHoursToRemoval: round2(median),
        p90HoursToRemoval: round2(p90),
        fineExposure: {
          min: Number(f?.min ?? 0),
          max: Number(f?.max ?? 0),
          currency: f?.currency ?? null,
        },
      };
    }),
  );
}

/** One entry of the sanction ledger. */
export interface SanctionEntry {
  noticeId: string;
  platform: string;
  occurrence: number;
  missedDeadlineAt: string;
  legalBasis: string;
  fineMin: number;
  fineMax: number;
  currency: string;
  recordedAt: string;
}

/** The sanction ledger, newest first: staff see all, a liaison their platform's. */
export async function listSanctions(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  filter: { platform?: string | undefined; limit?: number | undefined },
): Promise<SanctionEntry[]> {
  authorize(actor, 'sanction_ledger.read');
  let query = deps.db
    .selectFrom('sanctions')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(filter.limit ?? 100, 1000));
  const platform = actor.role === 'platform_liaison' ? actor.platform : filter.platform;
  if (platform !== undefined) query = query.where('platform', '=', platform);
  return (await query.execute()).map((r) => ({
    noticeId: r.notice_id,
    platform: r.platform,
    occurrence: Number(r.occurrence),
    missedDeadlineAt: r.missed_deadline_at,
    legalBasis: r.legal_basis,
    fineMin: Number(r.fine_min),
    fineMax: Number(r.fine_max),
    currency: r.currency,
    recordedAt: r.created_at,
  }));
}
