/**
 * Queries of the Merkle log (tables in store/schema-evidence.ts). Hashes are stored as raw 32-byte
 * BLOB/BYTEA and returned as Buffers.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, Dialect, EventsTable } from '../store/index.js';
import { chunksOf, readInChunks } from '../shared/chunks.js';
import { HASH_SIZE, appendToFrontier, type Frontier, type NodeReader } from './merkle.js';
import type { LeafEvent } from './leaf.js';

type Db = Kysely<Database>;

const toBuffer = (hash: Uint8Array): Buffer =>
  Buffer.from(hash.buffer, hash.byteOffset, hash.length);

function splitFrontier(size: number, blob: Uint8Array): Frontier {
  const hashes: Uint8Array[] = [];
  for (let offset = 0; offset < blob.length; offset += HASH_SIZE) {
    hashes.push(blob.subarray(offset, offset + HASH_SIZE));
  }
  let bits = 0;
  for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  if (hashes.length !== bits || blob.length % HASH_SIZE !== 0) {
    throw new Error(`log head is corrupt: size ${size} with ${hashes.length} frontier hashes`);
  }
  return { size, hashes };
}

/** Nodes read per query (readNodes): well under SQLite's expression depth of 1,000. */
const NODES_PER_READ = 400;

/** Leaf and node rows per INSERT (3 parameters each: well under SQLite's 32,766 and PostgreSQL's 65,535). */
const ROWS_PER_INSERT = 500;

/**
 * Appends leaves inside the caller's transaction (the sequencer's, log/sequencer.ts), in the
 * order given: takes the log head's row lock (so appenders, also in other processes on
 * PostgreSQL, are ordered and the index has no gaps), stores the leaves and every complete subtree they complete, and advances the
 * frontier. Appending n leaves at once gives the same indices, nodes and frontier as n single
 * appends (RFC 9162 tree), in 2 + ⌈n/500⌉ + ⌈nodes/500⌉ statements instead of about 4n.
 * @returns the first leaf's 0-based index (the others follow it).
 * @throws Error when the log head is missing or corrupt (migration 0004 creates it).
 */
export async function appendLeaves(
  db: Db,
  leaves: ReadonlyArray<{ eventSeq: number; hash: Uint8Array }>,
): Promise<number> {
  // The UPDATE is the first statement so the row lock (PostgreSQL) / write lock (SQLite) is
  // taken before the frontier is read; RETURNING gives the new size and the old frontier.
  const head = await db
    .updateTable('log_head')
    .set((eb) => ({ tree_size: eb('tree_size', '+', leaves.length) }))
    .where('id', '=', 1)
    .returning(['tree_size', 'frontier'])
    .executeTakeFirst();
  if (head === undefined) throw new Error('the log head row is missing');
  const first = Number(head.tree_size) - leaves.length;
  let frontier = splitFrontier(first, head.frontier);
  const nodes: Array<{ level: number; node_index: number; hash: Buffer }> = [];
  for (const leaf of leaves) {
    const appended = appendToFrontier(frontier, leaf.hash);
    frontier = appended.frontier;
    for (const n of appended.created) {
      nodes.push({ level: n.level, node_index: n.index, hash: toBuffer(n.hash) });
    }
  }
  await db
    .updateTable('log_head')
    .set({ frontier: Buffer.concat(frontier.hashes.map(toBuffer)) })
    .where('id', '=', 1)
    .execute();
  const leafRows = leaves.map((leaf, i) => ({
    leaf_index: first + i,
    event_seq: leaf.eventSeq,
    leaf_hash: toBuffer(leaf.hash),
  }));
  for (const chunk of chunksOf(leafRows, ROWS_PER_INSERT)) {
    await db.insertInto('log_leaves').values(chunk).execute();
  }
  for (const chunk of chunksOf(nodes, ROWS_PER_INSERT)) {
    await db.insertInto('log_nodes').values(chunk).execute();
  }
  return first;
}

/**
 * Serialises the log's sequencers for the rest of the caller's transaction: on PostgreSQL a
 * transaction-scoped advisory lock, waited for (`wait`) or only tried; on SQLite nothing (the
 * head UPDATE of lockHeadForSequencing takes the database's one write lock).
 * @returns whether the lock is held (always true when waiting, and on SQLite).
 */
export async function lockSequencer(db: Db, dialect: Dialect, wait: boolean): Promise<boolean> {
  if (dialect === 'sqlite') return true;
  if (wait) {
    await sql`select pg_advisory_xact_lock(hashtextextended('scamnet:log-sequencer', 0))`.execute(
      db,
    );
    return true;
  }
  const { rows } = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(hashtextextended('scamnet:log-sequencer', 0)) as locked`.execute(
    db,
  );
  return rows[0]?.locked === true;
}

const bigintOrNull = (value: string | number | null): bigint | null =>
  value === null ? null : BigInt(value);

/**
 * Locks the log head for a sequencer's round (its first write: the row lock on PostgreSQL, the
 * write lock on SQLite, so what the round reads next is not changed by another appender before
 * it commits) and reads the horizon of the previous round.
 * @returns the tree size and the stored horizon (null on SQLite or before the first round).
 * @throws Error when the log head row is missing.
 */
export async function lockHeadForSequencing(
  db: Db,
): Promise<{ size: number; horizon: bigint | null }> {
  const head = await db
    .updateTable('log_head')
    .set((eb) => ({ tree_size: eb.ref('tree_size') }))
    .where('id', '=', 1)
    .returning(['tree_size', 'horizon'])
    .executeTakeFirst();
  if (head === undefined) throw new Error('the log head row is missing');
  return { size: Number(head.tree_size), horizon: bigintOrNull(head.horizon) };
}

/** Stores the horizon the next sequencing round starts from (see listUnsequencedEvents). */
export async function setSequencingHorizon(db: Db, horizon: bigint | null): Promise<void> {
  await db
    .updateTable('log_head')
    .set({ horizon: horizon === null ? null : horizon.toString() })
    .where('id', '=', 1)
    .execute();
}

/** The stored horizon (setSequencingHorizon), without locking. */
export async function readSequencingHorizon(db: Db): Promise<bigint | null> {
  const head = await db
    .selectFrom('log_head')
    .select('horizon')
    .where('id', '=', 1)
    .executeTakeFirst();
  return head === undefined ? null : bigintOrNull(head.horizon);
}

/** An event not yet a leaf, with the columns its leaf hash is computed from. */
export type UnsequencedEventRow = Omit<Selectable<EventsTable>, 'disclosures' | 'tx'>;

/** The largest `event_seq` of a leaf (0 for an empty log): one index probe. */
async function lastLeafEventSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('log_leaves')
    .select((eb) => eb.fn.max('event_seq').as('last'))
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

/**
 * The events without a leaf that the sequencer reads (listUnsequencedEvents), unordered.
 * `lastSeq` is read in a statement of its own and given as a value: as a subquery the planner
 * could not see it, and scanned every leaf and event (PostgreSQL) on every round.
 */
function unsequenced(db: Db, dialect: Dialect, horizon: bigint | null, lastSeq: number) {
  return db.selectFrom('events as e').where((eb) => {
    const pastLast = eb('e.seq', '>', lastSeq);
    // PostgreSQL before the first stored horizon (migration 0036 stores one; a null one is
    // never trusted): every event written since the migration, by any transaction.
    const late =
      dialect !== 'postgres'
        ? pastLast
        : eb.or([
            pastLast,
            horizon === null ? eb('e.tx', 'is not', null) : eb('e.tx', '>=', horizon.toString()),
          ]);
    return eb.and([
      late,
      eb.not(
        eb.exists(
          eb
            .selectFrom('log_leaves as l')
            .select('l.leaf_index')
            .whereRef('l.event_seq', '=', 'e.seq'),
        ),
      ),
    ]);
  });
}

/**
 * The events the sequencer integrates next: committed (visible), not yet a leaf, and either past
 * the last leaf's event (`seq` above the largest `log_leaves.event_seq`) or, on PostgreSQL,
 * written by a transaction with ID ≥ `horizon` (one still running at the previous round's read,
 * which may have committed a lower `seq` after higher ones were sequenced). In `seq` order, at
 * most `limit`. An event behind the last leaf on SQLite, or behind it and older than the horizon
 * on PostgreSQL, is never returned: none can exist unless sequencing skipped one (the audit
 * finds them: it counts events, leaves and these).
 */
export async function listUnsequencedEvents(
  db: Db,
  dialect: Dialect,
  horizon: bigint | null,
  limit: number,
): Promise<UnsequencedEventRow[]> {
  return unsequenced(db, dialect, horizon, await lastLeafEventSeq(db))
    .select(['e.seq', 'e.at', 'e.type', 'e.subject_type', 'e.subject_id', 'e.actor', 'e.data'])
    .orderBy('e.seq')
    .limit(limit)
    .execute();
}

/** The events the sequencer has still to integrate (countUnsequencedEvents). */
export interface UnsequencedCount {
  /** How many, counted up to the cap. */
  pending: number;
  /** The lowest `seq` among them and when it was recorded (ISO 8601 UTC), or null. */
  oldest: { seq: number; at: string } | null;
}

/**
 * The events listUnsequencedEvents would return, counted up to `cap` (a count costs one index
 * probe per event, so a large backlog costs at most `cap`), and the oldest of them.
 */
export async function countUnsequencedEvents(
  db: Db,
  dialect: Dialect,
  horizon: bigint | null,
  cap: number,
): Promise<UnsequencedCount> {
  const lastSeq = await lastLeafEventSeq(db);
  const counted = await db
    .selectFrom(unsequenced(db, dialect, horizon, lastSeq).select('e.seq').limit(cap).as('p'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const oldest = await unsequenced(db, dialect, horizon, lastSeq)
    .select(['e.seq', 'e.at'])
    .orderBy('e.seq')
    .limit(1)
    .executeTakeFirst();
  return {
    pending: Number(counted.n),
    oldest: oldest === undefined ? null : { seq: Number(oldest.seq), at: oldest.at },
  };
}

/** Appends one leaf (appendLeaves). @returns its 0-based index. */
export async function appendLeaf(db: Db, eventSeq: number, hash: Uint8Array): Promise<number> {
  return appendLeaves(db, [{ eventSeq, hash }]);
}

/** The log's committed size and frontier. @throws Error when the head is missing. */
export async function readHead(db: Db): Promise<Frontier> {
  const head = await db
    .selectFrom('log_head')
    .select(['tree_size', 'frontier'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (head === undefined) throw new Error('the log head row is missing');
  return splitFrontier(Number(head.tree_size), head.frontier);
}

/**
 * Runs `plan` (a pure computation over a NodeReader, e.g. a proof) against the stored nodes with
 * one query per table: a first pass records which complete subtrees it reads (the reads depend
 * only on sizes and indices, never on hash values), they are fetched, and the plan runs again.
 * @throws Error when a needed node is missing (the tree is smaller than asked, or corrupt).
 */
export async function withStoredNodes<T>(db: Db, plan: (read: NodeReader) => T): Promise<T> {
  const wanted = new Map<string, { level: number; index: number }>();
  const placeholder = new Uint8Array(HASH_SIZE);
  plan((level, index) => {
    wanted.set(`${level}:${index}`, { level, index });
    return placeholder;
  });
  const found = new Map<string, Uint8Array>();
  const leaves = [...wanted.values()].filter((w) => w.level === 0).map((w) => w.index);
  const nodes = [...wanted.values()].filter((w) => w.level > 0);
  if (leaves.length > 0) {
    const rows = await db
      .selectFrom('log_leaves')
      .select(['leaf_index', 'leaf_hash'])
      .where('leaf_index', 'in', leaves)
      .execute();
    for (const row of rows) found.set(`0:${Number(row.leaf_index)}`, row.leaf_hash);
  }
  for (const row of await readNodes(db, nodes)) {
    found.set(`${row.level}:${row.index}`, row.hash);
  }
  return plan((level, index) => {
    const hash = found.get(`${level}:${index}`);
    if (hash === undefined) throw new Error(`log node ${level}:${index} is missing`);
    return hash;
  });
}

/**
 * The stored complete-subtree nodes at `nodes` (level ≥ 1, 0-based index within the level), in
 * no particular order; a node not stored is left out.
 */
export async function readNodes(
  db: Db,
  nodes: ReadonlyArray<{ level: number; index: number }>,
): Promise<Array<{ level: number; index: number; hash: Buffer }>> {
  // SQLite parses `a or b or …` as a tree as deep as its terms and refuses one deeper than 1,000
  // ("Expression tree is too large"): an audit of 5,000 leaves asks for about 5,000 nodes.
  const rows = await readInChunks(
    nodes,
    (part) =>
      db
        .selectFrom('log_nodes')
        .select(['level', 'node_index', 'hash'])
        .where((eb) =>
          eb.or(
            part.map((n) => eb.and([eb('level', '=', n.level), eb('node_index', '=', n.index)])),
          ),
        )
        .execute(),
    NODES_PER_READ,
  );
  return rows.map((r) => ({ level: Number(r.level), index: Number(r.node_index), hash: r.hash }));
}

/**
 * The stored complete-subtree nodes in `ranges` (each a level ≥ 1 and the node indices
 * `[from, to]` of that level), in no particular order. One clause per range, so the query stays
 * small whatever the number of nodes (SQLite refuses expressions deeper than 1,000 terms).
 */
export async function readNodeRanges(
  db: Db,
  ranges: ReadonlyArray<{ level: number; from: number; to: number }>,
): Promise<Array<{ level: number; index: number; hash: Buffer }>> {
  if (ranges.length === 0) return [];
  const rows = await db
    .selectFrom('log_nodes')
    .select(['level', 'node_index', 'hash'])
    .where((eb) =>
      eb.or(
        ranges.map((r) =>
          eb.and([
            eb('level', '=', r.level),
            eb('node_index', '>=', r.from),
            eb('node_index', '<=', r.to),
          ]),
        ),
      ),
    )
    .execute();
  return rows.map((r) => ({ level: Number(r.level), index: Number(r.node_index), hash: r.hash }));
}

/** A stored leaf with the event it commits to; `data` is the event's data as stored (canonical JSON text). */
export interface LeafRow extends Omit<LeafEvent, 'data'> {
  leafIndex: number;
  leafHash: Buffer;
  data: string;
}

const leafColumns = [
  'log_leaves.leaf_index',
  'log_leaves.leaf_hash',
  'events.seq',
  'events.at',
  'events.type',
  'events.subject_type',
  'events.subject_id',
  'events.actor',
  'events.data',
] as const;

function mapLeaf(
  row: Omit<Selectable<EventsTable>, 'disclosures' | 'tx'> & {
    leaf_index: number;
    leaf_hash: Buffer;
  },
): LeafRow {
  return {
    leafIndex: Number(row.leaf_index),
    leafHash: row.leaf_hash,
    seq: Number(row.seq),
    at: row.at,
    type: row.type,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    actor: row.actor,
    data: row.data,
  };
}

/**
 * The largest leaf index or event sequence number the store can hold (the columns are SQL
 * `integer`, 32-bit on PostgreSQL): a larger one asked for cannot exist, and PostgreSQL would
 * refuse to compare an `integer` column with it ("out of range"), so it is answered as absent.
 */
const MAX_STORED_INDEX = 2 ** 31 - 1;

/** Leaves `[start, end)` with their events, in index order (none past MAX_STORED_INDEX). */
export async function listLeaves(db: Db, start: number, end: number): Promise<LeafRow[]> {
  if (start > MAX_STORED_INDEX) return [];
  const rows = await db
    .selectFrom('log_leaves')
    .innerJoin('events', 'events.seq', 'log_leaves.event_seq')
    .select(leafColumns)
    .where('log_leaves.leaf_index', '>=', start)
    .where('log_leaves.leaf_index', '<=', Math.min(end - 1, MAX_STORED_INDEX))
    .orderBy('log_leaves.leaf_index')
    .execute();
  return rows.map(mapLeaf);
}

/** A stored leaf with its event's columns as stored, each null when the event row is missing. */
export interface AuditLeafRow {
  leaf_index: number;
  leaf_hash: Buffer;
  event_seq: number;
  seq: number | null;
  at: string | null;
  type: string | null;
  subject_type: string | null;
  subject_id: string | null;
  actor: string | null;
  /** Canonical JSON text. */
  data: string | null;
  /** JSON array text of the sealed fields' disclosures, or null. */
  disclosures: string | null;
}

/**
 * Leaves `[start, end)` in index order with the columns of their events, for the audit (a leaf
 * whose event row was deleted comes with null event columns).
 */
export async function listLeavesForAudit(
  db: Db,
  start: number,
  end: number,
): Promise<AuditLeafRow[]> {
  return db
    .selectFrom('log_leaves')
    .leftJoin('events', 'events.seq', 'log_leaves.event_seq')
    .select([...leafColumns, 'log_leaves.event_seq', 'events.disclosures'])
    .where('log_leaves.leaf_index', '>=', start)
    .where('log_leaves.leaf_index', '<', end)
    .orderBy('log_leaves.leaf_index')
    .execute();
}

/** The leaf of event `seq`, or the first leaf with hash `hash`. */
export async function findLeaf(
  db: Db,
  by: { eventSeq: number } | { leafHash: Uint8Array },
): Promise<LeafRow | undefined> {
  if ('eventSeq' in by && by.eventSeq > MAX_STORED_INDEX) return undefined;
  let query = db
    .selectFrom('log_leaves')
    .innerJoin('events', 'events.seq', 'log_leaves.event_seq')
    .select(leafColumns);
  query =
    'eventSeq' in by
      ? query.where('log_leaves.event_seq', '=', by.eventSeq)
      : query.where('log_leaves.leaf_hash', '=', toBuffer(by.leafHash));
  const row = await query.orderBy('log_leaves.leaf_index').limit(1).executeTakeFirst();
  return row === undefined ? undefined : mapLeaf(row);
}

/** A stored signed tree head. */
export interface TreeHeadRow {
  treeSize: number;
  rootHash: Buffer;
  signedAt: string;
  keyId: string;
  signature: Buffer;
}

function mapTreeHead(row: {
  tree_size: number;
  root_hash: Buffer;
  signed_at: string;
  key_id: string;
  signature: Buffer;
}): TreeHeadRow {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    signedAt: row.signed_at,
    keyId: row.key_id,
    signature: row.signature,
  };
}

/** The signed tree head of the largest size, if any. */
export async function latestTreeHead(db: Db): Promise<TreeHeadRow | undefined> {
  const row = await db
    .selectFrom('log_tree_heads')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : mapTreeHead(row);
}

/** The signed tree head of exactly `treeSize` leaves, if one was signed. */
export async function findTreeHead(db: Db, treeSize: number): Promise<TreeHeadRow | undefined> {
  const row = await db
    .selectFrom('log_tree_heads')
    .selectAll()
    .where('tree_size', '=', treeSize)
    .executeTakeFirst();
  return row === undefined ? undefined : mapTreeHead(row);
}

/** Every signed tree head, smallest size first. */
export async function listTreeHeads(db: Db): Promise<TreeHeadRow[]> {
  const rows = await db.selectFrom('log_tree_heads').selectAll().orderBy('tree_size').execute();
  return rows.map(mapTreeHead);
}

/** Stores a tree head unless one of that size exists (another process signed it first). */
export async function insertTreeHead(db: Db, head: TreeHeadRow): Promise<void> {
  await db
    .insertInto('log_tree_heads')
    .values({
      tree_size: head.treeSize,
      root_hash: head.rootHash,
      signed_at: head.signedAt,
      key_id: head.keyId,
      signature: head.signature,
    })
    .onConflict((oc) => oc.column('tree_size').doNothing())
    .execute();
}
