/**
 * Tables of the statistics capability: the weekly bulletins (週快訊). A bulletin row exists once
 * an analyst writes reminders for a week or publishes it; a published bulletin keeps the snapshot
 * it was published with, so later data changes never rewrite what was published.
 */
export interface StatisticsTables {
  bulletins: BulletinsTable;
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
