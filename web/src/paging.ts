/**
 * The one paging convention of the staff lists (server: src/shared/paging.ts): ask with `limit`
 * and `offset`, get one page with the true `total` of items matching the filters.
 */
import type { Reader } from './reader';

/** One page of a list the server pages. */
export interface PageOf<T> {
  items: T[];
  /** Items matching the filters on every page (not this page's length). */
  total: number;
  limit: number;
  offset: number;
}

/** Reads a page: its items under `key` (each with `item`) and the paging fields. */
export function readPage<T>(body: Reader, key: string, item: (r: Reader) => T): PageOf<T> {
  return {
    items: body.list(key, item),
    total: body.num('total'),
    limit: body.num('limit'),
    offset: body.num('offset'),
  };
}

/** Sets `limit` and `offset` on query parameters (offset only when past the first page). */
export function setPaging(
  params: URLSearchParams,
  paging: { limit?: number | undefined; offset?: number | undefined },
): void {
  if (paging.limit !== undefined) params.set('limit', String(paging.limit));
  if (paging.offset !== undefined && paging.offset > 0) params.set('offset', String(paging.offset));
}

/** Age filters the staff lists offer, in the address as `age`. */
export const AGE_FILTERS = ['new', 'day', 'threeDays', 'week', 'month'] as const;
export type AgeFilter = (typeof AGE_FILTERS)[number];

/**
 * The hours an age filter sends: `new` is at most a day old; the others at least a day, three
 * days, a week or 30 days old.
 */
export function ageHours(age: AgeFilter | ''): { minAgeHours?: number; maxAgeHours?: number } {
  switch (age) {
    case 'new':
      return { maxAgeHours: 24 };
    case 'day':
      return { minAgeHours: 24 };
    case 'threeDays':
      return { minAgeHours: 72 };
    case 'week':
      return { minAgeHours: 168 };
    case 'month':
      return { minAgeHours: 720 };
    default:
      return {};
  }
}

/** Sets the age filter's hours on query parameters. */
export function setAge(params: URLSearchParams, age: AgeFilter | ''): void {
  for (const [key, hours] of Object.entries(ageHours(age))) params.set(key, String(hours));
}
