/**
 * The privacy-preserving hash-prefix API (issue 14, modelled on Google Safe Browsing v5): the
 * publisher that turns the warn-worthy set into versioned prefix lists, and the two reads
 * clients use — a list update (`GET /api/v1/hash-lists/{name}`) and the full hashes of a few
 * prefixes (`GET /api/v1/hashes/search`).
 *
 * Versions are made by one publisher at a time (a transaction under an advisory lock on
 * PostgreSQL), which diffs the warn-worthy set against the published entries and writes the
 * next version with its prefix changes; so every node on one PostgreSQL serves the same
 * versions. It runs on demand: the first request after HASH_LIST_PUBLISH_SECONDS on a node
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
  INDICATOR_TYPES,
  STATUS_PRESENTATION,
  type CaseStatus,
  type IndicatorType,
  type StatusLabel,
} from '../vocabulary/index.js';
import {
  HASH_LIST_NAMES,
  WARN_STATUSES,
  countBelow,
  fullHashOf,
  hasPrefix,
  hashInputOf,
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
  hashListChangesAfter,
  hashListHeads,
  indicatorsOfCasesIn,
  insertHashListVersion,
  lockHashLists,
  markHashListChecked,
  oldestHashListVersion,
  pruneHashListVersions,
  publishedHashEntries,
  publishedPrefixes,
  reportedUrlsOfCasesIn,
  writeHashEntries,
  type HashEntryRow,
  type HashListHead,
} from './hash-lists.repo.js';
import { compareSeverity, type SeverityFacts } from './lookup-verdict.js';

/** One warn-worthy full hash, as the publisher computes it. */
interface WantedEntry {
  kind: IndicatorType;
  status: CaseStatus;
  severity: SeverityFacts;
}

function isIndicatorType(type: string): type is IndicatorType {
  return (INDICATOR_TYPES as readonly string[]).includes(type);
}

/**
 * The warn-worthy set now, by list and full hash (hex): the indicators of every case in a
 * WARN_STATUSES state by lookup's matching rule (cases' matchIndicators) — a contact wherever the
 * case holds it, a `url` or `domain` only as the site the case reports (reportedSite of its
 * reports' own URLs), never a reporter's own personal data — and the domain of every published
 * (active, lawful) blocklist entry as `blocked`. A full hash held several times carries the most
 * serious holder's state (compareSeverity, the order of a lookup's list). Reads with `deps.db`.
 * @param blocked the published blocklist domains (blocklistDomains, read before the publisher's
 *   transaction: it runs its own snapshot).
 */
async function warnWorthyEntries(
  deps: ServiceDeps,
  blocked: readonly string[],
): Promise<Map<HashListName, Map<string, WantedEntry>>> {
  const lists = new Map<HashListName, Map<string, WantedEntry>>(
    HASH_LIST_NAMES.map((name) => [name, new Map()]),
  );
  const add = (kind: IndicatorType, input: string, entry: Omit<WantedEntry, 'kind'>): void => {
    const list = lists.get(listOfKind(kind));
    if (list === undefined) return;
    const key = fullHashOf(input).toString('hex');
    const held = list.get(key);
    if (held === undefined || compareSeverity(entry.severity, held.severity) < 0) {
      list.set(key, { kind, ...entry });
    }
  };
  const rows = await indicatorsOfCasesIn(deps.db, WARN_STATUSES);
  const reported = await reportedUrlsOfCasesIn(deps.db, WARN_STATUSES);
  const sites = reportedSitesFrom(reported);
  for (const row of rows) {
    if (!isIndicatorType(row.type) || !isWarnStatus(row.status)) continue;
    const severity: SeverityFacts = {
      colour: STATUS_PRESENTATION[row.status].colour,
      verdict: row.verdict,
      reportCount: row.reportCount,
      firstReportedAt: row.firstReportedAt,
    };
    if (row.type === 'url' || row.type === 'domain') {
      const own = sites.get(row.caseId);
      const isSite = row.type === 'url' ? own?.urls.has(row.value) : own?.domains.has(row.value);
      if (isSite !== true || row.expression === null) continue;
      add(row.type, row.expression, { status: row.status, severity });
    } else if (CONTACT_TYPES.includes(row.type)) {
      add(row.type, hashInputOf(row.type, row.value), { status: row.status, severity });
    }
  }
  for (const domain of blocked) {
    add('domain', `${domain}/`, {
      status: 'blocked',
      // After any case of the same site: a case's own state says more than the entry.
      severity: { colour: 'red', verdict: 'fraud', reportCount: 0, firstReportedAt: '\uffff' },
    });
  }
  return lists;
}

/** What one publisher run did. */
export interface PublishSummary {
  /** False when another run (on any node) compared the lists less than the interval ago. */
  ran: boolean;
  /** The version of each list after the run. */
  versions: Record<HashListName, number>;
}

function emptyVersions(): Record<HashListName, number> {
  return { urls: 0, indicators: 0 };
}

/**
 * Publishes the hash lists: unless `force` or the lists were last compared
 * HASH_LIST_PUBLISH_SECONDS ago or more, does nothing; else reads the warn-worthy set
 * (warnWorthyEntries) and, in one transaction under the publishers' lock (lockHashLists), checks
 * again that no other run came first, writes the entries that appeared, disappeared or changed
 * state, and for each list whose set of distinct prefixes changed (or that was never published)
 * writes the next version with the prefixes added and removed and its checksum; then drops
 * versions older than HASH_LIST_HISTORY_VERSIONS.
 * @returns whether it compared the lists, and their versions.
 */
export async function publishHashLists(
  deps: ServiceDeps,
  options: { force?: boolean } = {},
): Promise<PublishSummary> {
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
  const seen = new Map((await hashListHeads(deps.db)).map((h) => [h.name, h]));
  if (fresh(seen)) return { ran: false, versions: versionsOf(seen) };
  // The warn-worthy set is read before the transaction: on SQLite (one connection) a long
  // transaction would hold every other request; the blocklist reads in a snapshot of its own.
  // Two nodes may both read it, but only one writes a version: the other finds the lists fresh
  // under the lock. A change committed after the read is in the next run.
  const wanted = await warnWorthyEntries(deps, await blocklistDomains(deps));
  return deps.db.transaction().execute(async (trx) => {
    await lockHashLists(trx, deps.dialect);
    const heads = new Map((await hashListHeads(trx)).map((h) => [h.name, h]));
    const versions = versionsOf(heads);
    // Another node may have run while this one read.
    if (fresh(heads)) return { ran: false, versions };
    for (const name of HASH_LIST_NAMES) {
      versions[name] = await publishList(trx, deps, {
        name,
        head: heads.get(name),
        wanted: wanted.get(name) ?? new Map(),
        at,
      });
    }
    return { ran: true, versions };
  });
}

function publishIntervalMs(deps: ServiceDeps): number {
  return deps.config.hashLists.publishSeconds * 1000;
}

/** Brings one list's entries to `wanted` and writes its next version when its prefixes changed. */
async function publishList(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  input: {
    name: HashListName;
    head: HashListHead | undefined;
    wanted: ReadonlyMap<string, WantedEntry>;
    at: string;
  },
): Promise<number> {
  const { name, head, wanted, at } = input;
  const current = await publishedHashEntries(trx, name);
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
  await writeHashEntries(trx, name, { inserts, updates, deletes });

  const before = new Set(current.map((e) => e.prefix));
  const after = new Set([...wanted.keys()].map((fullHash) => fullHash.slice(0, 8)));
  const changes: Array<{ prefix: string; op: 'add' | 'del' }> = [
    ...[...after].filter((p) => !before.has(p)).map((prefix) => ({ prefix, op: 'add' as const })),
    ...[...before].filter((p) => !after.has(p)).map((prefix) => ({ prefix, op: 'del' as const })),
  ];
  if (head !== undefined && changes.length === 0) {
    await markHashListChecked(trx, name, at);
    return head.version;
  }
  const version = (head?.version ?? 0) + 1;
  const sorted = sortedDistinct([...after].map((p) => Number.parseInt(p, 16)));
  const additions = changes.filter((c) => c.op === 'add').length;
  await insertHashListVersion(
    trx,
    {
      name,
      version,
      checksum: listChecksum(sorted),
      prefixCount: sorted.length,
      publishedAt: at,
      checkedAt: at,
    },
    { additions, removals: changes.length - additions },
    // The first version's changes are the whole list, which a client without a copy gets anyway.
    head === undefined
      ? []
      : changes.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0)),
  );
  await pruneHashListVersions(trx, name, version - deps.config.hashLists.historyVersions + 1);
  return version;
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
 * the publisher, which reads every warn-worthy indicator. A failed run is logged and retried by
 * the next request.
 */
export async function ensurePublished(deps: ServiceDeps, node: HashListNode): Promise<void> {
  const interval = publishIntervalMs(deps);
  if (interval > 0 && deps.clock.now() - node.checkedAtMs < interval) return;
  if (node.publishing === null) {
    const startedAt = deps.clock.now();
    const run = publishHashLists(deps)
      .then(() => {
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
    await publishHashLists(deps, { force: true });
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
