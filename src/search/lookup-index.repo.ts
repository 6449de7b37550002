import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
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
 * PostgreSQL: the current snapshot as text (`txid_current_snapshot()`, `xmin:xmax:xip,…`),
 * taken before a read of lookup_changes, so the next read asks only for the rows it could not
 * see (ChangeReader). Null on SQLite.
 */
export async function changeSnapshot(
  db: Kysely<Database>,
  dialect: Dialect,
): Promise<string | null> {
  if (dialect === 'sqlite') return null;
  const result = await sql<{
    snapshot: string;
  }>`select txid_current_snapshot()::text as snapshot`.execute(db);
  return result.rows[0]?.snapshot ?? null;
}

/**
 * What a reader of lookup_changes has applied: every row up to `changeId` (SQLite serialises
 * writers, so IDs become visible in order) and, on PostgreSQL, every row visible in `snapshot`
 * (changeSnapshot, taken before its last read). A row it has not applied has an ID above
 * `changeId`, or was written by a transaction the snapshot could not see: one at or after its
 * `xmax`, or one in its list of transactions then running. A bare transaction ID (the horizon
 * an older release stored, txid_snapshot_xmin) reads as `h:h:`: every transaction from it on.
 */
export interface ChangeReader {
  changeId: number;
  snapshot: string | null;
}

/** A snapshot's `xmax` and running transactions (decimal text); null for none or bad text. */
function snapshotParts(snapshot: string | null): { xmax: string; running: string[] } | null {
  if (snapshot === null) return null;
  const parts = snapshot.split(':');
  const [xmin, xmax = xmin, xip = ''] = parts;
  if (xmin === undefined || xmax === undefined || parts.length > 3) return null;
  const running = xip === '' ? [] : xip.split(',');
  if (![xmax, ...running].every((id) => /^[0-9]+$/.test(id))) return null;
  return { xmax, running };
}

/** The rows of lookup_changes `reader` has not applied (see ChangeReader). */
function unseenBy(eb: ExpressionBuilder<Database, 'lookup_changes'>, reader: ChangeReader) {
  const parts = snapshotParts(reader.snapshot);
  const unseen = [eb('id', '>', reader.changeId)];
  if (parts !== null) {
    // Below the statement's own xmax: a row visible now was written before it. A `tx` at or
    // above it comes from another cluster (a dump restored here), whose transaction IDs mean
    // nothing in this one: such a row is judged by its ID alone, instead of being read again at
    // every read and kept by pruning for ever.
    unseen.push(
      eb.and([
        eb('tx', '>=', parts.xmax),
        eb('tx', '<', sql<string>`txid_snapshot_xmax(txid_current_snapshot())`),
      ]),
    );
    if (parts.running.length > 0) unseen.push(eb('tx', 'in', parts.running));
  }
  return eb.or(unseen);
}

/**
 * The rows of lookup_changes `reader` has not applied (ChangeReader) with an ID above `fromId`,
 * in ID order, at most `limit`: read page after page (`fromId` the last ID of the previous page)
 * from a snapshot taken before the first (changeSnapshot), they are every row that snapshot sees
 * and the reader did not, whatever transactions that are still running (however old) do.
 */
export async function changesUnseen(
  db: Kysely<Database>,
  dialect: Dialect,
  reader: ChangeReader,
  fromId: number,
  limit: number,
): Promise<LookupChange[]> {
  const query = db
    .selectFrom('lookup_changes')
    .where('id', '>', fromId)
    .where((eb) => unseenBy(eb, reader))
    .orderBy('id')
    .limit(limit);
  if (dialect === 'sqlite') {
    const rows = await query.select(['id', 'case_id']).execute();
    return rows.map((r) => ({ id: Number(r.id), caseId: r.case_id, tx: null }));
  }
  const rows = await query.select(['id', 'case_id', 'tx']).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    caseId: r.case_id,
    tx: r.tx === null ? null : BigInt(r.tx),
  }));
}

/** The lowest and highest IDs in lookup_changes (0 and 0 when empty). */
export async function changeIdRange(db: Kysely<Database>): Promise<{ min: number; max: number }> {
  const row = await db
    .selectFrom('lookup_changes')
    .select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')])
    .executeTakeFirst();
  return { min: Number(row?.min ?? 0), max: Number(row?.max ?? 0) };
}

/**
 * Deletes the rows of lookup_changes with an ID below `belowId` that every reader of `readers`
 * has applied (ChangeReader): a row one of them has not (PostgreSQL: of a transaction that was
 * running at its last read, whatever its ID) is kept. Rows of transactions still running are
 * never deleted (not visible to the DELETE).
 * @returns the number of rows deleted.
 */
export async function pruneChanges(
  db: Kysely<Database>,
  belowId: number,
  readers: readonly ChangeReader[] = [],
): Promise<number> {
  let query = db.deleteFrom('lookup_changes').where('id', '<', belowId);
  for (const reader of readers) query = query.where((eb) => eb.not(unseenBy(eb, reader)));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** PostgreSQL: the schema this handle works in (the payload of the change notifications). */
export async function currentSchema(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return result.rows[0]?.schema ?? 'public';
}
