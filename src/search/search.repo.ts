/** Queries of keyword search: the postings of search_postings, and what hits are ranked by. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { readInChunks } from '../shared/chunks.js';
import { groupPairs } from '../shared/group.js';

/** How many cases hold each of `terms` (terms no case holds are left out). */
export async function termFrequencies(
  db: Kysely<Database>,
  terms: readonly string[],
): Promise<Map<string, number>> {
  const counts = await db
    .selectFrom('search_postings')
    .select(['term', (eb) => eb.fn.countAll<number | string | bigint>().as('df')])
    .where('term', 'in', [...terms])
    .groupBy('term')
    .execute();
  return new Map(counts.map((c) => [c.term, Number(c.df)]));
}

/**
 * A term held by at least this many cases is "common": its postings are too many to join and
 * sort (≈ 0.4 s for 10⁵ at 1,000,000 cases, bench/search.ts), while walking the cases newest first
 * finds `limit` holders after a few thousand cases.
 */
export const COMMON_TERM_POSTINGS = 20_000;

/** Whether `term` has at least `threshold` postings (counts no further than that). */
async function isCommonTerm(
  db: Kysely<Database>,
  term: string,
  threshold: number,
): Promise<boolean> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('search_postings')
        .select(sql.lit(1).as('one'))
        .where('term', '=', term)
        .limit(threshold)
        .as('p'),
    )
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0) >= threshold;
}

/** The case-driven plan reads at most this many of the newest cases before giving up on it. */
export const CASE_WALK_LIMIT = 50_000;

/**
 * Cases holding every term, the most recently reported first (last report time, then case ID),
 * at most `limit`. Two plans give the same rows. From the postings of a rare term (under
 * `commonPostings`), joined with the others and sorted. Or, when every term is common, from the
 * newest CASE_WALK_LIMIT cases, each checked for every term: when `limit` of them hold every term,
 * they are the answer (no older case can come before them); when fewer do (common terms that are
 * rarely together), the postings plan runs after all, so one query never walks every case.
 */
export async function casesWithAllTerms(
  db: Kysely<Database>,
  terms: readonly string[],
  limit: number,
  commonPostings = COMMON_TERM_POSTINGS,
  caseWalkLimit = CASE_WALK_LIMIT,
): Promise<string[]> {
  const [firstTerm] = terms;
  if (firstTerm === undefined) return [];
  let rare: string | undefined;
  for (const term of terms) {
    if (!(await isCommonTerm(db, term, commonPostings))) {
      rare = term;
      break;
    }
  }
  const holds = (term: string) =>
    sql<boolean>`exists (select 1 from search_postings as p where p.case_id = c.id and p.term = ${term})`;
  if (rare === undefined) {
    // The newest caseWalkLimit cases: those reported at or after the caseWalkLimit-th newest
    // report time (all cases when there are fewer). Walked through the last-report index newest
    // first, the query stops at `limit` holders.
    const cutoff = db
      .selectFrom('cases')
      .select('last_reported_at')
      .orderBy('last_reported_at', 'desc')
      .limit(1)
      .offset(caseWalkLimit - 1);
    let walk = db
      .selectFrom('cases as c')
      .select('c.id')
      .where('c.last_reported_at', '>=', (eb) => eb.fn.coalesce(cutoff, sql.lit('')));
    for (const term of terms) walk = walk.where(holds(term));
    const found = await walk
      .orderBy('c.last_reported_at', 'desc')
      .orderBy('c.id')
      .limit(limit)
      .execute();
    if (found.length >= limit) return found.map((r) => r.id);
  }
  const driver = rare ?? firstTerm;
  let query = db
    .selectFrom('search_postings as p0')
    .innerJoin('cases as c', 'c.id', 'p0.case_id')
    .select('c.id')
    .where('p0.term', '=', driver);
  for (const term of terms) if (term !== driver) query = query.where(holds(term));
  const rows = await query
    .orderBy('c.last_reported_at', 'desc')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Cases holding any of `indicators` as a public indicator (an indicator reporters gave only as
 * their own personal data matches nothing), by case ID, at most `limit`.
 */
export async function casesWithAnyIndicator(
  db: Kysely<Database>,
  indicators: ReadonlyArray<{ type: string; value: string }>,
  limit: number,
): Promise<string[]> {
  if (indicators.length === 0) return [];
  const rows = await db
    .selectFrom('indicators as i')
    .innerJoin('case_indicators as ci', 'ci.indicator_id', 'i.id')
    .select('ci.case_id')
    .distinct()
    .where((eb) =>
      eb.or(
        indicators.map((i) => eb.and([eb('i.type', '=', i.type), eb('i.value', '=', i.value)])),
      ),
    )
    .where('ci.personal', '=', 0)
    .orderBy('ci.case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.case_id);
}

/**
 * The first `perCase` report texts of each of `caseIds` (title, text and URL, non-empty ones
 * joined by newlines), oldest first, in their public form (personal data redacted), so that
 * nothing redacted can be searched for or quoted. Cases without reports are left out.
 */
export async function caseTexts(
  db: Kysely<Database>,
  caseIds: readonly string[],
  perCase: number,
): Promise<Map<string, string[]>> {
  const rows = await readInChunks(caseIds, (chunk) => {
    const ranked = db
      .selectFrom('reports')
      .select((eb) => [
        'case_id',
        eb.fn.coalesce('public_text', 'text').as('text'),
        eb.fn.coalesce('public_title', 'title').as('title'),
        'url',
        sql<number>`row_number() over (partition by case_id order by received_at, id)`.as('n'),
      ])
      .where('case_id', 'in', chunk)
      .as('r');
    return db
      .selectFrom(ranked)
      .select(['r.case_id', 'r.text', 'r.title', 'r.url'])
      .where('r.n', '<=', perCase)
      .orderBy('r.case_id')
      .orderBy('r.n')
      .execute();
  });
  return groupPairs(
    rows.map((row) => [
      row.case_id,
      [row.title, row.text, row.url].filter((t) => t !== null && t !== '').join('\n'),
    ]),
  );
}

/**
 * What search ranks cases by, for `ids` (missing ones left out, any order): the public summary
 * (else the summary), the report count and the last report time (ISO 8601 UTC).
 */
export async function caseFacts(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<
  Array<{ id: string; summary: string | null; reportCount: number; lastReportedAt: string }>
> {
  const rows = await readInChunks(ids, (chunk) =>
    db
      .selectFrom('cases')
      .select((eb) => [
        'id',
        eb.fn.coalesce('public_summary', 'summary').as('summary'),
        'report_count as reportCount',
        'last_reported_at as lastReportedAt',
      ])
      .where('id', 'in', chunk)
      .execute(),
  );
  return rows.map((r) => ({ ...r, reportCount: Number(r.reportCount) }));
}
