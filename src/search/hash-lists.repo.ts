/**
 * Queries of the hash-prefix API (store/schema-hashlists.ts): what is warn-worthy now, the
 * published entries and versions, and the publisher's writes. Prefixes and full hashes are
 * lower-case hex text.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, Dialect, HashHoldingsTable } from '../store/index.js';
import { chunksOf, readInChunks } from '../shared/chunks.js';

/**
 * Serialises publishers across processes: a transaction-scoped advisory lock on PostgreSQL;
 * SQLite serialises write transactions itself.
 */
export async function lockHashLists(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended('scamnet:hash-lists', 0))`.execute(db);
}

/** An indicator held by a case in one of the asked states, with what ranks the case. */
export interface WarnIndicatorRow {
  caseId: string;
  type: string;
  value: string;
  /** The stored Safe Browsing expression of a `url` or `domain` indicator, else null. */
  expression: string | null;
  status: string;
  verdict: string;
  reportCount: number;
  firstReportedAt: string;
}

/**
 * The public indicators (not a reporter's own personal data) of every reported case whose public
 * state is one of `statuses`; with `caseIds`, of those cases only (read in batches).
 */
export async function indicatorsOfCasesIn(
  db: Kysely<Database>,
  statuses: readonly string[],
  caseIds?: readonly string[],
): Promise<WarnIndicatorRow[]> {
  if (statuses.length === 0) return [];
  const read = async (ids: readonly string[] | undefined) => {
    let query = db
      .selectFrom('cases as c')
      .innerJoin('case_indicators as ci', 'ci.case_id', 'c.id')
      .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
      .select([
        'c.id as caseId',
        'i.type',
        'i.value',
        'i.expression',
        'c.status',
        'c.verdict',
        'c.report_count as reportCount',
        'c.first_reported_at as firstReportedAt',
      ])
      .where('c.status', 'in', [...statuses])
      .where('c.report_count', '>', 0)
      .where('ci.personal', '=', 0);
    if (ids !== undefined) query = query.where('c.id', 'in', [...ids]);
    const rows = await query.execute();
    return rows.map((r) => ({ ...r, reportCount: Number(r.reportCount) }));
  };
  return caseIds === undefined ? read(undefined) : readInChunks(caseIds, read);
}

/**
 * The distinct reported URLs (as submitted) and platforms of the cases in `statuses`; with
 * `caseIds`, of those cases only (read in batches).
 */
export async function reportedUrlsOfCasesIn(
  db: Kysely<Database>,
  statuses: readonly string[],
  caseIds?: readonly string[],
): Promise<Array<{ caseId: string; url: string; platform: string | null }>> {
  if (statuses.length === 0) return [];
  const read = async (ids: readonly string[] | undefined) => {
    let query = db
      .selectFrom('reports as r')
      .innerJoin('cases as c', 'c.id', 'r.case_id')
      .select(['r.case_id as caseId', 'r.url', 'r.platform'])
      .distinct()
      .where('c.status', 'in', [...statuses])
      .where('r.url', 'is not', null);
    if (ids !== undefined) query = query.where('c.id', 'in', [...ids]);
    const rows = await query.execute();
    return rows.flatMap((r) => (r.url === null ? [] : [{ ...r, url: r.url }]));
  };
  return caseIds === undefined ? read(undefined) : readInChunks(caseIds, read);
}

/** A list's current version, as hash_lists holds it. */
export interface HashListHead {
  name: string;
  version: number;
  checksum: string;
  prefixCount: number;
  publishedAt: string;
  checkedAt: string;
}

/** Every list's head. */
export async function hashListHeads(db: Kysely<Database>): Promise<HashListHead[]> {
  const rows = await db.selectFrom('hash_lists').selectAll().execute();
  return rows.map((r) => ({
    name: r.name,
    version: Number(r.version),
    checksum: r.checksum,
    prefixCount: Number(r.prefix_count),
    publishedAt: r.published_at,
    checkedAt: r.checked_at,
  }));
}

/** One published entry. */
export interface HashEntryRow {
  fullHash: string;
  prefix: string;
  kind: string;
  status: string;
}

/** The published entries of list `name`. */
export async function publishedHashEntries(
  db: Kysely<Database>,
  name: string,
): Promise<HashEntryRow[]> {
  const rows = await db
    .selectFrom('hash_entries')
    .select(['full_hash', 'prefix', 'kind', 'status'])
    .where('list_name', '=', name)
    .execute();
  return rows.map((r) => ({
    fullHash: r.full_hash,
    prefix: r.prefix,
    kind: r.kind,
    status: r.status,
  }));
}

/** The distinct published prefixes of list `name`, ascending (hex). */
export async function publishedPrefixes(db: Kysely<Database>, name: string): Promise<string[]> {
  const rows = await db
    .selectFrom('hash_entries')
    .select('prefix')
    .distinct()
    .where('list_name', '=', name)
    .orderBy('prefix')
    .execute();
  return rows.map((r) => r.prefix);
}

/** The publisher's changes to the entries of one list. Call under lockHashLists. */
export async function writeHashEntries(
  db: Kysely<Database>,
  name: string,
  changes: {
    inserts: readonly HashEntryRow[];
    updates: readonly HashEntryRow[];
    deletes: readonly string[];
  },
): Promise<void> {
  for (const chunk of chunksOf(changes.deletes)) {
    await db
      .deleteFrom('hash_entries')
      .where('list_name', '=', name)
      .where('full_hash', 'in', chunk)
      .execute();
  }
  for (const chunk of chunksOf(changes.inserts)) {
    await db
      .insertInto('hash_entries')
      .values(
        chunk.map((e) => ({
          list_name: name,
          full_hash: e.fullHash,
          prefix: e.prefix,
          kind: e.kind,
          status: e.status,
        })),
      )
      .execute();
  }
  for (const e of changes.updates) {
    await db
      .updateTable('hash_entries')
      .set({ kind: e.kind, status: e.status })
      .where('list_name', '=', name)
      .where('full_hash', '=', e.fullHash)
      .execute();
  }
}

/**
 * Writes version `head.version` of list `head.name` — its counts of added and removed prefixes
 * and the changes kept for incremental updates (`journal`) — and makes it the list's head. Call
 * under lockHashLists.
 */
export async function insertHashListVersion(
  db: Kysely<Database>,
  head: HashListHead,
  counts: { additions: number; removals: number },
  journal: ReadonlyArray<{ prefix: string; op: 'add' | 'del' }>,
): Promise<void> {
  await db
    .insertInto('hash_list_versions')
    .values({
      list_name: head.name,
      version: head.version,
      published_at: head.publishedAt,
      additions: counts.additions,
      removals: counts.removals,
    })
    .execute();
  for (const chunk of chunksOf(journal)) {
    await db
      .insertInto('hash_list_changes')
      .values(chunk.map((c) => ({ list_name: head.name, version: head.version, ...c })))
      .execute();
  }
  const values = {
    version: head.version,
    checksum: head.checksum,
    prefix_count: head.prefixCount,
    published_at: head.publishedAt,
    checked_at: head.checkedAt,
  };
  await db
    .insertInto('hash_lists')
    .values({ name: head.name, ...values })
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .execute();
}

/** Records that list `name` was compared with the warn-worthy set at `at` and had not changed. */
export async function markHashListChecked(
  db: Kysely<Database>,
  name: string,
  at: string,
): Promise<void> {
  await db.updateTable('hash_lists').set({ checked_at: at }).where('name', '=', name).execute();
}

/** Deletes the versions (and their changes) of list `name` before `keepFrom`. */
export async function pruneHashListVersions(
  db: Kysely<Database>,
  name: string,
  keepFrom: number,
): Promise<void> {
  await db
    .deleteFrom('hash_list_changes')
    .where('list_name', '=', name)
    .where('version', '<', keepFrom)
    .execute();
  await db
    .deleteFrom('hash_list_versions')
    .where('list_name', '=', name)
    .where('version', '<', keepFrom)
    .execute();
}

/** The oldest kept version of list `name`, or null when none is. */
export async function oldestHashListVersion(
  db: Kysely<Database>,
  name: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('hash_list_versions')
    .select((eb) => eb.fn.min('version').as('version'))
    .where('list_name', '=', name)
    .executeTakeFirst();
  return row?.version === null || row?.version === undefined ? null : Number(row.version);
}

/** The prefix changes of list `name` in versions after `version`, oldest version first. */
export async function hashListChangesAfter(
  db: Kysely<Database>,
  name: string,
  version: number,
): Promise<Array<{ version: number; prefix: string; op: string }>> {
  const rows = await db
    .selectFrom('hash_list_changes')
    .select(['version', 'prefix', 'op'])
    .where('list_name', '=', name)
    .where('version', '>', version)
    .orderBy('version')
    .orderBy('prefix')
    .execute();
  return rows.map((r) => ({ version: Number(r.version), prefix: r.prefix, op: r.op }));
}

/** The published entries of list `name` among `fullHashes` (read in batches). */
export async function hashEntriesOf(
  db: Kysely<Database>,
  name: string,
  fullHashes: readonly string[],
): Promise<HashEntryRow[]> {
  const rows = await readInChunks(fullHashes, (chunk) =>
    db
      .selectFrom('hash_entries')
      .select(['full_hash', 'prefix', 'kind', 'status'])
      .where('list_name', '=', name)
      .where('full_hash', 'in', chunk)
      .execute(),
  );
  return rows.map((r) => ({
    fullHash: r.full_hash,
    prefix: r.prefix,
    kind: r.kind,
    status: r.status,
  }));
}

/** Which of `prefixes` (hex) list `name` holds an entry for now. */
export async function presentPrefixes(
  db: Kysely<Database>,
  name: string,
  prefixes: readonly string[],
): Promise<Set<string>> {
  const rows = await readInChunks(prefixes, (chunk) =>
    db
      .selectFrom('hash_entries')
      .select('prefix')
      .distinct()
      .where('list_name', '=', name)
      .where('prefix', 'in', chunk)
      .execute(),
  );
  return new Set(rows.map((r) => r.prefix));
}

/** One full hash a holder contributed at the publisher's last run (hash_holdings). */
export interface HashHoldingRow {
  /** A case ID, or `''` for the published blocklist. */
  holder: string;
  listName: string;
  fullHash: string;
  kind: string;
  status: string;
  verdict: string;
  reportCount: number;
  firstReportedAt: string;
}

/** A stored hash_holdings row as a HashHoldingRow. */
function holdingFrom(r: Selectable<HashHoldingsTable>): HashHoldingRow {
  return {
    holder: r.holder,
    listName: r.list_name,
    fullHash: r.full_hash,
    kind: r.kind,
    status: r.status,
    verdict: r.verdict,
    reportCount: Number(r.report_count),
    firstReportedAt: r.first_reported_at,
  };
}

/** Every stored holding (the publisher's full run compares them with the store). */
export async function allHashHoldings(db: Kysely<Database>): Promise<HashHoldingRow[]> {
  const rows = await db.selectFrom('hash_holdings').selectAll().execute();
  return rows.map(holdingFrom);
}

/** The stored holdings of `holders` (read in batches). */
export async function hashHoldingsOfHolders(
  db: Kysely<Database>,
  holders: readonly string[],
): Promise<HashHoldingRow[]> {
  const rows = await readInChunks(holders, (chunk) =>
    db.selectFrom('hash_holdings').selectAll().where('holder', 'in', chunk).execute(),
  );
  return rows.map(holdingFrom);
}

/** Every stored holding of `fullHashes` in list `name`, whoever holds it (read in batches). */
export async function hashHoldingsOfHashes(
  db: Kysely<Database>,
  name: string,
  fullHashes: readonly string[],
): Promise<HashHoldingRow[]> {
  const rows = await readInChunks(fullHashes, (chunk) =>
    db
      .selectFrom('hash_holdings')
      .selectAll()
      .where('list_name', '=', name)
      .where('full_hash', 'in', chunk)
      .execute(),
  );
  return rows.map(holdingFrom);
}

/**
 * Deletes the holdings of `fullHashes` in list `name` whose status is `status` (the marks an
 * incremental run leaves until it publishes). Call under lockHashLists.
 */
export async function deleteGoneHashHoldings(
  db: Kysely<Database>,
  name: string,
  fullHashes: readonly string[],
  status: string,
): Promise<void> {
  for (const chunk of chunksOf(fullHashes)) {
    await db
      .deleteFrom('hash_holdings')
      .where('list_name', '=', name)
      .where('status', '=', status)
      .where('full_hash', 'in', chunk)
      .execute();
  }
}

/**
 * The publisher's changes to the stored holdings: `deletes` by key, `upserts` inserted or
 * replaced. Call under lockHashLists.
 */
export async function writeHashHoldings(
  db: Kysely<Database>,
  changes: {
    deletes: ReadonlyArray<Pick<HashHoldingRow, 'holder' | 'listName' | 'fullHash'>>;
    upserts: readonly HashHoldingRow[];
  },
): Promise<void> {
  const groups = new Map<string, { holder: string; listName: string; fullHashes: string[] }>();
  for (const d of changes.deletes) {
    const key = `${d.holder}\0${d.listName}`;
    const group = groups.get(key) ?? { holder: d.holder, listName: d.listName, fullHashes: [] };
    group.fullHashes.push(d.fullHash);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    for (const chunk of chunksOf(group.fullHashes)) {
      await db
        .deleteFrom('hash_holdings')
        .where('holder', '=', group.holder)
        .where('list_name', '=', group.listName)
        .where('full_hash', 'in', chunk)
        .execute();
    }
  }
  for (const chunk of chunksOf(changes.upserts)) {
    await db
      .insertInto('hash_holdings')
      .values(
        chunk.map((h) => ({
          holder: h.holder,
          list_name: h.listName,
          full_hash: h.fullHash,
          kind: h.kind,
          status: h.status,
          verdict: h.verdict,
          report_count: h.reportCount,
          first_reported_at: h.firstReportedAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['holder', 'list_name', 'full_hash']).doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          status: eb.ref('excluded.status'),
          verdict: eb.ref('excluded.verdict'),
          report_count: eb.ref('excluded.report_count'),
          first_reported_at: eb.ref('excluded.first_reported_at'),
        })),
      )
      .execute();
  }
}

/** How far the publisher applied lookup_changes (hash_list_cursor). */
export interface HashListCursor {
  /** The highest lookup_changes ID applied. */
  changeId: number;
  /**
   * PostgreSQL: the snapshot taken before the last read (changeSnapshot; a bare transaction ID
   * when written by an older release, read as a horizon: ChangeReader); null on SQLite.
   */
  horizon: string | null;
  /** The publisher's rules the holdings were made with. */
  rules: number;
  /** When the holdings were last recomputed from the whole store (ISO 8601 UTC). */
  fullAt: string;
}

/** The publisher's cursor, or null when it never ran with holdings (migration 0035). */
export async function readHashListCursor(db: Kysely<Database>): Promise<HashListCursor | null> {
  const row = await db
    .selectFrom('hash_list_cursor')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirst();
  if (row === undefined) return null;
  return {
    changeId: Number(row.change_id),
    horizon: row.horizon,
    rules: Number(row.rules),
    fullAt: row.full_at,
  };
}

/** Stores the publisher's cursor. Call under lockHashLists. */
export async function writeHashListCursor(
  db: Kysely<Database>,
  cursor: HashListCursor,
): Promise<void> {
  const values = {
    change_id: cursor.changeId,
    horizon: cursor.horizon,
    rules: cursor.rules,
    full_at: cursor.fullAt,
  };
  await db
    .insertInto('hash_list_cursor')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** Deletes the publisher's cursor (its next run recomputes the lists in full). Call under lockHashLists. */
export async function deleteHashListCursor(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('hash_list_cursor').execute();
}
