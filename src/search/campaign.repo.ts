/** Queries of the campaign graph: indicator links between cases, and the cases in a graph. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** An indicator linked to a case, with its registrable domain (URL and domain indicators). */
export interface CaseIndicatorLink {
  caseId: string;
  type: string;
  value: string;
  domain: string | null;
}

/** Every indicator linked to each of `caseIds` (public and personal links alike), in no order. */
export async function indicatorLinksOfCases(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<CaseIndicatorLink[]> {
  return db
    .selectFrom('case_indicators as ci')
    .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
    .select(['ci.case_id as caseId', 'i.type', 'i.value', 'i.registrable_domain as domain'])
    .where('ci.case_id', 'in', [...caseIds])
    .execute();
}

/**
 * Cases with reports that hold an indicator `type` = `value`, or (`type` `domain`) any URL or
 * domain indicator of registrable domain `value`: at most `limit`, by case ID.
 */
export async function casesHolding(
  db: Kysely<Database>,
  key: { type: string; value: string },
  limit: number,
): Promise<string[]> {
  const base = db
    .selectFrom('case_indicators as ci')
    .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
    .innerJoin('cases as c', 'c.id', 'ci.case_id')
    .select('ci.case_id as caseId')
    .distinct();
  const filtered =
    key.type === 'domain'
      ? base.where('i.registrable_domain', '=', key.value).where('i.type', 'in', ['url', 'domain'])
      : base.where('i.type', '=', key.type).where('i.value', '=', key.value);
  const rows = await filtered
    .where('c.report_count', '>', 0)
    .orderBy('ci.case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.caseId);
}

/** What a campaign graph shows of a case. */
export interface CampaignCaseRow {
  id: string;
  verdict: string;
  status: string;
  stage: string;
  platform: string;
  reportCount: number;
  summary: string | null;
}

/** What a campaign graph shows of each of `ids` (missing ones left out, any order). */
export async function campaignCaseRows(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<CampaignCaseRow[]> {
  const rows = await db
    .selectFrom('cases')
    .select([
      'id',
      'verdict',
      'status',
      'stage',
      'platform',
      'report_count as reportCount',
      'summary',
    ])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => ({ ...r, reportCount: Number(r.reportCount) }));
}
