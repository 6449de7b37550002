import { createHash } from 'node:crypto';
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
import {
  TRENDING_LIMITS,
  TRENDING_WINDOWS,
  WINDOW_HOURS,
  type TrendingWindow,
} from './trending-windows.js';

export { TRENDING_LIMITS, TRENDING_WINDOWS, type TrendingWindow };

/**
 * How long (clock milliseconds) a computed trending result is served again to everyone asking for
 * the same window and limit: the home page is the busiest page, and a list up to a minute old is
 * as useful as a fresh one.
 */
export const TRENDING_CACHE_MS = 60_000;

/** Hours of view counts kept: the longest window plus one day. Older hours are deleted. */
export const VIEW_RETENTION_HOURS = 8 * 24;

const HOUR_MS = 3_600_000;

/** ISO 8601 start of the UTC hour containing `ms` (epoch milliseconds). */
export function hourBucketOf(ms: number): string {
  return isoTime(Math.floor(ms / HOUR_MS) * HOUR_MS);
}

// The hour each store was last pruned in: old hours are deleted at most once an hour per process.
const prunedAt = new WeakMap<object, string>();

/** Distinct (viewer, case) pairs remembered per hour and process before views count unchecked. */
export const VIEWERS_PER_HOUR = 100_000;

// Per store: the current hour and the hashed (viewer, case) pairs already counted in it. Kept in
// memory only, and dropped when the hour turns.
const seenThisHour = new WeakMap<object, { bucket: string; seen: Set<string> }>();

/** Whether `viewer` already viewed `caseId` in `bucket` (and remembers it now if not). */
function seenBefore(db: object, bucket: string, viewer: string, caseId: string): boolean {
  let hour = seenThisHour.get(db);
  if (hour?.bucket !== bucket) {
    hour = { bucket, seen: new Set() };
    seenThisHour.set(db, hour);
  }
  const key = createHash('sha256').update(`${viewer}\n${caseId}`).digest('base64url').slice(0, 16);
  if (hour.seen.has(key)) return true;
  if (hour.seen.size < VIEWERS_PER_HOUR) hour.seen.add(key);
  return false;
}

/**
 * Counts one view of a case's public page (GET /api/v1/cases/{id}) in its UTC hour. Only the case
 * and the hour are stored — no address, session or user. Once an hour (per process and store) the
 * hours older than VIEW_RETENTION_HOURS are deleted, so the table holds at most one row per case
 * viewed and hour kept. A failure is logged and swallowed: counting must never break the page.
 * A viewer counts once per case and hour, so reloading a page (or a script) cannot push a case up
 * the "most viewed" list: the pair is remembered as a hash, in memory, for the hour (at most
 * VIEWERS_PER_HOUR pairs per process, beyond which views count unchecked).
 * @param caseId the ID of a case known to exist (count after a successful read).
 * @param viewer who is viewing, e.g. the client address; never stored.
 */
export async function recordCaseView(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'log'>,
  caseId: string,
  viewer: string,
): Promise<void> {
  const now = deps.clock.now();
  const bucket = hourBucketOf(now);
  if (seenBefore(deps.db, bucket, viewer, caseId)) return;
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

// Recent results per store (the db object), by `${window}:${limit}`.
const cache = new WeakMap<object, Map<string, { at: number; result: TrendingCases }>>();

/**
 * The most reported and the most viewed cases of the last `window` (public). Reports count by
 * `received_at` in [now − window, now]; views count in the current UTC hour and the hours before
 * it, `window` hours in all (so the oldest hour may be partly outside the window). Cases merged
 * into another case are left out (their reports count for the case they joined); every other
 * case may appear, `not_fraud` ones too, with their public label. Each case is the same public
 * view as GET /api/v1/cases/{id} (presentCase: no reporter data, no staff names). A result is
 * reused for TRENDING_CACHE_MS of clock time (per process and store), so it may be up to a minute
 * old; `fresh: true` computes it anew.
 * @param input.limit cases per list, TRENDING_LIMITS.min–max (default 5).
 * @throws AppError 400 `validation_failed` (unknown window, limit out of range).
 */
export async function getTrendingCases(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { window?: string | undefined; limit?: number | undefined; fresh?: boolean },
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
  const key = `${window}:${limit}`;
  const recent = cache.get(deps.db) ?? new Map<string, { at: number; result: TrendingCases }>();
  cache.set(deps.db, recent);
  const hit = recent.get(key);
  if (
    input.fresh !== true &&
    hit !== undefined &&
    now >= hit.at &&
    now - hit.at < TRENDING_CACHE_MS
  ) {
    return hit.result;
  }
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
  const result = { window, since, until, viewsSince, mostReported, mostViewed };
  recent.set(key, { at: now, result });
  return result;
}
