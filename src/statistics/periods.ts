import { badRequest } from '../shared/errors.js';

/** The first day of a bulletin week. */
export const WEEK_STARTS = ['sunday', 'monday'] as const;
export type WeekStart = (typeof WEEK_STARTS)[number];

/**
 * A period of whole local days: `startDate`…`endDate` (inclusive, `YYYY-MM-DD` in `timeZone`),
 * and the same as UTC instants `[startsAt, endsAt)` (ISO 8601 with milliseconds, the form every
 * timestamp column uses, so they compare as text).
 */
export interface Period {
  readonly startDate: string;
  readonly endDate: string;
  readonly days: number;
  readonly timeZone: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA time zone this Node.js knows (e.g. `Asia/Taipei`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock fields of the UTC instant `ms` in `timeZone`, as if they were UTC. */
function wallClockMs(timeZone: string, ms: number): number {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** Epoch ms of local midnight starting `date` (`YYYY-MM-DD`) in `timeZone`; DST-safe. */
function localMidnight(date: string, timeZone: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`);
  let utc = naive - (wallClockMs(timeZone, naive) - Math.floor(naive / 1000) * 1000);
  // A second pass settles days on which the offset changes.
  utc = naive - (wallClockMs(timeZone, utc) - Math.floor(utc / 1000) * 1000);
  return utc;
}

/** `YYYY-MM-DD` of the local date of instant `ms` in `timeZone`. */
export function localDateOf(ms: number, timeZone: string): string {
  return new Date(wallClockMs(timeZone, ms)).toISOString().slice(0, 10);
}

/** `date` (`YYYY-MM-DD`) plus `days` calendar days (may be negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Checks a calendar date `YYYY-MM-DD`.
 * @throws 400 `validation_failed` naming `field` when it is not a real date.
 */
export function parseDate(value: string, field: string): string {
  const match = DATE.exec(value);
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (match === null || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw badRequest('validation_failed', `${field} must be a date YYYY-MM-DD.`, field);
  }
  return value;
}

/**
 * The period of local days `startDate`…`endDate` (inclusive) in `timeZone`.
 * @throws 400 `validation_failed` when a date is invalid, `endDate` precedes `startDate`, the
 *   period is longer than 3,660 days, or the time zone is unknown (`timeZone`).
 */
export function periodOf(startDate: string, endDate: string, timeZone: string): Period {
  parseDate(startDate, 'from');
  parseDate(endDate, 'to');
  if (!isTimeZone(timeZone)) {
    throw badRequest('validation_failed', `Unknown time zone ${timeZone}.`, 'timeZone');
  }
  const days = Math.round((Date.parse(endDate) - Date.parse(startDate)) / DAY_MS) + 1;
  if (days < 1) throw badRequest('validation_failed', 'to must not be before from.', 'to');
  if (days > 3660) throw badRequest('validation_failed', 'At most 3,660 days at once.', 'to');
  return {
    startDate,
    endDate,
    days,
    timeZone,
    startsAt: new Date(localMidnight(startDate, timeZone)).toISOString(),
    endsAt: new Date(localMidnight(addDays(endDate, 1), timeZone)).toISOString(),
  };
}

/** The period of the same number of days that ends where `period` starts. */
export function previousPeriod(period: Period): Period {
  return periodOf(
    addDays(period.startDate, -period.days),
    addDays(period.startDate, -1),
    period.timeZone,
  );
}

/** Monday of ISO 8601 week 1 of `year` (the week with 4 January), `YYYY-MM-DD`. */
function isoWeekOneMonday(year: number): string {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const weekday = (jan4.getUTCDay() + 6) % 7;
  return addDays(jan4.toISOString().slice(0, 10), -weekday);
}

/** Weeks in ISO year `year`: 53 when 28 December falls in week 53, else 52. */
function isoWeeksIn(year: number): number {
  const days = Math.round(
    (Date.parse(isoWeekOneMonday(year + 1)) - Date.parse(isoWeekOneMonday(year))) / DAY_MS,
  );
  return days / 7;
}

/**
 * The first local day (`YYYY-MM-DD`) of week `week` (`YYYY-Www`). Weeks are numbered as ISO 8601
 * weeks: with `monday` the week is exactly ISO week W; with `sunday` it starts the day before ISO
 * week W's Monday (so 2025-W27 is Sunday 2025-06-29 to Saturday 2025-07-05).
 * @throws 400 `invalid_week` (field `week`) when the label is malformed or the week does not exist.
 */
export function weekStartDate(week: string, weekStart: WeekStart): string {
  const match = WEEK.exec(week);
  const year = Number(match?.[1]);
  const number = Number(match?.[2]);
  if (match === null || number < 1 || number > isoWeeksIn(year)) {
    throw badRequest(
      'invalid_week',
      `week must be YYYY-Www, an existing week (got ${week}).`,
      'week',
    );
  }
  const monday = addDays(isoWeekOneMonday(year), (number - 1) * 7);
  return weekStart === 'monday' ? monday : addDays(monday, -1);
}

/** The seven-day period of `week` in `timeZone` (see weekStartDate). */
export function weekPeriod(week: string, weekStart: WeekStart, timeZone: string): Period {
  const start = weekStartDate(week, weekStart);
  return periodOf(start, addDays(start, 6), timeZone);
}

/** The label `YYYY-Www` of the week that contains the local date `date` (see weekStartDate). */
export function weekOf(date: string, weekStart: WeekStart): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const start = addDays(date, weekStart === 'monday' ? -((weekday + 6) % 7) : -weekday);
  const monday = weekStart === 'monday' ? start : addDays(start, 1);
  // The ISO year of a week is the year of its Thursday.
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const number =
    Math.round((Date.parse(monday) - Date.parse(isoWeekOneMonday(year))) / DAY_MS) / 7 + 1;
  return `${year}-W${String(number).padStart(2, '0')}`;
}

/** The label of the week `offset` weeks from `week` (negative: earlier). */
export function shiftWeek(week: string, weekStart: WeekStart, offset: number): string {
  return weekOf(addDays(weekStartDate(week, weekStart), offset * 7), weekStart);
}
