import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** What a case is ranked by (compareSeverity, after its status's colour). */
export interface SeverityRow {
  id: string;
  status: string;
  verdict: string;
  reportCount: number;
  firstReportedAt: string;
}

/** IDs of cases holding any of the merge `keys`. */
export async function caseIdsByKeys(
  db: Kysely<Database>,
  keys: readonly string[],
): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('case_keys')
    .select('case_id')
    .distinct()
    .where('key', 'in', keys)
    .execute();
  return rows.map((r) => r.case_id);
}

/**
 * What `caseIds` are ranked by (compareSeverity), without loading their public views, in ID
 * order (so cases ranking equal keep one order on both dialects and in the lookup index).
 */
export async function severityOf(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<SeverityRow[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'status', 'verdict', 'report_count', 'first_reported_at'])
    .where('id', 'in', [...new Set(caseIds)])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    verdict: r.verdict,
    reportCount: Number(r.report_count),
    firstReportedAt: r.first_reported_at,
  }));
}
