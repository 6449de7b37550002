import { sql, type Kysely, type Selectable } from 'kysely';
import { randomBase32 } from '../shared/ids.js';
import { storedPublicForm } from '../shared/text.js';
import type { CasesTable, Database, Dialect } from '../store/index.js';
import type { CaseStage } from '../vocabulary/index.js';
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

/**
 * Appends a verdict to the history and sets the case's current verdict, status and decision time
 * (`at`, ISO 8601 UTC); with `stage` also its stage, with `clearQuestion` it drops the open
 * question of a `need_info` decision.
 */
export async function recordVerdict(
  db: Kysely<Database>,
  row: {
    caseId: string;
    verdict: string;
    status: string;
    note: string | null;
    actor: string;
    at: string;
    stage?: CaseStage;
    clearQuestion?: boolean;
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
    .set({
      verdict: row.verdict,
      status: row.status,
      ...(row.stage === undefined ? {} : { stage: row.stage }),
      decided_at: row.at,
      ...(row.clearQuestion === true ? { info_question: null } : {}),
      updated_at: row.at,
    })
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
 * Moves case `caseId` to `stage` (no workflow check: callers enforce workflow.ts). `at` (ISO 8601
 * UTC) also sets its update time; `from` moves it only while it is in that stage; `infoQuestion`
 * sets the open question of a `need_info` decision (null drops it).
 * @returns whether the case was moved (false: no such case, or not in stage `from`).
 */
export async function setCaseStage(
  db: Kysely<Database>,
  caseId: string,
  stage: CaseStage,
  options: { at?: string; from?: CaseStage; infoQuestion?: string | null } = {},
): Promise<boolean> {
  let query = db
    .updateTable('cases')
    .set({
      stage,
      ...(options.infoQuestion === undefined ? {} : { info_question: options.infoQuestion }),
      ...(options.at === undefined ? {} : { updated_at: options.at }),
    })
    .where('id', '=', caseId);
  if (options.from !== undefined) query = query.where('stage', '=', options.from);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Changes the public status of case `caseId` from `from` to `to` at `at` (ISO 8601 UTC), only
 * while it is still `from` (a concurrent change wins).
 * @returns whether the status changed.
 */
export async function setCaseStatus(
  db: Kysely<Database>,
  caseId: string,
  change: { from: string; to: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set({ status: change.to, updated_at: change.at })
    .where('id', '=', caseId)
    .where('status', '=', change.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A new case as intake or a split stores it. */
export interface NewCase {
  id: string;
  platform: string;
  summary: string | null;
  /** The summary as public pages show it (personal data redacted). */
  publicSummary: string | null;
  /** PUBLIC_FORM_VERSION of the rule the public forms were made with (0: not made yet). */
  publicFormVersion: number;
  source: string;
  /** ISO 8601 UTC creation time. */
  at: string;
  /** Time of its first report when not `at` (a split's first moved report); first = last. */
  reportedAt?: string;
}

/** Inserts an undecided, unreported case (report_count 0; `countCaseReport` counts reports). */
export async function insertCase(db: Kysely<Database>, c: NewCase): Promise<void> {
  const reportedAt = c.reportedAt ?? c.at;
  await db
    .insertInto('cases')
    .values({
      id: c.id,
      status: 'processing',
      verdict: 'undecided',
      platform: c.platform,
      summary: c.summary,
      public_summary: storedPublicForm(c.summary, c.publicSummary),
      public_form_version: c.publicFormVersion,
      report_count: 0,
      first_reported_at: reportedAt,
      last_reported_at: reportedAt,
      decided_at: null,
      removed_at: null,
      source: c.source,
      created_at: c.at,
      updated_at: c.at,
    })
    .execute();
}

/**
 * Counts a new report of case `caseId` received at `receivedAt`: one more report, first/last
 * report times widened to it, and (when the case has none) the report's summary and its public
 * form. Run it before storing the report: on PostgreSQL it locks the case row before the
 * report's statistics trigger reads the case's platform (migration 0013).
 * @param now ISO 8601 UTC update time.
 */
export async function countCaseReport(
  db: Kysely<Database>,
  caseId: string,
  report: { receivedAt: string; summary: string | null; publicSummary: string | null },
  now: string,
): Promise<void> {
  const { summary, receivedAt: at } = report;
  const publicSummary = storedPublicForm(summary, report.publicSummary);
  await db
    .updateTable('cases')
    .set((eb) => ({
      report_count: eb('report_count', '+', 1),
      first_reported_at: sql<string>`case when first_reported_at > ${at} then ${at} else first_reported_at end`,
      last_reported_at: sql<string>`case when last_reported_at < ${at} then ${at} else last_reported_at end`,
      summary: sql<string | null>`coalesce(summary, ${summary})`,
      // Both expressions read the row as it was: the public summary goes with the summary.
      public_summary: sql<
        string | null
      >`case when summary is null then ${publicSummary} else public_summary end`,
      updated_at: now,
    }))
    .where('id', '=', caseId)
    .execute();
}

/**
 * Sets the report count of case `caseId` and, when not null, its first/last report times (ISO
 * 8601 UTC), as recounted after reports moved (merge, split).
 */
export async function setCaseReportCounts(
  db: Kysely<Database>,
  caseId: string,
  counts: { reports: number; firstReportedAt: string | null; lastReportedAt: string | null },
  at: string,
): Promise<void> {
  await db
    .updateTable('cases')
    .set({
      report_count: counts.reports,
      ...(counts.firstReportedAt === null ? {} : { first_reported_at: counts.firstReportedAt }),
      ...(counts.lastReportedAt === null ? {} : { last_reported_at: counts.lastReportedAt }),
      updated_at: at,
    })
    .where('id', '=', caseId)
    .execute();
}

/** What a merge or split decides on, read under the case's row lock. */
export interface LockedCase {
  id: string;
  verdict: string;
  stage: string;
  platform: string;
  reportCount: number;
}

/**
 * Case `caseId` for a change of its reports: on PostgreSQL the row stays locked (`for update`)
 * until the caller's transaction ends; SQLite has one writer at a time. Undefined when missing.
 */
export async function lockCase(
  db: Kysely<Database>,
  dialect: Dialect,
  caseId: string,
): Promise<LockedCase | undefined> {
  let query = db
    .selectFrom('cases')
    .select(['id', 'verdict', 'stage', 'platform', 'report_count as reportCount'])
    .where('id', '=', caseId);
  if (dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : { ...row, reportCount: Number(row.reportCount) };
}

/**
 * Records a merge (every report of `fromCaseId` moved into `intoCaseId`) or a split (some moved
 * to the new case `intoCaseId`) in `case_merges`, under a new random ID (`M` + 12 base32).
 */
export async function recordCaseMerge(
  db: Kysely<Database>,
  merge: {
    kind: 'merge' | 'split';
    fromCaseId: string;
    intoCaseId: string;
    reportCount: number;
    actor: string;
    note: string | null;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('case_merges')
    .values({
      id: `M${randomBase32(12)}`,
      kind: merge.kind,
      from_case_id: merge.fromCaseId,
      into_case_id: merge.intoCaseId,
      report_count: merge.reportCount,
      actor: merge.actor,
      note: merge.note,
      at: merge.at,
    })
    .execute();
}

/** What triage decided of a case (triage.service.ts), stored at `at` (ISO 8601 UTC). */
export interface CaseTriageWrite {
  platform: string;
  scamType: string | null;
  impersonatedEntityId: string | null;
  /** 0–100. */
  riskScore: number | null;
  routedEntityId: string | null;
  stage: string;
  status: string;
  at: string;
}

/** Stores the triage of case `caseId` (its triage time and update time are `at`). */
export async function setCaseTriage(
  db: Kysely<Database>,
  caseId: string,
  triage: CaseTriageWrite,
): Promise<void> {
  await db
    .updateTable('cases')
    .set({
      platform: triage.platform,
      scam_type: triage.scamType,
      impersonated_entity_id: triage.impersonatedEntityId,
      risk_score: triage.riskScore,
      routed_entity_id: triage.routedEntityId,
      triaged_at: triage.at,
      stage: triage.stage,
      status: triage.status,
      updated_at: triage.at,
    })
    .where('id', '=', caseId)
    .execute();
}

/** Triage fields an analyst sets (undefined: left as they are). */
export interface TriageOverrideValues {
  platform?: string | undefined;
  scamType?: string | undefined;
  /** null: no impersonated entity. */
  impersonatedEntityId?: string | null | undefined;
  /** 0–100. */
  riskScore?: number | undefined;
  routedEntityId?: string | undefined;
}

/**
 * Sets the triage fields of case `caseId` that `values` gives and stores the list of overridden
 * triage fields (`overrides`, JSON array; later triage keeps them).
 */
export async function setTriageOverrides(
  db: Kysely<Database>,
  caseId: string,
  values: TriageOverrideValues,
  overrides: readonly string[],
): Promise<void> {
  const { platform, scamType, impersonatedEntityId, riskScore, routedEntityId } = values;
  await db
    .updateTable('cases')
    .set({
      ...(platform === undefined ? {} : { platform }),
      ...(scamType === undefined ? {} : { scam_type: scamType }),
      ...(impersonatedEntityId === undefined
        ? {}
        : { impersonated_entity_id: impersonatedEntityId }),
      ...(riskScore === undefined ? {} : { risk_score: riskScore }),
      ...(routedEntityId === undefined ? {} : { routed_entity_id: routedEntityId }),
      overrides: JSON.stringify(overrides),
    })
    .where('id', '=', caseId)
    .execute();
}

/**
 * Stores the public summary of case `caseId` (personal data redacted; null when it is the
 * summary itself) and the PUBLIC_FORM_VERSION it was made with.
 */
export async function setCasePublicSummary(
  db: Kysely<Database>,
  caseId: string,
  publicSummary: string | null,
  publicFormVersion: number,
): Promise<void> {
  await db
    .updateTable('cases')
    .set({ public_summary: publicSummary, public_form_version: publicFormVersion })
    .where('id', '=', caseId)
    .execute();
}

/** Up to `limit` case IDs whose public forms were made before `version`, by ID. */
export async function listCasesWithFormsBefore(
  db: Kysely<Database>,
  version: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where('public_form_version', '<', version)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether the public forms of case `caseId` were made before `version` (false when missing). */
export async function hasFormsBefore(
  db: Kysely<Database>,
  caseId: string,
  version: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where('id', '=', caseId)
    .where('public_form_version', '<', version)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * One page of cases in creation order (creation time, then ID): the first `limit` after the case
 * `after` (its creation time and ID), or from the start.
 */
export async function listCasesByCreation(
  db: Kysely<Database>,
  after: { createdAt: string; id: string } | null,
  limit: number,
): Promise<Array<{ id: string; createdAt: string }>> {
  let query = db
    .selectFrom('cases')
    .select(['id', 'created_at as createdAt'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  if (after !== null) {
    const { createdAt, id } = after;
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)]),
      ]),
    );
  }
  return query.execute();
}

/** True when the store holds no case yet. */
export async function storeHasNoCase(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('cases')
    .select(sql<number>`1`.as('one'))
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}

/** The IDs of the takedown notices of case `caseId` (any state), in no particular order. */
export async function listNoticeIdsOfCase(db: Kysely<Database>, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('takedown_notices')
    .select('id')
    .where('case_id', '=', caseId)
    .execute();
  return rows.map((r) => r.id);
}

/** The query of the indicators (`type`, `value`) linked to case `caseId`, to narrow or order. */
export function caseIndicatorQuery(db: Kysely<Database>, caseId: string) {
  return db
    .selectFrom('case_indicators as ci')
    .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
    .select(['i.type', 'i.value'])
    .where('ci.case_id', '=', caseId);
}

/** Every indicator linked to case `caseId` (public and personal links alike), in no order. */
export async function allIndicatorsOfCase(
  db: Kysely<Database>,
  caseId: string,
): Promise<Array<{ type: string; value: string }>> {
  return caseIndicatorQuery(db, caseId).execute();
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

/**
 * The platform compliance findings of case `caseId`: the scanner's ads of it that showed no
 * disclosure of who commissioned and paid for them when last seen (the ad real-name rule;
 * scanner_ads, written by intake).
 */
export async function adComplianceFindings(
  db: Kysely<Database>,
  caseId: string,
): Promise<Array<{ platform: string; adId: string; firstSeenAt: string; lastSeenAt: string }>> {
  // By the ad's report, which merges and splits move: the finding follows it to its case.
  const rows = await db
    .selectFrom('scanner_ads as a')
    .innerJoin('reports as r', 'r.id', 'a.report_id')
    .select(['a.platform', 'a.ad_id', 'a.first_seen_at', 'a.last_seen_at'])
    .where('r.case_id', '=', caseId)
    .where('a.disclosure_missing', '=', 1)
    .orderBy('a.platform')
    .orderBy('a.ad_id')
    .execute();
  return rows.map((r) => ({
    platform: r.platform,
    adId: r.ad_id,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
  }));
}
