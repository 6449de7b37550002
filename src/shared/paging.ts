import type { Clock } from './clock.js';
import { isoTime } from './clock.js';
import { badRequest } from './errors.js';

/**
 * The one paging convention of every staff list (verification queue, triage list, decision
 * history, my reports, notices, blocklist entries): `limit` and `offset` in, the page with the
 * true `total` (a COUNT under the same filters, never the page's length) out. Lists that had a
 * keyset cursor (`after` → `next`) keep it beside these fields.
 */
export interface Page<T> {
  items: T[];
  /** Items matching the filters, on every page (not only this one). */
  total: number;
  limit: number;
  offset: number;
}

/** Largest page any list gives, unless it documented a larger one before paging existed. */
export const MAX_PAGE_SIZE = 200;
/** Largest `offset` accepted (a list this deep is narrowed with filters, not paged through). */
export const MAX_OFFSET = 1_000_000;
/** Largest age filter, hours (ten years). */
export const MAX_AGE_HOURS = 87_600;

/** What a list was asked for: `limit` (1–max) and `offset` (≥ 0), with the list's defaults. */
export interface PageRequest {
  limit: number;
  offset: number;
}

/**
 * The page asked for, defaults applied. The HTTP schemas already refuse values out of range;
 * this refuses them again for callers that are not HTTP (CLI, tests).
 * @throws AppError 400 `validation_failed` naming `limit` or `offset`.
 */
export function pageRequest(
  query: { limit?: number | undefined; offset?: number | undefined },
  defaults: { limit: number; max?: number },
): PageRequest {
  const max = defaults.max ?? MAX_PAGE_SIZE;
  const limit = query.limit ?? defaults.limit;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw badRequest('validation_failed', `limit must be an integer from 1 to ${max}.`, 'limit');
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw badRequest(
      'validation_failed',
      `offset must be an integer from 0 to ${MAX_OFFSET}.`,
      'offset',
    );
  }
  return { limit, offset };
}

/** An age filter: items at least `minAgeHours` and at most `maxAgeHours` old (either optional). */
export interface AgeFilter {
  minAgeHours?: number | undefined;
  maxAgeHours?: number | undefined;
}

/**
 * The instants an age filter compares a timestamp column with: `olderThan` (the item's time is
 * at or before it) and `newerThan` (at or after it), ISO 8601 UTC, from the injected clock.
 * @throws AppError 400 `validation_failed` when an age is not an integer from 0 to MAX_AGE_HOURS
 *   or `minAgeHours` is greater than `maxAgeHours`.
 */
export function ageBounds(
  clock: Clock,
  filter: AgeFilter,
): { olderThan: string | undefined; newerThan: string | undefined } {
  for (const field of ['minAgeHours', 'maxAgeHours'] as const) {
    const hours = filter[field];
    if (hours !== undefined && (!Number.isInteger(hours) || hours < 0 || hours > MAX_AGE_HOURS)) {
      throw badRequest(
        'validation_failed',
        `${field} must be an integer from 0 to ${MAX_AGE_HOURS}.`,
        field,
      );
    }
  }
  const { minAgeHours, maxAgeHours } = filter;
  if (minAgeHours !== undefined && maxAgeHours !== undefined && minAgeHours > maxAgeHours) {
    throw badRequest(
      'validation_failed',
      'minAgeHours must not be greater than maxAgeHours.',
      'maxAgeHours',
    );
  }
  const now = clock.now();
  return {
    olderThan: minAgeHours === undefined ? undefined : isoTime(now - minAgeHours * 3_600_000),
    newerThan: maxAgeHours === undefined ? undefined : isoTime(now - maxAgeHours * 3_600_000),
  };
}

/**
 * A LIKE pattern matching values that contain `text`, lower-cased, with `!` as the escape
 * character (use `like … escape '!'`): `%`, `_` and `!` in the text match only themselves.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** A count from either store as a number (PostgreSQL returns bigint counts as strings). */
export function countOf(row: { n: string | number | bigint } | undefined): number {
  return row === undefined ? 0 : Number(row.n);
}
