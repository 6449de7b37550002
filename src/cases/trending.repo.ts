import { sql, type AliasedSelectQueryBuilder, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** A case and how often it was reported or viewed in a window. */
export interface CaseTally {
  caseId: string;
  count: number;
}

/**
 * Adds one view of `caseId` to the hour `bucket` (upsert on the primary key: one row per case
 * and hour, whatever the traffic).
 */
export async function incrementCaseViews(
  db: Kysely<Database>,
  caseId: string,
  bucket: string,
): Promise<void> {
  await db
    .insertInto('case_views')
    .values({ case_id: caseId, bucket, views: 1 })
    .onConflict((oc) =>
      oc.columns(['case_id', 'bucket']).doUpdateSet({ views: sql<number>`case_views.views + 1` }),
    )
    .execute();
}

/** Deletes the view counts of hours before `bucket`. @returns rows deleted. */
export async function deleteViewsBefore(db: Kysely<Database>, bucket: string): Promise<number> {
  const result = await db.deleteFrom('case_views').where('bucket', '<', bucket).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The `limit` cases with the most reports received from `since` to `until` (both inclusive), most
 * first; ties go to the case reported most recently, then the case ID. Cases without reports of
 * their own (merged into another case) never appear: their reports count for the case they moved
 * to. Reports are counted per case first (index range on `received_at`), then joined to their
 * cases, so each case row is read once, not once per report.
 */
export async function mostReportedCases(
  db: Kysely<Database>,
  since: string,
  until: string,
  limit: number,
): Promise<CaseTally[]> {
  const counts = db
    .selectFrom('reports')
    .select(['case_id', (e) => e.fn.countAll<number | string | bigint>().as('n')])
    .where('received_at', '>=', since)
    .where('received_at', '<=', until)
    .groupBy('case_id')
    .as('t');
  return topCases(db, counts, limit);
}

/**
 * The `limit` cases of `counts` (case ID → count, aliased `t`) with the highest count, most
 * first; ties go to the case reported most recently, then the case ID. Cases without reports of
 * their own (merged into another case) are left out. The counts are joined to their cases, so
 * each case row is read once.
 */
async function topCases(
  db: Kysely<Database>,
  counts: AliasedSelectQueryBuilder<{ case_id: string; n: number | string | bigint }, 't'>,
  limit: number,
): Promise<CaseTally[]> {
  const rows = await db
    .selectFrom(counts)
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .select(['t.case_id as caseId', 't.n as count'])
    .where('c.report_count', '>', 0)
    .orderBy('t.n', 'desc')
    .orderBy('c.last_reported_at', 'desc')
    .orderBy('t.case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ caseId: r.caseId, count: Number(r.count) }));
}

/**
 * The `limit` cases with the most views in the hour buckets from `sinceBucket` on, most first;
 * ties go to the case reported most recently, then the case ID. Cases without reports of their
 * own (merged into another case) are left out. Views are summed per case first, then joined.
 */
export async function mostViewedCases(
  db: Kysely<Database>,
  sinceBucket: string,
  limit: number,
): Promise<CaseTally[]> {
  const counts = db
    .selectFrom('case_views')
    .select(['case_id', (e) => e.fn.sum<number | string | bigint>('views').as('n')])
    .where('bucket', '>=', sinceBucket)
    .groupBy('case_id')
    .as('t');
  return topCases(db, counts, limit);
}
