import { Value } from '@sinclair/typebox/value';
import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Database, Dialect } from '../store/index.js';
import { groupPairs } from '../shared/group.js';
import { readInChunks } from '../shared/chunks.js';
import { countRows } from '../shared/counts.repo.js';
import type { BlocklistEntriesTable, FeedIndicatorsTable } from '../store/index.js';
import {
  isEntryState,
  isLegalBasisKind,
  OPEN_STATES,
  type BlocklistEntry,
  type EntryState,
} from './blocklist.types.js';
import { IndicatorContentSchema, type FeedIndicator, type IndicatorPlan } from './feeds.js';

export type EntryRow = Selectable<BlocklistEntriesTable>;

/** Maps a row (snake_case) and its case IDs to a BlocklistEntry (camelCase). */
export function toEntry(row: EntryRow, caseIds: readonly string[]): BlocklistEntry {
  const state: EntryState = isEntryState(row.state) ? row.state : 'proposed';
  const kind = row.legal_basis;
  return {
    id: row.id,
    domain: row.domain,
    state,
    legalBasis:
      kind !== null && isLegalBasisKind(kind)
        ? { kind, reference: row.legal_reference ?? '', date: row.legal_date ?? '' }
        : null,
    requestingUnit: row.requesting_unit,
    siteType: row.site_type,
    effectiveAt: row.effective_at,
    expiresAt: row.expires_at,
    source: row.source,
    externalId: row.external_id,
    note: row.note,
    caseIds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The DNS tree key of `domain`: its labels in reverse order, each followed by a dot
 * (`shop.example.com` → `com.example.shop.`). The keys of the names under a domain start with the
 * domain's key, so they form one range of an index ordered by bytes (see entriesUnder).
 */
export function treeKey(domain: string): string {
  return `${domain.split('.').reverse().join('.')}.`;
}

/** Inserts a new entry row (its tree key is derived from its domain). */
export async function insertEntry(
  db: Kysely<Database>,
  row: Omit<EntryRow, 'tree_key'>,
): Promise<void> {
  await db
    .insertInto('blocklist_entries')
    .values({ ...row, tree_key: treeKey(row.domain) })
    .execute();
}

/** Updates the given columns of entry `id` (state changes; the event is recorded by the caller). */
export async function updateEntry(
  db: Kysely<Database>,
  id: string,
  patch: Partial<Omit<EntryRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('blocklist_entries').set(patch).where('id', '=', id).execute();
}

/** The entry row with `id`, or undefined. */
export async function findEntryRow(
  db: Kysely<Database>,
  id: string,
): Promise<EntryRow | undefined> {
  return db.selectFrom('blocklist_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The open (proposed, active or appealed) entry of `domain`, or undefined. */
export async function findOpenEntryRow(
  db: Kysely<Database>,
  domain: string,
): Promise<EntryRow | undefined> {
  return db
    .selectFrom('blocklist_entries')
    .selectAll()
    .where('domain', '=', domain)
    .where('state', 'in', [...OPEN_STATES])
    .executeTakeFirst();
}

/** True when an entry of `source` with `externalId` was already imported. */
export async function externalIdExists(
  db: Kysely<Database>,
  source: string,
  externalId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('blocklist_entries')
    .select('id')
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Links `caseIds` to entry `entryId` (already linked ones are kept as they are). */
export async function linkCases(
  db: Kysely<Database>,
  entryId: string,
  caseIds: readonly string[],
  at: string,
): Promise<void> {
  if (caseIds.length === 0) return;
  await db
    .insertInto('blocklist_entry_cases')
    .values(caseIds.map((caseId) => ({ entry_id: entryId, case_id: caseId, created_at: at })))
    .onConflict((oc) => oc.columns(['entry_id', 'case_id']).doNothing())
    .execute();
}

/** Case IDs behind each of `entryIds`, sorted, keyed by entry ID. */
export async function caseIdsByEntry(
  db: Kysely<Database>,
  entryIds: readonly string[],
): Promise<Map<string, string[]>> {
  return listsByKey(entryIds, async (chunk) => {
    const rows = await db
      .selectFrom('blocklist_entry_cases')
      .select(['entry_id', 'case_id'])
      .where('entry_id', 'in', chunk)
      .orderBy('entry_id')
      .orderBy('case_id')
      .execute();
    return rows.map((row) => [row.entry_id, row.case_id]);
  });
}

/**
 * Runs `query` on `keys` a bound list at a time (readInChunks) and collects the `[key, value]`
 * pairs it returns into a list per key, in the order returned.
 */
async function listsByKey(
  keys: readonly string[],
  query: (chunk: readonly string[]) => Promise<Array<readonly [string, string]>>,
): Promise<Map<string, string[]>> {
  return groupPairs(await readInChunks(keys, query));
}

/** Filter of listEntryRows. `after` is the last entry ID of the previous page. */
export interface EntryFilter {
  state?: EntryState | undefined;
  /** This domain exactly (lower-case ASCII). */
  domain?: string | undefined;
  /** Domains containing this (a LIKE pattern with `!` as escape; see containsPattern). */
  domainPattern?: string | undefined;
  /** Entries from this source (`case`, `api`, `tw165`, a file name, …). */
  source?: string | undefined;
  after?: string | undefined;
  limit: number;
  /** Entries to skip after `after` (default 0). */
  offset?: number | undefined;
}

/** The entries matching `filter`'s conditions (not its cursor or page). */
function matchingEntries(db: Kysely<Database>, filter: EntryFilter) {
  return db
    .selectFrom('blocklist_entries')
    .where((eb) =>
      eb.and([
        ...(filter.state === undefined ? [] : [eb('state', '=', filter.state)]),
        ...(filter.domain === undefined ? [] : [eb('domain', '=', filter.domain)]),
        ...(filter.domainPattern === undefined
          ? []
          : [sql<SqlBool>`${sql.ref('domain')} like ${filter.domainPattern} escape '!'`]),
        ...(filter.source === undefined ? [] : [eb('source', '=', filter.source)]),
      ]),
    );
}

/** Entry rows matching `filter`, ordered by ID (keyset pagination with `after`, or `offset`). */
export async function listEntryRows(
  db: Kysely<Database>,
  filter: EntryFilter,
): Promise<EntryRow[]> {
  let query = matchingEntries(db, filter)
    .selectAll()
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.after !== undefined) query = query.where('id', '>', filter.after);
  return query.execute();
}

/** How many entries match `filter`'s conditions (its cursor and page left out). */
export async function countEntryRows(db: Kysely<Database>, filter: EntryFilter): Promise<number> {
  return countRows(matchingEntries(db, filter));
}

/** Every active entry row, ordered by domain. */
export async function activeEntryRows(db: Kysely<Database>): Promise<EntryRow[]> {
  return db
    .selectFrom('blocklist_entries')
    .selectAll()
    .where('state', '=', 'active')
    .orderBy('domain')
    .execute();
}

/** Domains of every active entry, sorted (the published set of the RPZ zone). */
export async function activeDomains(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('blocklist_entries')
    .select('domain')
    .where('state', '=', 'active')
    .orderBy('domain')
    .execute();
  return rows.map((r) => r.domain);
}

/** The IDs of the active entries of `domains`, by domain. */
export async function activeIdsByDomain(
  db: Kysely<Database>,
  domains: readonly string[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < domains.length; i += 500) {
    const rows = await db
      .selectFrom('blocklist_entries')
      .select(['id', 'domain'])
      .where('state', '=', 'active')
      .where('domain', 'in', domains.slice(i, i + 500))
      .execute();
    for (const row of rows) ids.set(row.domain, row.id);
  }
  return ids;
}

/** Which of `domains` are the domains of active entries (any order, no duplicates). */
export async function activeAmong(
  db: Kysely<Database>,
  domains: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(domains)];
  const found: string[] = [];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('blocklist_entries')
      .select('domain')
      .where('state', '=', 'active')
      .where('domain', 'in', unique.slice(i, i + 500))
      .execute();
    for (const row of rows) found.push(row.domain);
  }
  return found;
}

/**
 * Domains of the active entries strictly under any of `domains` (`a.b.example.com` is under
 * `example.com`), each once: one range of the tree-key index per domain, plus the rows that have
 * no tree key (written around insertEntry), matched by suffix.
 */
export async function activeUnder(
  db: Kysely<Database>,
  domains: readonly string[],
): Promise<string[]> {
  const found = new Set<string>();
  for (const domain of new Set(domains)) {
    const key = treeKey(domain);
    // Every key that starts with `com.example.` sorts at or after it and before `com.example/`.
    const rows = await db
      .selectFrom('blocklist_entries')
      .select('domain')
      .where('state', '=', 'active')
      .where('tree_key', '>', key)
      .where('tree_key', '<', `${key.slice(0, -1)}/`)
      .execute();
    for (const row of rows) found.add(row.domain);
  }
  if (domains.length > 0) {
    const unkeyed = await db
      .selectFrom('blocklist_entries')
      .select('domain')
      .where('state', '=', 'active')
      .where('tree_key', 'is', null)
      .execute();
    for (const { domain } of unkeyed) {
      if (domains.some((d) => domain.endsWith(`.${d}`))) found.add(domain);
    }
  }
  return [...found];
}

/** The number of active entries. */
export async function activeCount(db: Kysely<Database>): Promise<number> {
  return countRows(db.selectFrom('blocklist_entries').where('state', '=', 'active'));
}

/** Active entries whose expiry time is at or before `at` (ISO 8601 UTC). */
export async function dueForExpiry(db: Kysely<Database>, at: string): Promise<EntryRow[]> {
  return db
    .selectFrom('blocklist_entries')
    .selectAll()
    .where('state', '=', 'active')
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', at)
    .orderBy('id')
    .execute();
}

/** Canonical URLs of the reports of `caseIds` (distinct, sorted), for URL indicators in feeds. */
export async function reportedUrlsOfCases(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<Map<string, string[]>> {
  return listsByKey(caseIds, async (chunk) => {
    const rows = await db
      .selectFrom('reports')
      .select(['case_id', 'canonical_url'])
      .distinct()
      .where('case_id', 'in', chunk)
      .where('canonical_url', 'is not', null)
      .orderBy('case_id')
      .orderBy('canonical_url')
      .execute();
    return rows.flatMap((row) =>
      row.canonical_url === null ? [] : [[row.case_id, row.canonical_url] as const],
    );
  });
}

/** One case's verdict, platform and the registrable domains and hosts of its web indicators. */
export async function caseWebsiteFacts(
  db: Kysely<Database>,
  caseId: string,
): Promise<{ verdict: string; platform: string; domains: string[]; urls: string[] } | undefined> {
  const row = await db
    .selectFrom('cases')
    .select(['verdict', 'platform'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const indicators = await db
    .selectFrom('case_indicators as ci')
    .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
    .select(['i.type', 'i.value', 'i.registrable_domain'])
    .where('ci.case_id', '=', caseId)
    .where('i.type', 'in', ['url', 'domain'])
    .orderBy('i.value')
    .execute();
  const domains = [
    ...new Set(
      indicators.flatMap((i) => (i.registrable_domain === null ? [] : [i.registrable_domain])),
    ),
  ];
  return {
    verdict: row.verdict,
    platform: row.platform,
    domains,
    urls: indicators.filter((i) => i.type === 'url').map((i) => i.value),
  };
}

/**
 * The latest zone version (the last written: highest `seq`, not the numerically highest serial,
 * which after an RFC 1982 wrap is an old one), or undefined before the first change.
 */
export async function latestVersion(
  db: Kysely<Database>,
): Promise<{ serial: number; policy: string; at: string } | undefined> {
  const row = await db
    .selectFrom('rpz_versions')
    .select(['serial', 'policy', 'at'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : { ...row, serial: Number(row.serial) };
}

/** The zone version with `serial`, or undefined. */
export async function findVersion(
  db: Kysely<Database>,
  serial: number,
): Promise<{ serial: number; policy: string } | undefined> {
  const row = await db
    .selectFrom('rpz_versions')
    .select(['serial', 'policy'])
    .where('serial', '=', serial)
    .executeTakeFirst();
  return row === undefined ? undefined : { serial: Number(row.serial), policy: row.policy };
}

/**
 * Writes zone version `serial` (next in the journal order `seq`) and its changes (domains added
 * and removed). Call inside the zone writers' lock (lockZone).
 */
export async function insertVersion(
  db: Kysely<Database>,
  version: { serial: number; at: string; policy: string },
  changes: readonly { domain: string; op: 'add' | 'del' }[],
): Promise<void> {
  const last = await db
    .selectFrom('rpz_versions')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await db
    .insertInto('rpz_versions')
    .values({ ...version, seq, changes: changes.length })
    .execute();
  for (let i = 0; i < changes.length; i += 500) {
    await db
      .insertInto('rpz_changes')
      .values(
        changes
          .slice(i, i + 500)
          .map((c) => ({ serial: version.serial, domain: c.domain, op: c.op })),
      )
      .execute();
  }
}

/**
 * Versions written after version `serial` up to and including version `upTo`, oldest first,
 * with their policies (journal order, so right across an RFC 1982 serial wrap). Empty when
 * either serial is not in the journal.
 */
export async function versionsAfter(
  db: Kysely<Database>,
  serial: number,
  upTo: number,
): Promise<{ serial: number; policy: string }[]> {
  const rows = await db
    .selectFrom('rpz_versions')
    .select(['serial', 'policy'])
    .where('seq', '>', (eb) =>
      eb.selectFrom('rpz_versions as b').select('b.seq').where('b.serial', '=', serial),
    )
    .where('seq', '<=', (eb) =>
      eb.selectFrom('rpz_versions as e').select('e.seq').where('e.serial', '=', upTo),
    )
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ serial: Number(r.serial), policy: r.policy }));
}

/**
 * Changes of the versions written after version `serial` up to version `upTo` (journal order,
 * as versionsAfter), ordered by version then domain.
 */
export async function changesAfter(
  db: Kysely<Database>,
  serial: number,
  upTo: number,
): Promise<{ serial: number; domain: string; op: string }[]> {
  const rows = await db
    .selectFrom('rpz_changes as c')
    .innerJoin('rpz_versions as v', 'v.serial', 'c.serial')
    .select(['c.serial', 'c.domain', 'c.op'])
    .where('v.seq', '>', (eb) =>
      eb.selectFrom('rpz_versions as b').select('b.seq').where('b.serial', '=', serial),
    )
    .where('v.seq', '<=', (eb) =>
      eb.selectFrom('rpz_versions as e').select('e.seq').where('e.serial', '=', upTo),
    )
    .orderBy('v.seq')
    .orderBy('c.domain')
    .execute();
  return rows.map((r) => ({ serial: Number(r.serial), domain: r.domain, op: r.op }));
}

/**
 * Serialises zone writers on PostgreSQL (a transaction-scoped advisory lock), so two
 * transactions cannot pick the same next serial. SQLite has one writer at a time.
 */
export async function lockZone(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended('scamnet:rpz-zone', 0))`.execute(db);
}

/**
 * Entries that left the published set at or after `since` (ISO 8601 UTC): lifted, expired or
 * appealed entries that had been activated, by the time of that change (`updated_at`), then ID.
 */
export async function endedEntryRows(db: Kysely<Database>, since: string): Promise<EntryRow[]> {
  return db
    .selectFrom('blocklist_entries')
    .selectAll()
    .where('state', 'in', ['lifted', 'expired', 'appealed'])
    .where('effective_at', 'is not', null)
    .where('updated_at', '>=', since)
    .orderBy('updated_at')
    .orderBy('id')
    .execute();
}

type IndicatorRow = Selectable<FeedIndicatorsTable>;

/**
 * Maps a ledger row to a FeedIndicator.
 * @throws Error when the row's kind or content is not what the ledger writes (a damaged row must
 *   not silently drop out of the feeds: it could then never be revoked).
 */
function toIndicator(row: IndicatorRow): FeedIndicator {
  const content: unknown = JSON.parse(row.content);
  if (
    (row.kind !== 'domain' && row.kind !== 'url') ||
    !Value.Check(IndicatorContentSchema, content)
  ) {
    throw new Error(`feed_indicators row ${row.id} is damaged`);
  }
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    content,
    created: row.created_at,
    modified: row.modified_at,
    revokedAt: row.revoked_at,
  };
}

function toIndicatorRow(i: FeedIndicator): IndicatorRow {
  return {
    id: i.id,
    kind: i.kind,
    value: i.value,
    entry_id: i.content.entryId,
    content: JSON.stringify(i.content),
    created_at: i.created,
    modified_at: i.modified,
    revoked_at: i.revokedAt,
  };
}

/** The ledger's unrevoked indicators (the published set of the STIX and MISP feeds). */
export async function openIndicators(db: Kysely<Database>): Promise<FeedIndicator[]> {
  const rows = await db
    .selectFrom('feed_indicators')
    .selectAll()
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map(toIndicator);
}

/**
 * What the STIX and MISP feeds publish: unrevoked indicators and those revoked at or after
 * `since` (ISO 8601 UTC), ordered by kind, value, then first publication.
 */
export async function publishedIndicators(
  db: Kysely<Database>,
  since: string,
): Promise<FeedIndicator[]> {
  const rows = await db
    .selectFrom('feed_indicators')
    .selectAll()
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>=', since)]))
    .orderBy('kind')
    .orderBy('value')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toIndicator);
}

/** Writes a reconciliation of the ledger (planIndicators): new rows, new versions, revocations. */
export async function applyIndicatorPlan(db: Kysely<Database>, plan: IndicatorPlan): Promise<void> {
  for (let i = 0; i < plan.insert.length; i += 200) {
    await db
      .insertInto('feed_indicators')
      .values(plan.insert.slice(i, i + 200).map(toIndicatorRow))
      .execute();
  }
  for (const row of [...plan.update, ...plan.revoke].map(toIndicatorRow)) {
    await db
      .updateTable('feed_indicators')
      .set({
        entry_id: row.entry_id,
        content: row.content,
        modified_at: row.modified_at,
        revoked_at: row.revoked_at,
      })
      .where('id', '=', row.id)
      .execute();
  }
}

/** The first publication and the latest version of any indicator ever published (or nulls). */
export async function indicatorTimes(
  db: Kysely<Database>,
): Promise<{ firstPublished: string | null; latestChange: string | null }> {
  const row = await db
    .selectFrom('feed_indicators')
    .select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('modified_at').as('latest')])
    .executeTakeFirst();
  return { firstPublished: row?.first ?? null, latestChange: row?.latest ?? null };
}
