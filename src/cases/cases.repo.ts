import type { Kysely, Selectable } from 'kysely';
import type { CasesTable, Database } from '../store/index.js';
import type { PublicBlocking } from './cases.presenter.js';
import type { StatusFacts } from './status.js';

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

/**
 * What a case's public state is built from besides its verdict (status.ts StatusFacts): its
 * platform and removal, whether it waits for the impersonated party, whether a takedown notice of
 * it was delivered (and not withdrawn), and the states of the blocklist entries linked to it.
 * Reads the takedown and blocklist tables: the public state is the one place these records meet.
 */
export async function statusFactsOf(
  db: Kysely<Database>,
  row: Pick<CaseRow, 'id' | 'platform' | 'removed_at' | 'status'>,
): Promise<StatusFacts> {
  const [notified, entries] = await Promise.all([
    db
      .selectFrom('takedown_notices')
      .select('id')
      .where('case_id', '=', row.id)
      .where('delivered_at', 'is not', null)
      .where('state', '!=', 'withdrawn')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('blocklist_entry_cases as l')
      .innerJoin('blocklist_entries as e', 'e.id', 'l.entry_id')
      .select('e.state')
      .where('l.case_id', '=', row.id)
      .execute(),
  ]);
  return {
    platform: row.platform,
    removedAt: row.removed_at,
    awaitingParty: row.status === 'awaiting_party',
    platformNotified: notified !== undefined,
    blockStates: entries.map((e) => e.state),
  };
}

/**
 * The blocklist entries linked to a case, the most binding first (active, appealed, proposed,
 * then ended ones), with their public fields (the same ones the feeds publish).
 */
export async function blockingOf(db: Kysely<Database>, caseId: string): Promise<PublicBlocking[]> {
  const rows = await db
    .selectFrom('blocklist_entry_cases as l')
    .innerJoin('blocklist_entries as e', 'e.id', 'l.entry_id')
    .select([
      'e.domain',
      'e.state',
      'e.legal_basis',
      'e.legal_reference',
      'e.legal_date',
      'e.requesting_unit',
      'e.effective_at',
      'e.expires_at',
      'e.source',
      'e.updated_at',
    ])
    .where('l.case_id', '=', caseId)
    .execute();
  const rank = ['active', 'appealed', 'proposed', 'lifted', 'expired'];
  return rows
    .sort(
      (a, b) =>
        rank.indexOf(a.state) - rank.indexOf(b.state) || b.updated_at.localeCompare(a.updated_at),
    )
    .map((r) => ({
      domain: r.domain,
      state: r.state,
      legalBasis: r.legal_basis,
      legalReference: r.legal_reference,
      legalDate: r.legal_date,
      requestingUnit: r.requesting_unit,
      effectiveAt: r.effective_at,
      expiresAt: r.expires_at,
      source: r.source,
    }));
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

/**
 * Moves case `caseId` from stage `decided` to `notified` (a takedown notice of it reached its
 * platform); a case at any other stage is left as it is.
 */
export async function markCaseNotified(db: Kysely<Database>, caseId: string): Promise<void> {
  await db
    .updateTable('cases')
    .set({ stage: 'notified' })
    .where('id', '=', caseId)
    .where('stage', '=', 'decided')
    .execute();
}
