import type { Expression, Kysely, SqlBool } from 'kysely';
import { caseIndicatorQuery } from './cases.repo.js';
import type { Database } from '../store/index.js';

/** A case holding an indicator, as stored, with the case's verdict. */
export interface HeldIndicatorRow {
  caseId: string;
  type: string;
  value: string;
  verdict: string;
}

/** Filters every holder query applies. */
export interface HolderFilter {
  /** Leave this case out (the case asking about itself). */
  excludeCaseId: string | undefined;
  /** At most this many rows, the most serious verdicts first (fraud, high risk, open, not fraud). */
  limit: number;
}

/**
 * The base query of indicator holders, joined with their cases, ordered most serious verdict
 * first, then most reported, so a limit cuts the least telling rows. It has no condition on the
 * verdict: SQLite (without ANALYZE statistics) then drove the join from every fraud case by the
 * verdict index instead of from the few indicators asked about, which made triage during an
 * import quadratic; callers filter verdicts on the rows.
 */
function holders(db: Kysely<Database>, filter: HolderFilter) {
  let query = db
    .selectFrom('indicators as i')
    .innerJoin('case_indicators as ci', 'ci.indicator_id', 'i.id')
    .innerJoin('cases as c', 'c.id', 'ci.case_id')
    .select(['ci.case_id as caseId', 'i.type', 'i.value', 'c.verdict'])
    .where('c.report_count', '>', 0)
    // A phone or account a reporter gave only as their own is nobody's scam (personal data).
    .where('ci.personal', '=', 0);
  if (filter.excludeCaseId !== undefined) query = query.where('c.id', '<>', filter.excludeCaseId);
  return query
    .orderBy((eb) =>
      eb
        .case()
        .when('c.verdict', '=', 'fraud')
        .then(0)
        .when('c.verdict', '=', 'high_risk')
        .then(1)
        .when('c.verdict', '=', 'undecided')
        .then(2)
        .else(3)
        .end(),
    )
    .orderBy('c.report_count', 'desc')
    .orderBy('ci.case_id')
    .orderBy('i.type')
    .orderBy('i.value')
    .limit(filter.limit);
}

/**
 * `url` and `domain` indicators whose lookup expression is one of `expressions`, held by cases
 * that have (`reportedUrl: true`) or have not (`false`) at least one report with its own URL:
 * only the former can be a report *of* the site; the latter only mention it in a message.
 */
export async function siteHolders(
  db: Kysely<Database>,
  expressions: readonly string[],
  reportedUrl: boolean,
  filter: HolderFilter,
): Promise<HeldIndicatorRow[]> {
  if (expressions.length === 0) return [];
  // Only `url` and `domain` indicators have an expression.
  return holders(db, filter)
    .where('i.expression', 'in', [...expressions])
    .where((eb): Expression<SqlBool> => {
      const withUrl = eb.exists(
        eb
          .selectFrom('reports as r')
          .select('r.id')
          .whereRef('r.case_id', '=', 'ci.case_id')
          .where('r.url', 'is not', null),
      );
      return reportedUrl ? withUrl : eb.not(withUrl);
    })
    .execute();
}

/** Cases holding any of the typed indicators exactly. */
export async function exactHolders(
  db: Kysely<Database>,
  indicators: ReadonlyArray<{ type: string; value: string }>,
  filter: HolderFilter,
): Promise<HeldIndicatorRow[]> {
  if (indicators.length === 0) return [];
  return holders(db, filter)
    .where((eb) =>
      eb.or(
        indicators.map((i) => eb.and([eb('i.type', '=', i.type), eb('i.value', '=', i.value)])),
      ),
    )
    .execute();
}

/** The distinct reported URLs (as submitted) and reporter-given platforms of `caseIds`' reports. */
export async function reportedUrlsOf(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<Array<{ caseId: string; url: string; platform: string | null }>> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('reports')
    .select(['case_id as caseId', 'url', 'platform'])
    .distinct()
    .where('case_id', 'in', [...new Set(caseIds)])
    .where('url', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.url === null ? [] : [{ ...r, url: r.url }]));
}

/** The public indicators of one case (not its reporters' personal data), oldest link first, at most `limit`. */
export async function indicatorsOfCase(
  db: Kysely<Database>,
  caseId: string,
  limit: number,
): Promise<Array<{ type: string; value: string }>> {
  return caseIndicatorQuery(db, caseId)
    .where('ci.personal', '=', 0)
    .orderBy('ci.first_seen_at')
    .orderBy('i.type')
    .orderBy('i.value')
    .limit(limit)
    .execute();
}
