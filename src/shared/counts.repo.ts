/**
 * Counting queries on either store (PostgreSQL returns `count(*)`, a bigint, as a string): the
 * number of rows a query selects, and the query half of the paging convention (paging.ts) — a
 * staff list's page read together with the COUNT under the same filters.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/index.js';
import { countOf } from './paging.js';

/** The COUNT(*) of `query` (its columns replaced), not yet run. */
function countQuery<TB extends keyof Database, O>(query: SelectQueryBuilder<Database, TB, O>) {
  return query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
}

/**
 * How many rows `query` selects (a query with its filters and no columns yet, e.g.
 * `db.selectFrom('events').where(…)`), as a number.
 */
export async function countRows<TB extends keyof Database, O>(
  query: SelectQueryBuilder<Database, TB, O>,
): Promise<number> {
  return countOf(await countQuery(query));
}

/**
 * Reads a page and its list's true total at once: the COUNT of `matching` (the list's filters,
 * before its columns, order and page) and the rows `page()` reads (the same filters with the
 * list's columns, order, limit and offset), the count issued first.
 * @returns `total` (every row `matching` selects) and `rows` (the page).
 */
export async function countedPage<TB extends keyof Database, O, R>(
  matching: SelectQueryBuilder<Database, TB, O>,
  page: () => Promise<R[]>,
): Promise<{ total: number; rows: R[] }> {
  const [counted, rows] = await Promise.all([countQuery(matching), page()]);
  return { total: countOf(counted), rows };
}
