import { requireRole, type Actor } from '../identity/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import { NOTICE_PLATFORMS } from './notice-state.js';

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

/** Nearest-rank percentile (p in 0–100) of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
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
  requireRole(actor, ['analyst', 'admin', 'platform_liaison'], 'read compliance figures');
  const from = new Date(range.from);
  const to = new Date(range.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    throw badRequest('validation_failed', 'Give from < to as ISO 8601 dates.', 'from');
  }
  const platforms = actor.role === 'platform_liaison' ? [actor.platform] : [...NOTICE_PLATFORMS];
  return complianceFigures(deps, { from: from.toISOString(), to: to.toISOString() }, platforms);
}

/**
 * The figures of platformCompliance without a role check, for callers that publish them (the
 * statistics capability's public figures and transparency report): notices sent in [from, to)
 * (ISO 8601 UTC instants, from < to) to each of `platforms`, in that order.
 */
export async function complianceFigures(
  deps: Pick<ServiceDeps, 'db'>,
  range: { from: string; to: string },
  platforms: readonly string[],
): Promise<PlatformCompliance[]> {
  if (platforms.length === 0) return [];
  const notices = await deps.db
    .selectFrom('takedown_notices')
    .select([
      'platform',
      'state',
      'sent_at',
      'first_deadline_at',
      'resolved_at',
      'missed_deadlines',
    ])
    .where('sent_at', '>=', range.from)
    .where('sent_at', '<', range.to)
    .where('platform', 'in', platforms)
    .execute();
  const sanctions = await deps.db
    .selectFrom('sanctions as s')
    .innerJoin('takedown_notices as n', 'n.id', 's.notice_id')
    .select(['s.platform', 's.fine_min', 's.fine_max', 's.currency'])
    .where('n.sent_at', '>=', range.from)
    .where('n.sent_at', '<', range.to)
    .where('s.platform', 'in', platforms)
    .execute();

  return platforms.map((platform) => {
    const mine = notices.filter((n) => n.platform === platform);
    const removed = mine.filter(
      (n) => (n.state === 'removed' || n.state === 'restricted') && n.resolved_at !== null,
    );
    const hours = removed
      .map((n) => (Date.parse(n.resolved_at ?? n.sent_at) - Date.parse(n.sent_at)) / 3_600_000)
      .sort((a, b) => a - b);
    const fines = sanctions.filter((s) => s.platform === platform);
    return {
      platform,
      noticesSent: mine.length,
      removedWithinDeadline: removed.filter((n) => (n.resolved_at ?? '') <= n.first_deadline_at)
        .length,
      removedLate: removed.filter((n) => (n.resolved_at ?? '') > n.first_deadline_at).length,
      rejected: mine.filter((n) => n.state === 'rejected').length,
      open: mine.filter((n) => ['sent', 'acknowledged', 'overdue'].includes(n.state)).length,
      missedDeadlines: mine.reduce((sum, n) => sum + Number(n.missed_deadlines), 0),
      overdue: mine.filter((n) => Number(n.missed_deadlines) > 0).length,
      sanctions: fines.length,
      medianHoursToRemoval: round2(percentile(hours, 50)),
      p90HoursToRemoval: round2(percentile(hours, 90)),
      fineExposure: {
        min: fines.reduce((sum, s) => sum + Number(s.fine_min), 0),
        max: fines.reduce((sum, s) => sum + Number(s.fine_max), 0),
        currency: fines[0]?.currency ?? null,
      },
    };
  });
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
  requireRole(actor, ['analyst', 'admin', 'platform_liaison'], 'read the sanction ledger');
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
