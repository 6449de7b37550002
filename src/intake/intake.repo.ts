import { sql, type Kysely } from 'kysely';
import { storedPublicForm } from '../shared/text.js';
import type { Database, Dialect } from '../store/index.js';

export interface IndicatorWrite {
  id: string;
  type: string;
  value: string;
  expression: string | null;
  registrableDomain: string | null;
  /**
   * The report gives it only as the reporter's or victim's own (personal-data.ts, public policy):
   * it is linked to the case but shown and matched on no public route.
   */
  personal: boolean;
}

/**
 * Serialises concurrent intake of the same content on PostgreSQL: one transaction-scoped
 * advisory lock per merge key, taken in sorted order so two transactions cannot deadlock.
 * SQLite needs none (one writer at a time).
 */
export async function lockKeys(
  db: Kysely<Database>,
  dialect: Dialect,
  keys: readonly string[],
): Promise<void> {
  if (dialect !== 'postgres' || keys.length === 0) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${[...keys]}::text[]) as k order by k`.execute(
    db,
  );
}

/**
 * Holds back the daily statistics counts of the new case `caseId` (before its row is inserted):
 * the triggers skip its rows until releaseCaseCounts (migration 0031).
 */
export async function holdCaseCounts(db: Kysely<Database>, caseId: string): Promise<void> {
  await db.insertInto('stats_pending_cases').values({ id: caseId }).execute();
}

/** Counts the held-back cases `caseIds` from their rows as they are now (migration 0031). */
export async function releaseCaseCounts(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < caseIds.length; i += 500) {
    await db
      .deleteFrom('stats_pending_cases')
      .where('id', 'in', caseIds.slice(i, i + 500))
      .execute();
  }
}

/** The oldest case that holds any of `keys`, or undefined. */
export async function findCaseIdByKeys(
  db: Kysely<Database>,
  keys: readonly string[],
): Promise<string | undefined> {
  if (keys.length === 0) return undefined;
  const row = await db
    .selectFrom('case_keys as k')
    .innerJoin('cases as c', 'c.id', 'k.case_id')
    .select('c.id')
    .where('k.key', 'in', keys)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** The case ID of an already imported report of `source` with `externalId`, or undefined. */
export async function findReportByExternalId(
  db: Kysely<Database>,
  source: string,
  externalId: string,
): Promise<{ id: string; caseId: string; receivedAt: string } | undefined> {
  return db
    .selectFrom('reports')
    .select(['id', 'case_id as caseId', 'received_at as receivedAt'])
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export interface NewReport {
  id: string;
  caseId: string;
  receivedAt: string;
  source: string;
  /** SOURCE_KINDS: who sent it. */
  sourceKind: string;
  channel: string;
  platform: string | null;
  url: string | null;
  canonicalUrl: string | null;
  text: string | null;
  title: string | null;
  /** The text and title as public pages show them (personal data redacted). */
  publicText: string | null;
  publicTitle: string | null;
  externalId: string | null;
  /** The signed-in reporter (identity); null for anonymous reports and imports. */
  reporterUserId?: string | null;
  /** A contact for follow-up (e-mail or E.164 phone) and its kind; personal data. */
  reporterContact?: string | null;
  reporterContactType?: 'email' | 'phone' | null;
  /** The attached screenshot's blob address (insertBlob first). */
  screenshotSha256?: string | null;
}

/**
 * Links merge `keys` to case `caseId` as of `at` (ISO time); a key another case already holds
 * stays with that case (the oldest holder wins, as at intake).
 */
export async function addCaseKeys(
  db: Kysely<Database>,
  caseId: string,
  keys: readonly string[],
  at: string,
): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('case_keys')
    .values(keys.map((key) => ({ key, case_id: caseId, created_at: at })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/**
 * Stores a report under its case (counted first with cases' countCaseReport, in the same
 * transaction). Keys and indicators are linked idempotently; a link is personal while every
 * report that gives it gives it as personal data: a report giving it otherwise makes it public,
 * so no report can hide what another gives as the scammer's.
 */
export async function attachReport(
  db: Kysely<Database>,
  report: NewReport,
  keys: readonly string[],
  indicators: readonly IndicatorWrite[],
): Promise<void> {
  await db
    .insertInto('reports')
    .values({
      id: report.id,
      case_id: report.caseId,
      received_at: report.receivedAt,
      source: report.source,
      source_kind: report.sourceKind,
      channel: report.channel,
      platform: report.platform,
      url: report.url,
      canonical_url: report.canonicalUrl,
      text: report.text,
      title: report.title,
      public_text: storedPublicForm(report.text, report.publicText),
      public_title: storedPublicForm(report.title, report.publicTitle),
      external_id: report.externalId,
      reporter_user_id: report.reporterUserId ?? null,
      reporter_contact: report.reporterContact ?? null,
      reporter_contact_type: report.reporterContactType ?? null,
      screenshot_sha256: report.screenshotSha256 ?? null,
    })
    .execute();
  await addCaseKeys(db, report.caseId, keys, report.receivedAt);
  if (indicators.length > 0) {
    await db
      .insertInto('indicators')
      .values(
        indicators.map((i) => ({
          id: i.id,
          type: i.type,
          value: i.value,
          expression: i.expression,
          registrable_domain: i.registrableDomain,
          first_seen_at: report.receivedAt,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await db
      .insertInto('case_indicators')
      .values(
        indicators.map((i) => ({
          case_id: report.caseId,
          indicator_id: i.id,
          first_seen_at: report.receivedAt,
          personal: i.personal ? 1 : 0,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['case_id', 'indicator_id'])
          .doUpdateSet({ personal: 0 })
          .where(sql.ref('excluded.personal'), '=', 0)
          .where('case_indicators.personal', '=', 1),
      )
      .execute();
  }
}

/** A report as stored, for deriving again what intake derived from it (indexes, public forms). */
export interface StoredReportRow {
  id: string;
  url: string | null;
  text: string | null;
  title: string | null;
  source: string;
  platform: string | null;
  receivedAt: string;
  /** The reporter's follow-up contact (personal data: never on a public route). */
  reporterContact: string | null;
  /** Stored public forms: null when the original needs no redaction. */
  publicText: string | null;
  publicTitle: string | null;
}

/** Every report of case `caseId`, oldest first (received time, then ID). */
export async function reportsOfCase(
  db: Kysely<Database>,
  caseId: string,
): Promise<StoredReportRow[]> {
  return db
    .selectFrom('reports')
    .select([
      'id',
      'url',
      'text',
      'title',
      'source',
      'platform',
      'received_at as receivedAt',
      'reporter_contact as reporterContact',
      'public_text as publicText',
      'public_title as publicTitle',
    ])
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
}

/** Stores the public forms of report `reportId`'s text and title (null: the original as is). */
export async function setReportPublicForms(
  db: Kysely<Database>,
  reportId: string,
  forms: { text: string | null; title: string | null },
): Promise<void> {
  await db
    .updateTable('reports')
    .set({ public_text: forms.text, public_title: forms.title })
    .where('id', '=', reportId)
    .execute();
}

/** The indicator links of case `caseId` and whether each is personal, in no order. */
export async function indicatorLinksOf(
  db: Kysely<Database>,
  caseId: string,
): Promise<Array<{ indicatorId: string; personal: boolean }>> {
  const rows = await db
    .selectFrom('case_indicators')
    .select(['indicator_id', 'personal'])
    .where('case_id', '=', caseId)
    .execute();
  return rows.map((r) => ({ indicatorId: r.indicator_id, personal: Number(r.personal) === 1 }));
}

/** Marks the links of case `caseId` to `indicatorIds` personal (or public), 500 per statement. */
export async function setLinksPersonal(
  db: Kysely<Database>,
  caseId: string,
  indicatorIds: readonly string[],
  personal: boolean,
): Promise<void> {
  for (let i = 0; i < indicatorIds.length; i += 500) {
    await db
      .updateTable('case_indicators')
      .set({ personal: personal ? 1 : 0 })
      .where('case_id', '=', caseId)
      .where('indicator_id', 'in', indicatorIds.slice(i, i + 500))
      .execute();
  }
}

/** Which case a merge or split moves from and into, and (undefined: all) which rows of it. */
interface CaseMove<T> {
  fromCaseId: string;
  intoCaseId: string;
  only?: readonly T[];
}

/**
 * Moves the reports of case `fromCaseId` (only those with the IDs `only`, when given: not empty)
 * into case `intoCaseId`.
 * @returns how many reports moved.
 */
export async function moveReports(db: Kysely<Database>, move: CaseMove<string>): Promise<number> {
  let query = db
    .updateTable('reports')
    .set({ case_id: move.intoCaseId })
    .where('case_id', '=', move.fromCaseId);
  if (move.only !== undefined) query = query.where('id', 'in', [...move.only]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Moves the merge keys of case `fromCaseId` (only the keys `only`, when given: not empty). */
export async function moveCaseKeys(db: Kysely<Database>, move: CaseMove<string>): Promise<void> {
  let query = db
    .updateTable('case_keys')
    .set({ case_id: move.intoCaseId })
    .where('case_id', '=', move.fromCaseId);
  if (move.only !== undefined) query = query.where('key', 'in', [...move.only]);
  await query.execute();
}

/**
 * Links case `intoCaseId` to the indicators of case `fromCaseId` (only the indicator IDs `only`,
 * when given: not empty), keeping each link's first-seen time; links it already has stay as they
 * are. The personal flags are not copied: refreshCasePublicForms sets them.
 */
export async function copyIndicatorLinks(
  db: Kysely<Database>,
  move: CaseMove<string>,
): Promise<void> {
  const { fromCaseId, intoCaseId, only } = move;
  await db
    .insertInto('case_indicators')
    .columns(['case_id', 'indicator_id', 'first_seen_at'])
    .expression((eb) => {
      const links = eb
        .selectFrom('case_indicators')
        .select([sql.lit(intoCaseId).as('case_id'), 'indicator_id', 'first_seen_at'])
        .where('case_id', '=', fromCaseId);
      return only === undefined ? links : links.where('indicator_id', 'in', [...only]);
    })
    .onConflict((oc) => oc.columns(['case_id', 'indicator_id']).doNothing())
    .execute();
}

/** Removes the indicator links of case `caseId` (only to `indicatorIds`, when given: not empty). */
export async function deleteIndicatorLinks(
  db: Kysely<Database>,
  caseId: string,
  indicatorIds?: readonly string[],
): Promise<void> {
  let query = db.deleteFrom('case_indicators').where('case_id', '=', caseId);
  if (indicatorIds !== undefined) query = query.where('indicator_id', 'in', [...indicatorIds]);
  await query.execute();
}

/**
 * One report of a case as analysts see it when deciding a split or following up: no reporter
 * account, but the contact the reporter chose to give and the attached screenshot's blob address
 * (`GET /api/v1/blobs/:sha256`). Staff only: never on a public route.
 */
export interface CaseReportView {
  id: string;
  receivedAt: string;
  source: string;
  channel: string;
  url: string | null;
  title: string | null;
  text: string | null;
  /** An e-mail address or E.164 phone number for follow-up, or null. */
  contact: string | null;
  contactType: string | null;
  screenshotSha256: string | null;
}

/** The first `limit` reports of case `caseId` as staff see them, oldest first. */
export async function listStaffReports(
  db: Kysely<Database>,
  caseId: string,
  limit: number,
): Promise<CaseReportView[]> {
  return db
    .selectFrom('reports')
    .select([
      'id',
      'received_at as receivedAt',
      'source',
      'channel',
      'url',
      'title',
      'text',
      'reporter_contact as contact',
      'reporter_contact_type as contactType',
      'screenshot_sha256 as screenshotSha256',
    ])
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
