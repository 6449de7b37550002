import type { Kysely } from 'kysely';

import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import {
  complianceCounts,
  msToRemovalAt,
  sanctionRows,
  sanctionTotals,
  type SentRange,
} from './compliance.repo.js';
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

/**
 * The value of nearest rank `rank` (1-based) among `count` removal times, in hours: one ordered
 * query that keeps the shorter end of the order (ascending for ranks in the lower half).
 */
async function hoursAtRank(
  db: Kysely<Database>,
  range: SentRange,
  platform: string,
  rank: number,
  count: number,
): Promise<number | null> {
  const ascending = rank <= count - rank + 1;
  const ms = await msToRemovalAt(db, {
    range,
    platform,
    order: ascending ? 'asc' : 'desc',
    offset: ascending ? rank - 1 : count - rank,
  });
  return ms === null ? null : ms / 3_600_000;
}

/** Nearest-rank percentile (p in 0–100) of a platform's `count` removal times, or null. */
function percentileOf(
  db: Kysely<Database>,
  range: SentRange,
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
    complianceCounts(db, range, platforms),
    sanctionTotals(db, range, platforms),
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
  const platform = actor.role === 'platform_liaison' ? actor.platform : filter.platform;
  const rows = await sanctionRows(deps.db, {
    platform,
    limit: Math.min(filter.limit ?? 100, 1000),
  });
  return rows.map((r) => ({
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
