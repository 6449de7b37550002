import { sql, type Kysely } from 'kysely';
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

/** A public form as stored: null when it is the original (nothing was redacted). */
function changedOrNull(original: string | null, publicForm: string | null): string | null {
  return publicForm === original ? null : publicForm;
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

export interface NewCase {
  id: string;
  platform: string;
  summary: string | null;
  /** The summary as public pages show it (personal data redacted). */
  publicSummary: string | null;
  /** PUBLIC_FORM_VERSION of the rule the public forms were made with. */
  publicFormVersion: number;
  source: string;
  at: string;
}

/** Inserts an undecided, unreported case (report_count 0; `attachReport` counts reports). */
export async function insertCase(db: Kysely<Database>, c: NewCase): Promise<void> {
  await db
    .insertInto('cases')
    .values({
      id: c.id,
      status: 'processing',
      verdict: 'undecided',
      platform: c.platform,
      summary: c.summary,
      public_summary: changedOrNull(c.summary, c.publicSummary),
      public_form_version: c.publicFormVersion,
      report_count: 0,
      first_reported_at: c.at,
      last_reported_at: c.at,
      decided_at: null,
      removed_at: null,
      source: c.source,
      created_at: c.at,
      updated_at: c.at,
    })
    .execute();
}

export interface NewReport {
  id: string;
  caseId: string;
  receivedAt: string;
  source: string;
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
 * Stores a report under its case and updates the case's count, first/last report times and
 * (when it had none) its summary and public summary, the case first. Keys and indicators are
 * linked idempotently; a link is personal while every report that gives it gives it as personal
 * data: a report giving it otherwise makes it public, so no report can hide what another gives
 * as the scammer's.
 */
export async function attachReport(
  db: Kysely<Database>,
  report: NewReport,
  keys: readonly string[],
  indicators: readonly IndicatorWrite[],
  summaries: { summary: string | null; publicSummary: string | null },
  now: string,
): Promise<void> {
  const { summary } = summaries;
  const publicSummary = changedOrNull(summary, summaries.publicSummary);
  // The case row first: on PostgreSQL this locks it before the report's statistics trigger reads
  // the case's platform (migration 0013), so a concurrent platform change of the case waits for
  // this transaction instead of moving counts without this report (or deadlocking with it).
  const at = report.receivedAt;
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
    .where('id', '=', report.caseId)
    .execute();
  await db
    .insertInto('reports')
    .values({
      id: report.id,
      case_id: report.caseId,
      received_at: report.receivedAt,
      source: report.source,
      channel: report.channel,
      platform: report.platform,
      url: report.url,
      canonical_url: report.canonicalUrl,
      text: report.text,
      title: report.title,
      public_text: changedOrNull(report.text, report.publicText),
      public_title: changedOrNull(report.title, report.publicTitle),
      external_id: report.externalId,
      reporter_user_id: report.reporterUserId ?? null,
      reporter_contact: report.reporterContact ?? null,
      reporter_contact_type: report.reporterContactType ?? null,
      screenshot_sha256: report.screenshotSha256 ?? null,
    })
    .execute();
  if (keys.length > 0) {
    await db
      .insertInto('case_keys')
      .values(keys.map((key) => ({ key, case_id: report.caseId, created_at: report.receivedAt })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
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

/**
 * Indexes a blob already written to the evidence blob store (evidence_blobs: hash, size in bytes,
 * media type); idempotent, the first row of a hash wins (blobs are content-addressed).
 */
export async function insertBlob(
  db: Kysely<Database>,
  blob: { sha256: string; size: number; contentType: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('evidence_blobs')
    .values({
      sha256: blob.sha256,
      size: blob.size,
      content_type: blob.contentType,
      created_at: blob.createdAt,
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}
