import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from '../store/index.js';
import { NEAR_DUPLICATE_VERSION } from '../triage/index.js';

/** The lookup facts of one case, as stored (loadCaseFacts). */
export interface StoredCaseFacts {
  cases: Array<{
    id: string;
    status: string;
    verdict: string;
    reportCount: number;
    firstReportedAt: string;
    createdAt: string;
  }>;
  /** Public (not personal) indicator links, with the indicator's lookup expression. */
  holdings: Array<{ caseId: string; type: string; value: string; expression: string | null }>;
  /** Distinct submitted report URLs with the reporter-given platform. */
  reportUrls: Array<{ caseId: string; url: string; platform: string | null }>;
  keys: Array<{ caseId: string; key: string }>;
  /** Stored near-duplicate texts (dedup_texts) by 32-hex-character text ID. */
  texts: Array<{ caseId: string; id: string; text: string }>;
  /** Their LSH band keys made with the current NEAR_DUPLICATE_VERSION (the only ones checked). */
  bands: Array<{ textId: string; key: string }>;
}

/** Up to `limit` case IDs after `afterId` (exclusive, `''` for the first page), in ID order. */
export async function caseIdsAfter(
  db: Kysely<Database>,
  afterId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Everything the lookup index keeps of `caseIds` (six queries): the case rows it ranks by, the
 * public indicator links (matches.repo.ts holders read `ci.personal = 0` only), the reports'
 * URLs and platforms (reportedUrlsOf), the merge keys (case_keys), and the near-duplicate texts
 * with their current band keys (triage's dedup_texts and dedup_bands).
 */
export async function loadCaseFacts(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<StoredCaseFacts> {
  if (caseIds.length === 0) {
    return { cases: [], holdings: [], reportUrls: [], keys: [], texts: [], bands: [] };
  }
  const ids = [...new Set(caseIds)];
  const [cases, holdings, reportUrls, keys, texts, bands] = await Promise.all([
    db
      .selectFrom('cases')
      .select(['id', 'status', 'verdict', 'report_count', 'first_reported_at', 'created_at'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('case_indicators as ci')
      .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
      .select(['ci.case_id as caseId', 'i.type', 'i.value', 'i.expression'])
      .where('ci.case_id', 'in', ids)
      .where('ci.personal', '=', 0)
      .execute(),
    db
      .selectFrom('reports')
      .select(['case_id as caseId', 'url', 'platform'])
      .distinct()
      .where('case_id', 'in', ids)
      .where('url', 'is not', null)
      .execute(),
    db
      .selectFrom('case_keys')
      .select(['case_id as caseId', 'key'])
      .where('case_id', 'in', ids)
      .execute(),
    db
      .selectFrom('dedup_texts')
      .select(['case_id as caseId', 'id', 'text'])
      .where('case_id', 'in', ids)
      .execute(),
    db
      .selectFrom('dedup_bands as b')
      .innerJoin('dedup_texts as t', 't.id', 'b.text_id')
      .select(['b.text_id as textId', 'b.band_key as key'])
      .where('t.case_id', 'in', ids)
      .where('b.band_key', 'like', `${NEAR_DUPLICATE_VERSION}:%`)
      .execute(),
  ]);
  return {
    cases: cases.map((r) => ({
      id: r.id,
      status: r.status,
      verdict: r.verdict,
      reportCount: Number(r.report_count),
      firstReportedAt: r.first_reported_at,
      createdAt: r.created_at,
    })),
    holdings,
    reportUrls: reportUrls.flatMap((r) => (r.url === null ? [] : [{ ...r, url: r.url }])),
    keys,
    texts,
    bands,
  };
}

/** One row of lookup_changes: a case whose lookup facts changed. */
export interface LookupChange {
  id: number;
  caseId: string;
  /** PostgreSQL: the writing transaction's ID; null on SQLite. */
  tx: bigint | null;
}

/**
 * Rows of lookup_changes after `afterId`, in ID order, at most `limit`; on PostgreSQL also every
 * row written by a transaction with ID ≥ `horizon` (the oldest transaction still running at the
 * reader's previous read, changeHorizon), whatever its ID: such a row can have become visible
 * after higher IDs were read. SQLite serialises writers, so there IDs are visible in order.
 */
export async function changesAfter(
  db: Kysely<Database>,
  dialect: Dialect,
  afterId: number,
  horizon: bigint | null,
  limit: number,
): Promise<LookupChange[]> {
  if (dialect === 'sqlite') {
    const rows = await db
      .selectFrom('lookup_changes')
      .select(['id', 'case_id'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), caseId: r.case_id, tx: null }));
  }
  const rows = await db
    .selectFrom('lookup_changes')
    .select(['id', 'case_id', 'tx'])
    .where((eb) =>
      horizon === null
        ? eb('id', '>', afterId)
        : eb.or([eb('id', '>', afterId), eb('tx', '>=', horizon.toString())]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    caseId: r.case_id,
    tx: r.tx === null ? null : BigInt(r.tx),
  }));
}

/**
 * PostgreSQL: the ID of the oldest transaction still running (txid_snapshot_xmin): every row a
 * transaction not yet visible writes has a `tx` at least this. Null on SQLite.
 */
export async function changeHorizon(
  db: Kysely<Database>,
  dialect: Dialect,
): Promise<bigint | null> {
  if (dialect === 'sqlite') return null;
  const result = await sql<{
    horizon: string;
  }>`select txid_snapshot_xmin(txid_current_snapshot())::text as horizon`.execute(db);
  const horizon = result.rows[0]?.horizon;
  return horizon === undefined ? null : BigInt(horizon);
}

/** The lowest and highest IDs in lookup_changes (0 and 0 when empty). */
export async function changeIdRange(db: Kysely<Database>): Promise<{ min: number; max: number }> {
  const row = await db
    .selectFrom('lookup_changes')
    .select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')])
    .executeTakeFirst();
  return { min: Number(row?.min ?? 0), max: Number(row?.max ?? 0) };
}

/** Deletes the rows of lookup_changes with an ID below `belowId`. */
export async function pruneChanges(db: Kysely<Database>, belowId: number): Promise<void> {
  await db.deleteFrom('lookup_changes').where('id', '<', belowId).execute();
}

/** PostgreSQL: the schema this handle works in (the payload of the change notifications). */
export async function currentSchema(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return result.rows[0]?.schema ?? 'public';
}
