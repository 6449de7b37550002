/**
 * Counting queries on either store (PostgreSQL returns `count(*)`, a bigint, as a string): the
 * number of rows a query selects, and the query half of the paging convention (paging.ts) — a
 * staff list's page read together with the COUNT under the same filters.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/index.js';
import { countOf } from './paging.js';

/**
 * A query with its tables and filters and no columns yet (`db.selectFrom('events').where(…)`):
 * one that selects columns is refused by the compiler (its COUNT would be wrong or an error).
 */
type Unselected<TB extends keyof Database, O> = SelectQueryBuilder<Database, TB, O> &
  (keyof O extends never ? unknown : never);

/** The COUNT(*) of `query`, run. */
function countQuery<TB extends keyof Database, O>(query: Unselected<TB, O>) {
  return query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
}

/**
 * How many rows `query` selects (a query with its filters and no columns yet, e.g.
 * `db.selectFrom('events').where(…)`), as a number.
 */
export async function countRows<TB extends keyof Database, O>(
  query: Unselected<TB, O>,
): Promise<number> {
  return countOf(await countQuery(query));
}

/**
 * Reads a page and its list's total: the COUNT of `matching` (the list's filters, before its
 * columns, order and page) and the rows `page()` reads (the same filters with the list's
 * columns, order, limit and offset). Both are started together, the count first; on PostgreSQL
 * they may run on two pool connections without a shared snapshot, so a write committed between
 * them can make the total differ from the rows by that write (a staff list's count, not a figure
 * of record).
 * @returns `total` (every row `matching` selects) and `rows` (the page).
 */
export async function countedPage<TB extends keyof Database, O, R>(
  matching: Unselected<TB, O>,
  page: () => Promise<R[]>,
): Promise<{ total: number; rows: R[] }> {
  const [counted, rows] = await Promise.all([countQuery(matching), page()]);
  return { total: countOf(counted), rows };
}
