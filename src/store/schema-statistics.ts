/**
 * Tables of the statistics capability: the weekly bulletins (週快訊). A bulletin row exists once
 * an analyst writes reminders for a week or publishes it; a published bulletin keeps the snapshot
 * it was published with, so later data changes never rewrite what was published.
 */
export interface StatisticsTables {
  bulletins: BulletinsTable;
  stats_daily_counts: StatsDailyCountsTable;
  stats_pending_cases: StatsPendingCasesTable;
}

/**
 * Daily counts kept by triggers on `reports` and `cases` (migration 0013): per UTC day and fact,
 * how many reports, new cases or decisions fell on that day, by verdict and dimension.
 */
export interface StatsDailyCountsTable {
  /** UTC date, `YYYY-MM-DD` (the first ten characters of the counted timestamp). */
  day: string;
  /** `report`, `new_case`, `decided_platform` or `decided_type`. */
  fact: string;
  /** The case's verdict for `decided_*` facts, `''` otherwise. */
  verdict: string;
  /** A platform (`report`, `new_case`, `decided_platform`) or scam type (`''`: untyped). */
  dimension: string;
  /** May be 0 after moves; bigint on PostgreSQL (read with Number()). */
  count: number | string;
}

export interface BulletinsTable {
  /** The week, `YYYY-Www` (e.g. `2025-W27`), in the configured week start (BULLETIN_WEEK_START). */
  week: string;
  /** `draft` or `published`. */
  state: string;
  /** JSON array of the analysts' reminder paragraphs (plain text, ≤ 10). */
  reminders: string;
  /** JSON of the bulletin as published (statistics/bulletin.ts `Bulletin`); null while a draft. */
  snapshot: string | null;
  published_at: string | null;
  published_by: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

/**
 * Cases whose daily counts are held back within one transaction (migration 0031): intake lists a
 * batch's new cases here and deletes them before commit, which counts each case once.
 */
export interface StatsPendingCasesTable {
  id: string;
}
