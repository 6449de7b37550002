import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import { isoTime } from '../shared/clock.js';
import type { PublicCase } from './cases.presenter.js';
import { getPublicCases } from './cases.service.js';
import {
  deleteViewsBefore,
  incrementCaseViews,
  mostReportedCases,
  mostViewedCases,
  type CaseTally,
} from './trending.repo.js';

/** The windows the trending lists cover: the last 24 hours or the last 7 days. */
export const TRENDING_WINDOWS = ['24h', '7d'] as const;
export type TrendingWindow = (typeof TRENDING_WINDOWS)[number];

const WINDOW_HOURS: Readonly<Record<TrendingWindow, number>> = { '24h': 24, '7d': 7 * 24 };

/** Cases per list: the default and the most a caller may ask for. */
export const TRENDING_LIMITS = { default: 5, min: 1, max: 20 } as const;

/** Hours of view counts kept: the longest window plus one day. Older hours are deleted. */
export const VIEW_RETENTION_HOURS = 8 * 24;

const HOUR_MS = 3_600_000;

/** ISO 8601 start of the UTC hour containing `ms` (epoch milliseconds). */
export function hourBucketOf(ms: number): string {
  return isoTime(Math.floor(ms / HOUR_MS) * HOUR_MS);
}

// The hour each store was last pruned in: old hours are deleted at most once an hour per process.
const prunedAt = new WeakMap<object, string>();

/**
 * Counts one view of a case's public page (GET /api/v1/cases/{id}) in its UTC hour. Only the case
 * and the hour are stored — no address, session or user. Once an hour (per process and store) the
 * hours older than VIEW_RETENTION_HOURS are deleted, so the table holds at most one row per case
 * viewed and hour kept. A failure is logged and swallowed: counting must never break the page.
 * @param caseId the ID of a case known to exist (count after a successful read).
 */
export async function recordCaseView(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'log'>,
  caseId: string,
): Promise<void> {
  const now = deps.clock.now();
  const bucket = hourBucketOf(now);
  try {
    await incrementCaseViews(deps.db, caseId, bucket);
    if (prunedAt.get(deps.db) !== bucket) {
      prunedAt.set(deps.db, bucket);
      await deleteViewsBefore(deps.db, hourBucketOf(now - VIEW_RETENTION_HOURS * HOUR_MS));
    }
  } catch (error) {
    deps.log.warn({ err: error, caseId }, 'case view not counted');
  }
}

/** One case of a trending list with its count (reports received, or page views). */
export interface TrendingEntry {
  count: number;
  case: PublicCase;
}

/** The trending lists of a window (GET /api/v1/cases/trending). */
export interface TrendingCases {
  window: TrendingWindow;
  /** ISO 8601 UTC: reports received from `since` to `until` (both inclusive) count. */
  since: string;
  until: string;
  /** ISO 8601 UTC start of the oldest hour whose views count (views are kept per UTC hour). */
  viewsSince: string;
  mostReported: TrendingEntry[];
  mostViewed: TrendingEntry[];
}

async function entriesOf(
  deps: Pick<ServiceDeps, 'db'>,
  tallies: readonly CaseTally[],
): Promise<TrendingEntry[]> {
  const cases = await getPublicCases(
    deps,
    tallies.map((t) => t.caseId),
  );
  const byId = new Map(cases.map((c) => [c.id, c]));
  return tallies.flatMap((t) => {
    const kase = byId.get(t.caseId);
    return kase === undefined ? [] : [{ count: t.count, case: kase }];
  });
}

/**
 * The most reported and the most viewed cases of the last `window` (public). Reports count by
 * `received_at` in [now − window, now]; views count in the current UTC hour and the hours before
 * it, `window` hours in all (so the oldest hour may be partly outside the window). Cases merged
 * into another case are left out (their reports count for the case they joined); every other
 * case may appear, `not_fraud` ones too, with their public label. Each case is the same public
 * view as GET /api/v1/cases/{id} (presentCase: no reporter data, no staff names).
 * @param input.limit cases per list, TRENDING_LIMITS.min–max (default 5).
 * @throws AppError 400 `validation_failed` (unknown window, limit out of range).
 */
export async function getTrendingCases(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { window?: string | undefined; limit?: number | undefined },
): Promise<TrendingCases> {
  const window = TRENDING_WINDOWS.find((w) => w === (input.window ?? '24h'));
  if (window === undefined) {
    throw badRequest(
      'validation_failed',
      `Unknown window; use ${TRENDING_WINDOWS.join(' or ')}.`,
      'window',
    );
  }
  const limit = input.limit ?? TRENDING_LIMITS.default;
  if (!Number.isInteger(limit) || limit < TRENDING_LIMITS.min || limit > TRENDING_LIMITS.max) {
    throw badRequest(
      'validation_failed',
      `limit must be an integer from ${TRENDING_LIMITS.min} to ${TRENDING_LIMITS.max}.`,
      'limit',
    );
  }
  const now = deps.clock.now();
  const hours = WINDOW_HOURS[window];
  const since = isoTime(now - hours * HOUR_MS);
  const until = isoTime(now);
  const viewsSince = hourBucketOf(now - (hours - 1) * HOUR_MS);
  const [reported, viewed] = await Promise.all([
    mostReportedCases(deps.db, since, until, limit),
    mostViewedCases(deps.db, viewsSince, limit),
  ]);
  const [mostReported, mostViewed] = await Promise.all([
    entriesOf(deps, reported),
    entriesOf(deps, viewed),
  ]);
  return { window, since, until, viewsSince, mostReported, mostViewed };
}
