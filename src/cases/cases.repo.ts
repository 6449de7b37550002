import type { Kysely, Selectable } from 'kysely';
import type { CasesTable, Database } from '../store/index.js';

export type CaseRow = Selectable<CasesTable>;

export interface CaseIndicatorRow {
  caseId: string;
  type: string;
  value: string;
}

export interface VerdictRow {
  verdict: string;
  note: string | null;
  actor: string;
  decidedAt: string;
}

/** The case row with `id`, or undefined. */
export async function findCase(db: Kysely<Database>, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Case rows for `ids` (any order; missing IDs are skipped). */
export async function findCases(db: Kysely<Database>, ids: readonly string[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('cases').selectAll().where('id', 'in', ids).execute();
}

/**
 * Where each of `caseIds` that was merged away went: the `into_case_id` of its latest `merge` in
 * `case_merges`, followed through later merges of that case (at most 5 hops). Only cases with no
 * reports left are looked up (a case merged away and later merged into again is live).
 */
export async function findMergeTargets(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<Map<string, string>> {
  const targets = new Map<string, string>();
  let pending = [...new Set(caseIds)];
  for (let hop = 0; hop < 5 && pending.length > 0; hop++) {
    const rows = await db
      .selectFrom('case_merges as m')
      .innerJoin('cases as c', 'c.id', 'm.from_case_id')
      .select(['m.from_case_id as from', 'm.into_case_id as into'])
      .where('m.kind', '=', 'merge')
      .where('m.from_case_id', 'in', pending)
      .where('c.report_count', '=', 0)
      .orderBy('m.at')
      .orderBy('m.id')
      .execute();
    const next = new Map<string, string>();
    for (const row of rows) next.set(row.from, row.into); // the latest merge wins
    if (next.size === 0) break;
    for (const [from, into] of next) {
      targets.set(from, into);
      for (const [origin, target] of targets) if (target === from) targets.set(origin, into);
    }
    pending = [...new Set(next.values())];
  }
  return targets;
}

/**
 * Indicators linked to each of `caseIds`, oldest link first, at most `perCase` of each case:
 * the public ones (`which: 'public'`, the default) or those only reporters gave as their own
 * personal data (`'personal'`, for staff; case_indicators.personal).
 */
export async function listCaseIndicators(
  db: Kysely<Database>,
  caseIds: readonly string[],
  perCase: number,
  which: 'public' | 'personal' = 'public',
): Promise<CaseIndicatorRow[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('case_indicators as ci')
    .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
    .select(['ci.case_id as caseId', 'i.type', 'i.value'])
    .where('ci.case_id', 'in', caseIds)
    .where('ci.personal', '=', which === 'personal' ? 1 : 0)
    .orderBy('ci.first_seen_at')
    .orderBy('i.type')
    .orderBy('i.value')
    .execute();
  const counts = new Map<string, number>();
  return rows.filter((row) => {
    const n = counts.get(row.caseId) ?? 0;
    counts.set(row.caseId, n + 1);
    return n < perCase;
  });
}

/** The verdict history of a case, oldest first. */
export async function listVerdicts(db: Kysely<Database>, caseId: string): Promise<VerdictRow[]> {
  return db
    .selectFrom('verdicts')
    .select(['verdict', 'note', 'actor', 'decided_at as decidedAt'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

/** Appends a verdict to the history and sets the case's current verdict and status. */
export async function recordVerdict(
  db: Kysely<Database>,
  row: {
    caseId: string;
    verdict: string;
    status: string;
    note: string | null;
    actor: string;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('verdicts')
    .values({
      case_id: row.caseId,
      verdict: row.verdict,
      note: row.note,
      actor: row.actor,
      decided_at: row.at,
    })
    .execute();
  await db
    .updateTable('cases')
    .set({ verdict: row.verdict, status: row.status, decided_at: row.at, updated_at: row.at })
    .where('id', '=', row.caseId)
    .execute();
}

/** Marks a case's content as removed at `at` (e.g. DNS suspension) and sets its status. */
export async function recordRemoval(
  db: Kysely<Database>,
  row: { caseId: string; status: string; at: string },
): Promise<void> {
  await db
    .updateTable('cases')
    .set({ removed_at: row.at, status: row.status, updated_at: row.at })
    .where('id', '=', row.caseId)
    .execute();
}
