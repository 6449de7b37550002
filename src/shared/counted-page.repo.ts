/**
 * The query half of the paging convention (paging.ts): a staff list's page read together with
 * the COUNT under the same filters, for every list that pages with `limit` and `offset`.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/index.js';
import { countOf } from './paging.js';

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
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
    page(),
  ]);
  return { total: countOf(counted), rows };
}
