import { isoTime } from '../shared/clock.js';

import { parseTaipeiDate, taipeiDateOf } from '../shared/taipei-dates.js';
const DAY_MS = 86_400_000;

/**
 * Undated demo rows (files without dates: Cofacts, the Block List Project) are spread over this
 * many days …
 */
export const UNDATED_SPAN_DAYS = 28;
/**
 * … ending at Asia/Taipei midnight this many days before today: older than the 24-hour and
 * 7-day trending windows, so those lists hold only the dated 165 rows (confirmed scams).
 */
export const UNDATED_END_DAYS_AGO = 8;

/** ISO 8601 UTC of Asia/Taipei midnight starting the Taipei date of `ms`. */
function taipeiMidnight(ms: number): number {
  const midnight = parseTaipeiDate(taipeiDateOf(isoTime(ms)));
  if (midnight === null) throw new Error(`no Taipei date for ${ms}`);
  return Date.parse(midnight);
}

/**
 * The whole number of days that moves the Asia/Taipei date of `latest` (ISO 8601) onto the
 * Taipei date of `nowMs`: the demo's rule for a dated file is "every date moves by the same number
 * of days, so the file's latest date falls on today" — the spacing between rows and their time
 * of day are kept, and a row dated at Taipei midnight (as 165's bare dates are) lands at most
 * 24 hours before `nowMs` and never after it.
 * @returns days to add (negative never happens for data older than today).
 */
export function dayShiftOnto(latest: string, nowMs: number): number {
  return Math.round((taipeiMidnight(nowMs) - taipeiMidnight(Date.parse(latest))) / DAY_MS);
}

/** `iso` (ISO 8601) moved by `days` whole days, as ISO 8601 UTC. */
export function shiftIso(iso: string, days: number): string {
  return isoTime(Date.parse(iso) + days * DAY_MS);
}

/**
 * The time given to undated row `index` of `count` (file order): evenly spaced over the
 * UNDATED_SPAN_DAYS days that end at Asia/Taipei midnight UNDATED_END_DAYS_AGO days before the
 * Taipei date of `nowMs`, first row first.
 * @returns ISO 8601 UTC, always before now − 7 days.
 */
export function undatedTime(index: number, count: number, nowMs: number): string {
  const end = taipeiMidnight(nowMs) - UNDATED_END_DAYS_AGO * DAY_MS;
  const start = end - UNDATED_SPAN_DAYS * DAY_MS;
  const step = (end - start) / Math.max(count, 1);
  return isoTime(start + Math.floor(index * step));
}
