/**
 * The privacy-preserving hash-prefix API (issue 14, modelled on Google Safe Browsing v5): the
 * publisher that turns the warn-worthy set into versioned prefix lists, and the two reads
 * clients use — a list update (`GET /api/v1/hash-lists/{name}`) and the full hashes of a few
 * prefixes (`GET /api/v1/hashes/search`).
 *
 * Versions are made by one publisher at a time (a transaction under an advisory lock on
 * PostgreSQL), which diffs the warn-worthy set against the published entries — incrementally,
 * from the cases changed since its last run (lookup_changes) — and writes the next version with
 * its prefix changes; so every node on one PostgreSQL serves the same versions. It runs on demand: the first request after HASH_LIST_PUBLISH_SECONDS on a node
 * starts it in the background (inside the lock it does nothing when another node has just run
 * it). The changes of the last HASH_LIST_HISTORY_VERSIONS versions are kept; a client older than
 * that, or with a version the server does not know, gets the whole list.
 */
import type { Kysely } from 'kysely';
import { blocklistDomains } from '../blocklist/index.js';
import { CONTACT_TYPES, reportedSitesFrom } from '../cases/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { inSnapshot, type Database } from '../store/index.js';
import {
  CASE_STATUSES,
  INDICATOR_TYPES,
  STATUS_PRESENTATION,
  type CaseStatus,
  type IndicatorType,
  type StatusLabel,
} from '../vocabulary/index.js';
import {
  HASH_LIST_NAMES,
  WARN_STATUSES,
  applyUpdate,
  countBelow,
  fullHashOf,
  hasPrefix,
  hashInputOf,
  isHashListName,
  isWarnStatus,
  listChecksum,
  listOfKind,
  prefixBytes,
  prefixHex,
  sortedDistinct,
  toBase64Url,
  type HashListName,
} from './hash-prefix.js';
import {
  allHashHoldings,
  hashEntriesOf,
  hashHoldingsOfHashes,
  hashHoldingsOfHolders,
  hashListChangesAfter,
  hashListHeads,
  deleteGoneHashHoldings,
  deleteHashListCursor,
  indicatorsOfCasesIn,
  insertHashListVersion,
  lockHashLists,
  markHashListChecked,
  oldestHashListVersion,
  presentPrefixes,
  pruneHashListVersions,
  publishedHashEntries,
  publishedPrefixes,
  readHashListCursor,
  reportedUrlsOfCasesIn,
  writeHashEntries,
  writeHashHoldings,
  writeHashListCursor,
  type HashEntryRow,
  type HashHoldingRow,
  type HashListCursor,
  type HashListHead,
  type WarnIndicatorRow,
} from './hash-lists.repo.js';
import {
  changeIdRange,
  changeSnapshot,
  changesUnseen,
  pruneChanges,
  type ChangeReader,
} from './lookup-index.repo.js';
import { compareSeverity, type SeverityFacts } from './lookup-verdict.js';

/**
 * One full hash a holder contributes: a case's warn-worthy indicator, or a published blocklist
 * domain. A hash's entry is its most serious holding (compareHoldings).
 */
interface Holding {
  /** The case ID, or BLOCKLIST_HOLDER. */
  holder: string;
  list: HashListName;
  /** 64 lower-case hex digits. */
  fullHash: string;
  kind: IndicatorType;
  status: CaseStatus;
  severity: SeverityFacts;
}

/** The holder of the published blocklist's domains in hash_holdings (never a case ID). */
const BLOCKLIST_HOLDER = '';

/**
 * Bump when what a holder contributes or how holdings rank changes (WARN_STATUSES, hash inputs,
 * the blocklist's rank, compareHoldings): the stored holdings (migration 0035) are then stale, and
 * the next run recomputes the lists in full.
 */
export const HASH_HOLDING_RULES = 1;

/** Sizes of the publisher's incremental runs. */
export const HASH_LIST_LIMITS = {
  /** lookup_changes rows read per query. */
  changes: 5000,
  /**
   * Changed cases above which a run recomputes the lists in full instead (its reads are of the
   * whole store, but outside any transaction).
   */
  incrementalCases: 20_000,
  /**
   * Changed cases an incremental run applies to the stored holdings per transaction: on SQLite a
   * transaction holds the one connection, so checks wait at most one such chunk, not the run.
   */
  chunkCases: 500,
  /**
   * A run recomputes everything when the last full run is older than this, ms: what a case
   * contributes also depends on what no lookup_changes row records (public-suffix data of a new
   * release, the rules' code), so stored holdings that drifted are repaired at least daily (and
   * by each process's first run, ensurePublished).
   */
  fullEveryMs: 24 * 3600 * 1000,
} as const;

function isIndicatorType(type: string): type is IndicatorType {
  return (INDICATOR_TYPES as readonly string[]).includes(type);
}

function rankIn(list: readonly string[], value: string): number {
  const rank = list.indexOf(value);
  return rank < 0 ? list.length : rank;
}

/**
 * Orders holdings of one full hash, the one to publish first: the most serious holder
 * (compareSeverity, the order of a lookup's list), then, between equally serious ones, by state
 * and kind in vocabulary order (a case holding a site as both a `url` and a `domain` with the
 * same expression publishes it as the `url`), so the entry never depends on the order rows are
 * read in. Pure.
 */
function compareHoldings(a: Holding, b: Holding): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    rankIn(CASE_STATUSES, a.status) - rankIn(CASE_STATUSES, b.status) ||
    rankIn(INDICATOR_TYPES, a.kind) - rankIn(INDICATOR_TYPES, b.kind)
  );
}

function holdingKey(h: { holder: string; list?: string; listName?: string; fullHash: string }) {
  return `${h.holder}\0${h.list ?? h.listName ?? ''}\0${h.fullHash}`;
}

/** Adds `holding` to `into` (by `key`) unless one ranked before it is there. */
function keepFirst(into: Map<string, Holding>, key: string, holding: Holding): void {
  const held = into.get(key);
  if (held === undefined || compareHoldings(holding, held) < 0) into.set(key, holding);
}

/**
 * The holdings of the cases whose rows are given, by lookup's matching rule (cases'
 * matchIndicators): a contact wherever the case holds it, a `url` or `domain` only as the site
 * the case reports (reportedSite of its reports' own URLs), never a reporter's own personal data;
 * one per case and full hash (the first by compareHoldings). Pure.
 * @param rows public indicators of cases in a WARN_STATUSES state (indicatorsOfCasesIn).
 * @param reported the reported URLs of those cases (reportedUrlsOfCasesIn).
 */
function caseHoldings(
  rows: readonly WarnIndicatorRow[],
  reported: ReadonlyArray<{ caseId: string; url: string; platform: string | null }>,
): Holding[] {
  const sites = reportedSitesFrom(reported);
  const held = new Map<string, Holding>();
  for (const row of rows) {
    if (!isIndicatorType(row.type) || !isWarnStatus(row.status)) continue;
    let input: string;
    if (row.type === 'url' || row.type === 'domain') {
      const own = sites.get(row.caseId);
      const isSite = row.type === 'url' ? own?.urls.has(row.value) : own?.domains.has(row.value);
      if (isSite !== true || row.expression === null) continue;
      input = row.expression;
    } else if (CONTACT_TYPES.includes(row.type)) {
      input = hashInputOf(row.type, row.value);
    } else {
      continue;
    }
    const holding: Holding = {
      holder: row.caseId,
      list: listOfKind(row.type),
      fullHash: fullHashOf(input).toString('hex'),
      kind: row.type,
      status: row.status,
      severity: caseSeverity(row.status, row),
    };
    keepFirst(held, holdingKey(holding), holding);
  }
  return [...held.values()];
}

/** What ranks a case's holding (compareSeverity): its public state's colour and its facts. */
function caseSeverity(
  status: CaseStatus,
  facts: { verdict: string; reportCount: number; firstReportedAt: string },
): SeverityFacts {
  const { verdict, reportCount, firstReportedAt } = facts;
  return { colour: STATUS_PRESENTATION[status].colour, verdict, reportCount, firstReportedAt };
}

/** The holdings of the published blocklist: each domain as a `blocked` `domain`. Pure. */
function blocklistHoldings(blocked: readonly string[]): Holding[] {
  const held = new Map<string, Holding>();
  for (const domain of blocked) {
    const holding: Holding = {
      holder: BLOCKLIST_HOLDER,
      list: listOfKind('domain'),
      fullHash: fullHashOf(`${domain}/`).toString('hex'),
      kind: 'domain',
      status: 'blocked',
      // After any case of the same site: a case's own state says more than the entry.
      severity: { colour: 'red', verdict: 'fraud', reportCount: 0, firstReportedAt: '\uffff' },
    };
    keepFirst(held, holdingKey(holding), holding);
  }
  return [...held.values()];
}

function holdingRow(h: Holding): HashHoldingRow {
  return {
    holder: h.holder,
    listName: h.list,
    fullHash: h.fullHash,
    kind: h.kind,
    status: h.status,
    verdict: h.severity.verdict,
    reportCount: h.severity.reportCount,
    firstReportedAt: h.severity.firstReportedAt,
  };
}

/** A stored holding as the publisher ranks it; null for one of an unknown list, kind or state. */
function storedHolding(row: HashHoldingRow): Holding | null {
  if (!isHashListName(row.listName) || !isIndicatorType(row.kind)) return null;
  if (!isWarnStatus(row.status)) return null;
  return {
    holder: row.holder,
    list: row.listName,
    fullHash: row.fullHash,
    kind: row.kind,
    status: row.status,
    severity: caseSeverity(row.status, row),
  };
}

/** The entry each full hash of `holdings` publishes, by list (compareHoldings). Pure. */
function entriesOf(holdings: Iterable<Holding>): Map<HashListName, Map<string, Holding>> {
  const lists = new Map<HashListName, Map<string, Holding>>(
    HASH_LIST_NAMES.map((name) => [name, new Map()]),
  );
  for (const holding of holdings) {
    const list = lists.get(holding.list);
    if (list !== undefined) keepFirst(list, holding.fullHash, holding);
  }
  return lists;
}

/**
 * The writes that turn the stored holdings `before` into `after` (both of the same holders):
 * those gone deleted, those new or changed upserted.
 */
function holdingChanges(
  before: readonly HashHoldingRow[],
  after: readonly Holding[],
): { deletes: HashHoldingRow[]; upserts: HashHoldingRow[] } {
  const old = new Map(before.map((row) => [holdingKey(row), row]));
  const upserts: HashHoldingRow[] = [];
  const kept = new Set<string>();
  for (const holding of after) {
    const key = holdingKey(holding);
    const row = holdingRow(holding);
    kept.add(key);
    const was = old.get(key);
    if (
      was === undefined ||
      was.kind !== row.kind ||
      was.status !== row.status ||
      was.verdict !== row.verdict ||
      was.reportCount !== row.reportCount ||
      was.firstReportedAt !== row.firstReportedAt
    ) {
      upserts.push(row);
    }
  }
  const deletes = before.filter((row) => !kept.has(holdingKey(row)));
  return { deletes, upserts };
}

/**
 * The status of a holding an incremental run's chunk took away before the run published
 * (applyCaseChunk): kept as a row until the run's last transaction compared its full hash again,
 * so a run that stops between chunks leaves it for the next run (which reads the same changes:
 * the cursor did not move) to compare. Never a warn-worthy state (storedHolding skips it).
 */
const GONE_STATUS = 'gone';

/** holdingChanges, with the deletes written as GONE_STATUS holdings instead (those not already). */
function holdingChangesKeepingGone(
  before: readonly HashHoldingRow[],
  after: readonly Holding[],
): Parameters<typeof writeHashHoldings>[1] {
  const { deletes, upserts } = holdingChanges(before, after);
  const gone = deletes
    .filter((row) => row.status !== GONE_STATUS)
    .map((row) => ({ ...row, status: GONE_STATUS }));
  return { deletes: [], upserts: [...upserts, ...gone] };
}

/**
 * The warn-worthy set now as holdings, read in full: the indicators of every case in a
 * WARN_STATUSES state (caseHoldings) and the domain of every published (active, lawful) blocklist
 * entry as `blocked`. Reads with `db` (two queries, no snapshot: a case changed meanwhile is in
 * lookup_changes after the cursor taken before, so the next run applies it again).
 * @param blocked the published blocklist domains (blocklistDomains).
 */
async function warnWorthyHoldings(
  db: Kysely<Database>,
  blocked: readonly string[],
): Promise<Holding[]> {
  const rows = await indicatorsOfCasesIn(db, WARN_STATUSES);
  const reported = await reportedUrlsOfCasesIn(db, WARN_STATUSES);
  return [...caseHoldings(rows, reported), ...blocklistHoldings(blocked)];
}

/**
 * The entries every list should hold now, computed from the whole store (what a full run
 * publishes): by list, full hash (hex) → kind and state. Reads the whole store (and the
 * blocklist's snapshot); what the tests compare the incremental publisher's entries with.
 */
export async function warnWorthyEntries(
  deps: ServiceDeps,
): Promise<Record<HashListName, Map<string, { kind: IndicatorType; status: CaseStatus }>>> {
  const lists = entriesOf(await warnWorthyHoldings(deps.db, await blocklistDomains(deps)));
  const out = { urls: new Map(), indicators: new Map() } as Record<
    HashListName,
    Map<string, { kind: IndicatorType; status: CaseStatus }>
  >;
  for (const name of HASH_LIST_NAMES) {
    for (const [fullHash, h] of lists.get(name) ?? []) {
      out[name].set(fullHash, { kind: h.kind, status: h.status });
    }
  }
  return out;
}

/** What one publisher run did. */
export interface PublishSummary {
  /** False when another run (on any node) compared the lists less than the interval ago. */
  ran: boolean;
  /** The version of each list after the run. */
  versions: Record<HashListName, number>;
  /**
   * How the run compared the lists: `incremental` (the cases changed since the last run),
   * `full` (the whole store), null when it did not run.
   */
  mode: 'incremental' | 'full' | null;
  /** Incremental runs: the changed cases applied; full runs: 0. */
  changedCases: number;
  /** Transactions the run committed (an incremental run: one per chunk of cases, and two). */
  transactions: number;
  /**
   * Incremental runs: lists that changed and were read whole for their checksum, no copy of
   * their last version being held (publishedCopies, PublishOptions.lists); full runs: 0.
   */
  wholeListReads: number;
}

/** How a run proceeds (publishHashLists); `chunkCases` and `afterChunk` are for tests. */
export interface PublishOptions {
  /** Run even when the lists were compared less than HASH_LIST_PUBLISH_SECONDS ago. */
  force?: boolean;
  /** Recompute the whole store. */
  full?: boolean;
  /** Changed cases per transaction of an incremental run (default HASH_LIST_LIMITS.chunkCases). */
  chunkCases?: number;
  /** Called after each chunk's transaction committed (1, 2, …); what it throws ends the run. */
  afterChunk?: (chunk: number) => void | Promise<void>;
  /**
   * The lists this node last read (HashListNode.lists): a list whose version the publisher holds
   * no copy of (another node published it) is checksummed from it instead of read whole.
   */
  lists?: ReadonlyMap<HashListName, { version: number; checksum: string; prefixes: Uint32Array }>;
}

function emptyVersions(): Record<HashListName, number> {
  return { urls: 0, indicators: 0 };
}

/**
 * The sorted prefixes of each list at the version this process last published, or its API node
 * last read (PublishOptions.lists, newer versions taken at each run), by store handle: a run that
 * changes a list's prefixes applies its changes to them for the checksum instead of reading the
 * whole list (a version held by neither is read once). Set only after the run's transaction
 * committed.
 */
const publishedCopies = new WeakMap<
  object,
  Map<HashListName, { version: number; checksum: string; prefixes: Uint32Array }>
>();

/** What a run wrote to one list, for the process's copy. */
interface ListResult {
  version: number;
  /** The list's sorted prefixes when the run wrote a new version, else null. */
  written: { checksum: string; prefixes: Uint32Array } | null;
}

/**
 * Publishes the hash lists: unless `force` or the lists were last compared
 * HASH_LIST_PUBLISH_SECONDS ago or more, does nothing; else, under the publishers' lock
 * (lockHashLists), checks again that no other run came first, brings the entries to the
 * warn-worthy set (those that appeared, disappeared or changed state), and for each list whose
 * set of distinct prefixes changed (or that was never published) writes the next version with
 * the prefixes added and removed and its checksum; then drops versions older than
 * HASH_LIST_HISTORY_VERSIONS. Entries, versions and the cursor are written in one transaction,
 * at the end; an incremental run first brings the stored holdings of the changed cases up to
 * date in transactions of HASH_LIST_LIMITS.chunkCases cases (`chunkCases`), so on SQLite checks
 * wait for one chunk at most. A run stopped between chunks published nothing and left its
 * cursor: the next run reads the same changes and completes it. Runs in one process follow one
 * another.
 *
 * A run is incremental: it reads the rows of lookup_changes it has not applied (hash_list_cursor:
 * the last ID and, on PostgreSQL, whose IDs commit out of order, the snapshot of its last read;
 * changesUnseen) and recomputes
 * only the full hashes the changed cases hold now or held at the last run (hash_holdings), with
 * every holder of those, and the blocklist's domains (read whole: it is small and its changes are
 * not in lookup_changes); the result is the same as a full run's. It recomputes the whole store
 * instead (`full`, read before its transaction) when there is no cursor, the lists were never
 * published, lookup_changes was pruned past the cursor, the holdings were made by other rules
 * (HASH_HOLDING_RULES), the last full run is older than HASH_LIST_LIMITS.fullEveryMs, more than
 * HASH_LIST_LIMITS.incrementalCases cases changed, or `full`.
 * A change committed after a run read it is in the next run.
 * @returns whether it compared the lists, how, and their versions.
 */
export async function publishHashLists(
  deps: ServiceDeps,
  options: PublishOptions = {},
): Promise<PublishSummary> {
  // An incremental run spans several transactions: a second run in this process waits for it
  // (and then finds the lists fresh), as a second run waits for the lock inside one.
  const previous = publisherRuns.get(deps.db) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => publishOnce(deps, options));
  publisherRuns.set(deps.db, run);
  return run;
}

/** The last publisher run started in this process, by store handle (publishHashLists). */
const publisherRuns = new WeakMap<object, Promise<unknown>>();

/** One publisher run (publishHashLists). */
async function publishOnce(deps: ServiceDeps, options: PublishOptions): Promise<PublishSummary> {
  const now = deps.clock.now();
  const at = isoTime(now);
  const fresh = (heads: ReadonlyMap<string, HashListHead>): boolean =>
    options.force !== true &&
    HASH_LIST_NAMES.every((name) => {
      const head = heads.get(name);
      return head !== undefined && Date.parse(head.checkedAt) > now - publishIntervalMs(deps);
    });
  const versionsOf = (heads: ReadonlyMap<string, HashListHead>): Record<HashListName, number> => {
    const versions = emptyVersions();
    for (const name of HASH_LIST_NAMES) versions[name] = heads.get(name)?.version ?? 0;
    return versions;
  };
  const notRun = (heads: ReadonlyMap<string, HashListHead>): PublishSummary => ({
    ran: false,
    versions: versionsOf(heads),
    mode: null,
    changedCases: 0,
    transactions: 0,
    wholeListReads: 0,
  });
  const seen = new Map((await hashListHeads(deps.db)).map((h) => [h.name, h]));
  if (fresh(seen)) return notRun(seen);
  const copies = publishedCopies.get(deps.db) ?? new Map();
  publishedCopies.set(deps.db, copies);
  for (const [name, list] of options.lists ?? []) {
    if ((copies.get(name)?.version ?? 0) < list.version) copies.set(name, list);
  }
  const remember = (results: Map<HashListName, ListResult>) => {
    for (const [name, result] of results) {
      if (result.written !== null) copies.set(name, { version: result.version, ...result.written });
    }
  };
  const summaryOf = (
    results: Map<HashListName, ListResult>,
    mode: 'incremental' | 'full',
    counts: Pick<PublishSummary, 'changedCases' | 'transactions' | 'wholeListReads'>,
  ): PublishSummary => {
    const versions = emptyVersions();
    for (const [name, result] of results) versions[name] = result.version;
    deps.log.debug({ hashLists: { mode, ...counts, versions } }, 'hash lists compared');
    return { ran: true, versions, mode, ...counts };
  };

  let transactions = 0;
  if (options.full !== true) {
    const start = await deps.db.transaction().execute(async (trx) => {
      await lockHashLists(trx, deps.dialect);
      const heads = new Map((await hashListHeads(trx)).map((h) => [h.name, h]));
      // Another node may have run since the heads were read.
      if (fresh(heads)) return notRun(heads);
      return changesToApply(trx, deps, { heads, at });
    });
    transactions++;
    if (start !== null && 'ran' in start) return start;
    if (start !== null) {
      const chunkCases = Math.max(1, options.chunkCases ?? HASH_LIST_LIMITS.chunkCases);
      const compared = new Map<HashListName, Set<string>>(
        HASH_LIST_NAMES.map((name) => [name, new Set()]),
      );
      // Each transaction first checks that no other run (another node's, or a full one) moved
      // the cursor, nor pruning dropped it, since this one read it: that run may have written
      // holdings older than what this one applied, and this one's cursor would then claim
      // changes published that are not. It stops instead, and the next run starts from there.
      const stopped = async (): Promise<PublishSummary> => {
        deps.log.info('hash lists: another run moved the cursor meanwhile; this run stops');
        const heads = new Map((await hashListHeads(deps.db)).map((h) => [h.name, h]));
        return { ...notRun(heads), transactions };
      };
      for (let i = 0; i < start.caseIds.length; i += chunkCases) {
        const ids = start.caseIds.slice(i, i + chunkCases);
        const applied = await deps.db.transaction().execute(async (trx) => {
          await lockHashLists(trx, deps.dialect);
          if (!sameCursor(await readHashListCursor(trx), start.from)) return false;
          await applyCaseChunk(trx, ids, compared);
          return true;
        });
        transactions++;
        if (!applied) return stopped();
        await options.afterChunk?.(i / chunkCases + 1);
        // Let what waits for the store (on SQLite, its one connection) go first.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Read last, in a snapshot of its own: a newer blocklist than one read at the start.
      const blocked = await blocklistDomains(deps);
      const wholeListReads = { count: 0 };
      const results = await deps.db.transaction().execute(async (trx) => {
        await lockHashLists(trx, deps.dialect);
        if (!sameCursor(await readHashListCursor(trx), start.from)) return null;
        wholeListReads.count = 0;
        return publishCompared(trx, deps, {
          blocked,
          at,
          copies,
          compared,
          cursor: start.cursor,
          wholeListReads,
        });
      });
      transactions++;
      if (results === null) return stopped();
      remember(results);
      return summaryOf(results, 'incremental', {
        changedCases: start.caseIds.length,
        transactions,
        wholeListReads: wholeListReads.count,
      });
    }
    // Else a full run is needed (changesToApply says why).
  }

  // A full run. The cursor is taken before the read, as the lookup index's build does: what
  // commits during the read is after it (PostgreSQL: of a transaction its snapshot does not
  // see), so the next run applies it again. The read is outside the transaction: on SQLite
  // (one connection) a long transaction would hold every other request. Two nodes may both read,
  // but only one writes: the other finds the lists fresh under the lock.
  const snapshot = await changeSnapshot(deps.db, deps.dialect);
  const { max } = await changeIdRange(deps.db);
  // The blocklist reads in a snapshot of its own, so before the transaction.
  const blocked = await blocklistDomains(deps);
  const holdings = await warnWorthyHoldings(deps.db, blocked);
  const wanted = entriesOf(holdings);
  const full = await deps.db.transaction().execute(async (trx) => {
    await lockHashLists(trx, deps.dialect);
    const heads = new Map((await hashListHeads(trx)).map((h) => [h.name, h]));
    if (fresh(heads)) return notRun(heads);
    const results = new Map<HashListName, ListResult>();
    for (const name of HASH_LIST_NAMES) {
      results.set(
        name,
        await publishList(trx, deps, {
          name,
          head: heads.get(name),
          wanted: wanted.get(name) ?? new Map(),
          at,
        }),
      );
    }
    await writeHashHoldings(trx, holdingChanges(await allHashHoldings(trx), holdings));
    await writeHashListCursor(trx, {
      changeId: max,
      horizon: snapshot,
      rules: HASH_HOLDING_RULES,
      fullAt: at,
    });
    return results;
  });
  if ('ran' in full) return full;
  remember(full);
  return summaryOf(full, 'full', {
    changedCases: 0,
    transactions: transactions + 1,
    wholeListReads: 0,
  });
}

/**
 * Prunes lookup_changes below `belowId` without taking a row a known reader has not applied
 * (pruneChanges): `node` (the calling node's lookup index: its last ID and, on PostgreSQL, its
 * horizon) and the publisher (its cursor, read under the publishers' lock, so no run moves it
 * meanwhile). On PostgreSQL such a row can be far below the reader's last ID: one written by a
 * transaction still running at its last read and committed since. A publisher further behind
 * than `publisherSlack` rows below `belowId` (it has not run for that long) loses its cursor
 * instead, in the same transaction: its next run is full, and the table stays bounded. Other
 * nodes' lookup indexes are not known here: one that finds rows pruned past it rebuilds.
 * @returns the number of rows deleted.
 */
export async function pruneLookupChanges(
  deps: Pick<ServiceDeps, 'db' | 'dialect'>,
  input: { belowId: number; node: ChangeReader; publisherSlack: number },
): Promise<number> {
  const { belowId, node, publisherSlack } = input;
  return deps.db.transaction().execute(async (trx) => {
    await lockHashLists(trx, deps.dialect);
    const readers = [node];
    const cursor = await readHashListCursor(trx);
    if (cursor !== null && cursor.changeId >= belowId - publisherSlack) {
      readers.push({ changeId: cursor.changeId, snapshot: cursor.horizon });
    } else if (cursor !== null) {
      await deleteHashListCursor(trx);
    }
    return pruneChanges(trx, belowId, readers);
  });
}

function publishIntervalMs(deps: ServiceDeps): number {
  return deps.config.hashLists.publishSeconds * 1000;
}

/** Sorts prefix changes by prefix (the journal's order). */
function byPrefix(changes: Array<{ prefix: string; op: 'add' | 'del' }>) {
  return changes.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

/**
 * The diff of one list's entries `current` (those of the full hashes compared) to `wanted` (the
 * entries those hashes should have; a hash compared and not wanted is deleted).
 */
function entryChanges(
  current: readonly HashEntryRow[],
  wanted: ReadonlyMap<string, Holding>,
): Parameters<typeof writeHashEntries>[2] {
  const held = new Map(current.map((e) => [e.fullHash, e]));
  const inserts: HashEntryRow[] = [];
  const updates: HashEntryRow[] = [];
  for (const [fullHash, entry] of wanted) {
    const row = { fullHash, prefix: fullHash.slice(0, 8), kind: entry.kind, status: entry.status };
    const before = held.get(fullHash);
    if (before === undefined) inserts.push(row);
    else if (before.kind !== row.kind || before.status !== row.status) updates.push(row);
  }
  const deletes = current.filter((e) => !wanted.has(e.fullHash)).map((e) => e.fullHash);
  return { inserts, updates, deletes };
}

/** Full run: brings one list's entries to `wanted` and writes its next version when its prefixes changed. */
async function publishList(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  input: {
    name: HashListName;
    head: HashListHead | undefined;
    wanted: ReadonlyMap<string, Holding>;
    at: string;
  },
): Promise<ListResult> {
  const { name, head, wanted, at } = input;
  const current = await publishedHashEntries(trx, name);
  await writeHashEntries(trx, name, entryChanges(current, wanted));
  const before = new Set(current.map((e) => e.prefix));
  const after = new Set([...wanted.keys()].map((fullHash) => fullHash.slice(0, 8)));
  const changes: Array<{ prefix: string; op: 'add' | 'del' }> = [
    ...[...after].filter((p) => !before.has(p)).map((prefix) => ({ prefix, op: 'add' as const })),
    ...[...before].filter((p) => !after.has(p)).map((prefix) => ({ prefix, op: 'del' as const })),
  ];
  return writeVersion(trx, deps, { name, head, changes, at }, async () =>
    sortedDistinct([...after].map((p) => Number.parseInt(p, 16))),
  );
}

/**
 * Ends one list's run: when its prefixes did not change (and it was published), records that it
 * was compared at `at`; else writes the next version (prefix changes, checksum of `sorted()`, the
 * list's sorted distinct prefixes after the run) and drops versions older than the kept history.
 */
async function writeVersion(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  input: {
    name: HashListName;
    head: HashListHead | undefined;
    changes: Array<{ prefix: string; op: 'add' | 'del' }>;
    at: string;
  },
  sorted: () => Promise<Uint32Array>,
): Promise<ListResult> {
  const { name, head, changes, at } = input;
  if (head !== undefined && changes.length === 0) {
    await markHashListChecked(trx, name, at);
    return { version: head.version, written: null };
  }
  const version = (head?.version ?? 0) + 1;
  const prefixes = await sorted();
  const checksum = listChecksum(prefixes);
  const additions = changes.filter((c) => c.op === 'add').length;
  await insertHashListVersion(
    trx,
    {
      name,
      version,
      checksum,
      prefixCount: prefixes.length,
      publishedAt: at,
      checkedAt: at,
    },
    { additions, removals: changes.length - additions },
    // The first version's changes are the whole list, which a client without a copy gets anyway.
    head === undefined ? [] : byPrefix(changes),
  );
  await pruneHashListVersions(trx, name, version - deps.config.hashLists.historyVersions + 1);
  return { version, written: { checksum, prefixes } };
}

/**
 * The case IDs in lookup_changes the publisher has not applied (changesUnseen: after its cursor's
 * ID and, on PostgreSQL, of transactions its last read's snapshot could not see) and the cursor
 * after them; null when more than HASH_LIST_LIMITS.incrementalCases cases changed: a full run
 * then. A transaction left open for hours costs nothing here: its rows are read once, when it
 * commits, and other rows are not read again.
 */
async function changedCases(
  trx: Kysely<Database>,
  dialect: ServiceDeps['dialect'],
  cursor: HashListCursor,
): Promise<{ caseIds: string[]; from: HashListCursor; cursor: HashListCursor } | null> {
  // Taken before the read: what commits during it is not visible in it, so the next run reads it.
  const snapshot = await changeSnapshot(trx, dialect);
  const reader = { changeId: cursor.changeId, snapshot: cursor.horizon };
  const caseIds = new Set<string>();
  let changeId = cursor.changeId;
  let from = 0;
  for (;;) {
    const rows = await changesUnseen(trx, dialect, reader, from, HASH_LIST_LIMITS.changes);
    for (const row of rows) {
      caseIds.add(row.caseId);
      if (row.id > changeId) changeId = row.id;
    }
    if (caseIds.size > HASH_LIST_LIMITS.incrementalCases) return null;
    const last = rows.at(-1);
    if (rows.length < HASH_LIST_LIMITS.changes || last === undefined) break;
    from = last.id;
  }
  return {
    caseIds: [...caseIds],
    from: cursor,
    cursor: { changeId, horizon: snapshot, rules: HASH_HOLDING_RULES, fullAt: cursor.fullAt },
  };
}

/** Whether the stored cursor `stored` is still `from` (no other run moved or dropped it). */
function sameCursor(stored: HashListCursor | null, from: HashListCursor): boolean {
  return (
    stored !== null &&
    stored.changeId === from.changeId &&
    stored.horizon === from.horizon &&
    stored.rules === from.rules &&
    stored.fullAt === from.fullAt
  );
}

/**
 * The start of an incremental run, in its first transaction `trx`: the cases changed since the
 * cursor and the cursor after them; null, having written nothing, when a full run is needed
 * instead (see publishHashLists).
 */
async function changesToApply(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  input: { heads: ReadonlyMap<string, HashListHead>; at: string },
): Promise<{ caseIds: string[]; from: HashListCursor; cursor: HashListCursor } | null> {
  const { heads, at } = input;
  if (!HASH_LIST_NAMES.every((name) => heads.has(name))) return null;
  const cursor = await readHashListCursor(trx);
  if (cursor === null || cursor.rules !== HASH_HOLDING_RULES) return null;
  if (Date.parse(cursor.fullAt) <= Date.parse(at) - HASH_LIST_LIMITS.fullEveryMs) return null;
  const changed = await changedCases(trx, deps.dialect, cursor);
  if (changed === null) return null;
  // Rows after the cursor were pruned (LOOKUP_INDEX_LIMITS.changesKept): their cases are unknown.
  // Checked after the read: pruning (by any node's lookup index, at any time) deletes the lowest
  // IDs, so if it took a row the read needed, the lowest ID left is past the cursor now.
  const { min } = await changeIdRange(trx);
  if (min > cursor.changeId + 1) return null;
  return changed;
}

/**
 * One chunk of an incremental run, in its own transaction `trx`: the stored holdings of the cases
 * `caseIds` become what they hold now (those they no longer hold kept as GONE_STATUS until the
 * run publishes), and every full hash they held or hold is added to `compared` (by list). The
 * published entries and versions are not touched: publishCompared makes them from the holdings.
 */
async function applyCaseChunk(
  trx: Kysely<Database>,
  caseIds: readonly string[],
  compared: ReadonlyMap<HashListName, Set<string>>,
): Promise<void> {
  const before = await hashHoldingsOfHolders(trx, caseIds);
  const rows = await indicatorsOfCasesIn(trx, WARN_STATUSES, caseIds);
  const reported = await reportedUrlsOfCasesIn(trx, WARN_STATUSES, caseIds);
  const after = caseHoldings(rows, reported);
  for (const h of before) if (isHashListName(h.listName)) compared.get(h.listName)?.add(h.fullHash);
  for (const h of after) compared.get(h.list)?.add(h.fullHash);
  await writeHashHoldings(trx, holdingChangesKeepingGone(before, after));
}

/**
 * The end of an incremental run, in its last transaction `trx`: the blocklist's holdings (read
 * whole: it is small and its changes are not in lookup_changes) are brought up to date, then the
 * entry of every full hash `compared` (by list, with the blocklist's) is made again from all its
 * stored holdings, and for each list whose prefixes changed the next version is written; the
 * GONE_STATUS holdings of those hashes are deleted and the cursor moves to `cursor`. The lists
 * change only here, in one transaction, so no version shows a run half applied.
 */
async function publishCompared(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  input: {
    blocked: readonly string[];
    at: string;
    copies: ReadonlyMap<HashListName, { version: number; checksum: string; prefixes: Uint32Array }>;
    compared: ReadonlyMap<HashListName, ReadonlySet<string>>;
    cursor: HashListCursor;
    /** Counts the lists read whole for their checksum. */
    wholeListReads: { count: number };
  },
): Promise<Map<HashListName, ListResult>> {
  const { blocked, at, copies, compared, cursor, wholeListReads } = input;
  const heads = new Map((await hashListHeads(trx)).map((h) => [h.name, h]));
  const blockBefore = await hashHoldingsOfHolders(trx, [BLOCKLIST_HOLDER]);
  const blockAfter = blocklistHoldings(blocked);
  await writeHashHoldings(trx, holdingChanges(blockBefore, blockAfter));

  const results = new Map<HashListName, ListResult>();
  for (const name of HASH_LIST_NAMES) {
    const hashSet = new Set(compared.get(name));
    for (const h of blockBefore) if (h.listName === name) hashSet.add(h.fullHash);
    for (const h of blockAfter) if (h.list === name) hashSet.add(h.fullHash);
    const hashes = [...hashSet];
    const holdings = (await hashHoldingsOfHashes(trx, name, hashes)).flatMap((row) => {
      const holding = storedHolding(row);
      return holding === null ? [] : [holding];
    });
    const wanted = entriesOf(holdings).get(name) ?? new Map();
    const entries = entryChanges(await hashEntriesOf(trx, name, hashes), wanted);
    // The prefixes that may have appeared or gone: those of entries added or deleted.
    const touched = [
      ...new Set([
        ...entries.inserts.map((e) => e.prefix),
        ...entries.deletes.map((fullHash) => fullHash.slice(0, 8)),
      ]),
    ];
    const present = await presentPrefixes(trx, name, touched);
    await writeHashEntries(trx, name, entries);
    const now = await presentPrefixes(trx, name, touched);
    const changes: Array<{ prefix: string; op: 'add' | 'del' }> = [
      ...touched
        .filter((p) => now.has(p) && !present.has(p))
        .map((prefix) => ({
          prefix,
          op: 'add' as const,
        })),
      ...touched
        .filter((p) => present.has(p) && !now.has(p))
        .map((prefix) => ({
          prefix,
          op: 'del' as const,
        })),
    ];
    const head = heads.get(name);
    results.set(
      name,
      await writeVersion(trx, deps, { name, head, changes, at }, async () => {
        const copy = copies.get(name);
        if (
          copy === undefined ||
          copy.version !== head?.version ||
          copy.checksum !== head.checksum
        ) {
          // No copy of the version this run changes: the list as written now, read once.
          wholeListReads.count++;
          return Uint32Array.from(
            (await publishedPrefixes(trx, name)).map((p) => Number.parseInt(p, 16)),
          );
        }
        const removed = sortedDistinct(
          changes.filter((c) => c.op === 'del').map((c) => Number.parseInt(c.prefix, 16)),
        );
        return applyUpdate(copy.prefixes, {
          additions: sortedDistinct(
            changes.filter((c) => c.op === 'add').map((c) => Number.parseInt(c.prefix, 16)),
          ),
          removalIndices: [...removed].map((prefix) => countBelow(copy.prefixes, prefix)),
        });
      }),
    );
    await deleteGoneHashHoldings(trx, name, hashes, GONE_STATUS);
  }
  await writeHashListCursor(trx, cursor);
  return results;
}

/**
 * What one API node keeps between requests: when it last made sure the lists were published,
 * whether a run ever completed here, the run in flight, and each list's sorted prefixes at the
 * version it last read (versions never change once written, so a cached list is right for its
 * version). Made by newHashListNode, one per app.
 */
export interface HashListNode {
  checkedAtMs: number;
  published: boolean;
  /** What the last run this node started did (null before one ended). */
  lastRun: PublishSummary | null;
  publishing: Promise<void> | null;
  lists: Map<
    HashListName,
    { version: number; checksum: string; prefixes: Uint32Array; full: string }
  >;
  /** hashes/search: each list's entries at the head last read (SearchableList). */
  searchable: Map<HashListName, SearchableList>;
  /** When (clock ms) the lists' heads were last read for hashes/search. */
  searchHeadsAtMs: number;
  /** The read of heads and changed entries in flight, shared by concurrent searches. */
  searchLoading: Promise<void> | null;
}

/**
 * One list's published entries held for hashes/search, sorted by full hash: `prefixes[i]` is
 * the first 4 bytes of `fullHashes[i]` (hex) as a number, so a prefix's entries are one run.
 */
interface SearchableList {
  /** The head it was read at: version and last publisher run (entries change within a version). */
  head: string;
  prefixes: Uint32Array;
  fullHashes: string[];
  kinds: string[];
  statuses: string[];
}

/**
 * How long (ms) a node answers hashes/search from the entries it holds before it reads the lists'
 * heads again (and the entries of a list whose head changed): what another node published is
 * searched within this much of its publication.
 */
export const HASH_SEARCH_HEADS_MS = 1000;

/** A node's empty state (see HashListNode). */
export function newHashListNode(): HashListNode {
  return {
    checkedAtMs: Number.NEGATIVE_INFINITY,
    published: false,
    lastRun: null,
    publishing: null,
    lists: new Map(),
    searchable: new Map(),
    searchHeadsAtMs: Number.NEGATIVE_INFINITY,
    searchLoading: null,
  };
}

/**
 * Makes sure the lists are published within HASH_LIST_PUBLISH_SECONDS, one run per node at a
 * time. The node's first request (and every request when the interval is 0) waits for the run;
 * later ones start it and are answered from the current version at once, so no client waits for
 * the publisher (whose full runs read every warn-worthy indicator). A failed run is logged and retried by
 * the next request.
 */
export async function ensurePublished(deps: ServiceDeps, node: HashListNode): Promise<void> {
  const interval = publishIntervalMs(deps);
  if (interval > 0 && deps.clock.now() - node.checkedAtMs < interval) return;
  if (node.publishing === null) {
    const startedAt = deps.clock.now();
    // A process's first run recomputes everything: a new release may hash or rank differently.
    const run = publishHashLists(deps, { full: !node.published, lists: node.lists })
      .then((summary) => {
        node.lastRun = summary;
        node.checkedAtMs = startedAt;
        node.published = true;
        // What this node published is searched at once (another node's within a second).
        node.searchHeadsAtMs = Number.NEGATIVE_INFINITY;
      })
      .finally(() => {
        node.publishing = null;
      });
    run.catch((error: unknown) =>
      deps.log.error({ err: error }, 'publishing the hash lists failed'),
    );
    node.publishing = run;
  }
  if (node.published && interval > 0) return;
  await node.publishing;
}

/** One full hash of a hashes/search answer. */
export interface FullHashMatch {
  /** Base64url (no padding) of the 32-byte SHA-256. */
  fullHash: string;
  kind: IndicatorType;
  status: CaseStatus;
  label: StatusLabel;
}

/** The answer of `GET /api/v1/hashes/search`. */
export interface HashSearchResult {
  fullHashes: FullHashMatch[];
  /** Seconds the client may keep this answer (for these prefixes, found or not). */
  cacheSeconds: number;
}

/**
 * What identifies the entries of a list's head: its version (of the prefix set) and the time
 * of the publisher's last run, which changes the full hashes behind unchanged prefixes too.
 */
function headKey(head: HashListHead): string {
  return `${head.version}@${head.checkedAt}`;
}

/** A list's entries at its current head, read in one snapshot; null if never published. */
async function readSearchable(
  deps: ServiceDeps,
  name: HashListName,
): Promise<SearchableList | null> {
  return inSnapshot(deps.db, deps.dialect, async (trx) => {
    const head = (await hashListHeads(trx)).find((h) => h.name === name);
    if (head === undefined) return null;
    const rows = await publishedHashEntries(trx, name);
    rows.sort((a, b) => (a.fullHash < b.fullHash ? -1 : a.fullHash > b.fullHash ? 1 : 0));
    return {
      head: headKey(head),
      prefixes: Uint32Array.from(rows, (r) => Number.parseInt(r.fullHash.slice(0, 8), 16)),
      fullHashes: rows.map((r) => r.fullHash),
      kinds: rows.map((r) => r.kind),
      statuses: rows.map((r) => r.status),
    };
  });
}

/**
 * Brings the node's searchable entries up to the lists' current versions when its heads are
 * older than HASH_SEARCH_HEADS_MS (or this node has published since): one read of the heads, and
 * the entries of a list only when its head changed. Concurrent searches share one read.
 */
async function refreshSearchable(deps: ServiceDeps, node: HashListNode): Promise<void> {
  if (deps.clock.now() - node.searchHeadsAtMs < HASH_SEARCH_HEADS_MS) return;
  if (node.searchLoading === null) {
    const startedAt = deps.clock.now();
    node.searchLoading = (async () => {
      const heads = await hashListHeads(deps.db);
      for (const name of HASH_LIST_NAMES) {
        const head = heads.find((h) => h.name === name);
        if (head === undefined) node.searchable.delete(name);
        else if (node.searchable.get(name)?.head !== headKey(head)) {
          const list = await readSearchable(deps, name);
          if (list === null) node.searchable.delete(name);
          else node.searchable.set(name, list);
        }
      }
      node.searchHeadsAtMs = startedAt;
    })().finally(() => {
      node.searchLoading = null;
    });
  }
  await node.searchLoading;
}

/**
 * The published warn-worthy full hashes that start with one of `prefixes` (4-byte prefixes as
 * numbers, at most MAX_SEARCH_PREFIXES, checked by the route), in both lists, sorted by hash.
 * Publishes first when the lists are stale (ensurePublished). Answered from the entries the node
 * holds in memory, read again when a list's head changed (seen within HASH_SEARCH_HEADS_MS).
 */
export async function searchHashes(
  deps: ServiceDeps,
  node: HashListNode,
  prefixes: readonly number[],
): Promise<HashSearchResult> {
  await ensurePublished(deps, node);
  await refreshSearchable(deps, node);
  const rows: HashEntryRow[] = [];
  for (const prefix of new Set(prefixes)) {
    for (const list of node.searchable.values()) {
      for (let i = countBelow(list.prefixes, prefix); list.prefixes[i] === prefix; i++) {
        rows.push({
          fullHash: list.fullHashes[i] ?? '',
          prefix: prefixHex(prefix),
          kind: list.kinds[i] ?? '',
          status: list.statuses[i] ?? '',
        });
      }
    }
  }
  rows.sort((a, b) => (a.fullHash < b.fullHash ? -1 : a.fullHash > b.fullHash ? 1 : 0));
  const fullHashes = rows.flatMap((row): FullHashMatch[] => {
    if (!isIndicatorType(row.kind) || !isWarnStatus(row.status)) return [];
    return [
      {
        fullHash: toBase64Url(Buffer.from(row.fullHash, 'hex')),
        kind: row.kind,
        status: row.status,
        label: STATUS_PRESENTATION[row.status].label,
      },
    ];
  });
  return { fullHashes, cacheSeconds: deps.config.hashLists.publishSeconds };
}

/** The answer of `GET /api/v1/hash-lists/{name}`. */
export interface HashListUpdate {
  name: HashListName;
  /** The version the client has after applying this answer. */
  version: number;
  /** True: an update of the client's `version`; false: the whole list (replace the copy). */
  partial: boolean;
  /** Base64 (RFC 4648 §4, padded) of the concatenated sorted 4-byte prefixes to add. */
  additions: string;
  /** Indices into the client's sorted old list of the prefixes to remove, ascending. */
  removalIndices: number[];
  /** Base64 SHA-256 of the concatenated sorted prefixes of the whole list after the update. */
  checksum: string;
}

/**
 * Reads a list's head and, when the node has no copy of that version, its prefixes, in one
 * snapshot (repeatable read on PostgreSQL, one transaction on SQLite), so a version and its
 * prefixes always go together.
 * @returns null when the list was never published.
 */
async function currentList(
  deps: ServiceDeps,
  node: HashListNode,
  name: HashListName,
  since: number | undefined,
): Promise<{
  list: { version: number; checksum: string; prefixes: Uint32Array; full: string };
  changes: Array<{ version: number; prefix: string; op: string }> | null;
} | null> {
  return inSnapshot(deps.db, deps.dialect, async (trx) => {
    const head = (await hashListHeads(trx)).find((h) => h.name === name);
    if (head === undefined) return null;
    let list = node.lists.get(name);
    if (list?.version !== head.version) {
      const prefixes = Uint32Array.from(
        (await publishedPrefixes(trx, name)).map((p) => Number.parseInt(p, 16)),
      );
      list = {
        version: head.version,
        checksum: head.checksum,
        prefixes,
        full: prefixBytes(prefixes).toString('base64'),
      };
      node.lists.set(name, list);
    }
    if (since === undefined || since >= head.version || since < 1) return { list, changes: null };
    const oldest = await oldestHashListVersion(trx, name);
    if (oldest === null || oldest > since + 1) return { list, changes: null };
    return { list, changes: await hashListChangesAfter(trx, name, since) };
  });
}

/**
 * The update of list `name` for a client at `version` (Safe Browsing v5 style): without a
 * version, with one the server does not know (0, newer than the list, or older than the kept
 * history), the whole list (`partial: false`); with the current version, an empty update; else
 * the prefixes added since and the indices, into the client's sorted list at `version`, of those
 * removed since (a prefix added and removed again, or removed and added again, is in neither).
 * Publishes first when the lists are stale (ensurePublished).
 */
export async function hashListUpdate(
  deps: ServiceDeps,
  node: HashListNode,
  name: HashListName,
  version: number | undefined,
): Promise<HashListUpdate> {
  await ensurePublished(deps, node);
  let read = await currentList(deps, node, name, version);
  if (read === null) {
    await publishHashLists(deps, { force: true, lists: node.lists });
    read = await currentList(deps, node, name, version);
  }
  if (read === null) throw new Error(`hash list ${name} was not published`);
  const { list, changes } = read;
  const whole = {
    name,
    version: list.version,
    partial: false,
    additions: list.full,
    removalIndices: [],
    checksum: list.checksum,
  };
  if (version === undefined) return whole;
  if (version === list.version) {
    return { ...whole, partial: true, additions: '', removalIndices: [] };
  }
  if (changes === null) return whole;
  // The state of each changed prefix at `version` is the opposite of its first change after it.
  const firstOp = new Map<number, string>();
  for (const change of changes) {
    const prefix = Number.parseInt(change.prefix, 16);
    if (!firstOp.has(prefix)) firstOp.set(prefix, change.op);
  }
  const now = list.prefixes;
  const added: number[] = [];
  const removed: number[] = [];
  for (const [prefix, op] of firstOp) {
    const present = hasPrefix(now, prefix);
    if (op === 'add' && present) added.push(prefix);
    if (op === 'del' && !present) removed.push(prefix);
  }
  const additions = sortedDistinct(added);
  const removals = sortedDistinct(removed);
  const removalIndices = [...removals].map(
    (prefix) =>
      countBelow(now, prefix) - countBelow(additions, prefix) + countBelow(removals, prefix),
  );
  return {
    name,
    version: list.version,
    partial: true,
    additions: prefixBytes(additions).toString('base64'),
    removalIndices,
    checksum: list.checksum,
  };
}
