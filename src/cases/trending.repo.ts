import { sql, type Kysely } from 'kysely';
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
 * The `limit` cases with the most reports received from `since` to `until` (both inclusive), most first; ties go
 * to the case reported most recently, then the case ID. Cases without reports of their own
 * (merged into another case) never appear: their reports count for the case they moved to.
 */
export async function mostReportedCases(
  db: Kysely<Database>,
  since: string,
  until: string,
  limit: number,
): Promise<CaseTally[]> {
  const rows = await db
    .selectFrom('reports as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['r.case_id as caseId', (eb) => eb.fn.countAll().as('count')])
    .where('r.received_at', '>=', since)
    .where('r.received_at', '<=', until)
    .where('c.report_count', '>', 0)
    .groupBy(['r.case_id', 'c.last_reported_at'])
    .orderBy('count', 'desc')
    .orderBy('c.last_reported_at', 'desc')
    .orderBy('r.case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ caseId: r.caseId, count: Number(r.count) }));
}

/**
 * The `limit` cases with the most views in the hour buckets from `sinceBucket` on, most first;
 * ties go to the case reported most recently, then the case ID. Cases without reports of their
 * own (merged into another case) are left out.
 */
export async function mostViewedCases(
  db: Kysely<Database>,
  sinceBucket: string,
  limit: number,
): Promise<CaseTally[]> {
  const rows = await db
    .selectFrom('case_views as v')
    .innerJoin('cases as c', 'c.id', 'v.case_id')
    .select(['v.case_id as caseId', (eb) => eb.fn.sum<number | string>('v.views').as('count')])
    .where('v.bucket', '>=', sinceBucket)
    .where('c.report_count', '>', 0)
    .groupBy(['v.case_id', 'c.last_reported_at'])
    .orderBy('count', 'desc')
    .orderBy('c.last_reported_at', 'desc')
    .orderBy('v.case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ caseId: r.caseId, count: Number(r.count) }));
}
