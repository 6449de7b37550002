/**
 * The public, read-only side of the Merkle log: signed tree heads, proofs and entries. Events are
 * recorded by recordEvent (events.ts) inside the transactions that change state, and appended
 * after commit by the sequencer (sequencer.ts).
 */
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, notFound } from '../shared/errors.js';
import { resolveLogKey, signTreeHeadData } from './log-key.js';
import {
  findLeaf,
  findTreeHead,
  insertTreeHead,
  latestTreeHead,
  listLeaves,
  readHead,
  withStoredNodes,
  type LeafRow,
  type TreeHeadRow,
} from './log.repo.js';
import { eventExists } from './events.repo.js';
import { eventLeafInput } from './leaf.js';
import { consistencyProof, frontierRoot, inclusionProof, toHex } from './merkle.js';

/** Most entries one `GET /api/v1/log/entries` returns. */
export const MAX_ENTRIES_PER_REQUEST = 1_000;

/** A signed tree head as JSON (hashes and signature lowercase hex). */
export interface SignedTreeHead {
  treeSize: number;
  /** Milliseconds since the Unix epoch: the signed timestamp. */
  timestamp: number;
  /** The same instant, ISO 8601 UTC. */
  signedAt: string;
  rootHash: string;
  /** Ed25519 over RFC 9162 TreeHeadDataV2 (see encodeTreeHeadData). */
  signature: string;
  keyId: string;
}

/** The log's public key as `GET /api/v1/log/key` publishes it. */
export interface LogPublicKey {
  algorithm: 'Ed25519';
  publicKeyPem: string;
  keyId: string;
  /** How tree-head signatures are made, for verifiers. */
  signedData: string;
}

/** An inclusion proof with what a verifier needs beside it. */
export interface InclusionProofResponse {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  /** Audit path, leaf upward (RFC 9162 §2.1.3.1). */
  proof: string[];
  /** The signed tree head of `treeSize` when one was signed (always for the default size). */
  signedTreeHead: SignedTreeHead | null;
}

/** A consistency proof with the signed tree heads of both sizes when they were signed. */
export interface ConsistencyProofResponse {
  first: number;
  second: number;
  /** RFC 9162 §2.1.4.1, smaller tree upward. */
  proof: string[];
  firstTreeHead: SignedTreeHead | null;
  secondTreeHead: SignedTreeHead | null;
}

/** One log entry: the exact leaf input and its hash. */
export interface LogEntry {
  leafIndex: number;
  leafHash: string;
  /** The RFC 8785 canonical JSON hashed as the leaf (UTF-8). */
  leafInput: string;
  eventSeq: number;
}

/** Presents a stored tree head. */
export function presentTreeHead(row: TreeHeadRow): SignedTreeHead {
  return {
    treeSize: row.treeSize,
    timestamp: Date.parse(row.signedAt),
    signedAt: row.signedAt,
    rootHash: toHex(row.rootHash),
    signature: toHex(row.signature),
    keyId: row.keyId,
  };
}

/** The log's public key. @throws Error when the configured key cannot be read. */
export function getLogPublicKey(deps: Pick<ServiceDeps, 'config'>): LogPublicKey {
  const key = resolveLogKey(deps.config);
  return {
    algorithm: 'Ed25519',
    publicKeyPem: key.publicKeyPem,
    keyId: key.keyId,
    signedData:
      'RFC 9162 section 4.10 TreeHeadDataV2: uint64 timestamp (ms) || uint64 tree_size || ' +
      'uint8 32 || root_hash || uint16 0, big-endian; Ed25519 (RFC 8032)',
  };
}

/**
 * The signed tree head of the log as it is now: the stored one when the log has not grown since
 * it was signed, else a new one signed with the clock's time (never earlier than the previous
 * head's) and stored. Safe under concurrency: one head per size is kept.
 */
export async function getSignedTreeHead(deps: ServiceDeps): Promise<SignedTreeHead> {
  const head = await readHead(deps.db);
  const latest = await latestTreeHead(deps.db);
  if (latest !== undefined && latest.treeSize >= head.size) return presentTreeHead(latest);
  const key = resolveLogKey(deps.config);
  const timestamp = Math.max(
    deps.clock.now(),
    latest === undefined ? 0 : Date.parse(latest.signedAt),
  );
  const rootHash = Buffer.from(frontierRoot(head));
  const signature = signTreeHeadData(key.privateKey, { timestamp, treeSize: head.size, rootHash });
  await insertTreeHead(deps.db, {
    treeSize: head.size,
    rootHash,
    signedAt: isoTime(timestamp),
    keyId: key.keyId,
    signature,
  });
  const stored = await findTreeHead(deps.db, head.size);
  if (stored === undefined) throw new Error('the signed tree head was not stored');
  deps.log.info({ treeSize: head.size }, 'log tree head signed');
  return presentTreeHead(stored);
}

async function checkedSize(deps: ServiceDeps, size: number | undefined): Promise<number> {
  if (size === undefined) return (await getSignedTreeHead(deps)).treeSize;
  const head = await readHead(deps.db);
  if (size > head.size) {
    throw badRequest(
      'tree_size_too_large',
      `The log has ${head.size} leaves, not ${size}.`,
      'size',
    );
  }
  return size;
}

async function treeHeadOf(deps: ServiceDeps, size: number): Promise<SignedTreeHead | null> {
  const row = await findTreeHead(deps.db, size);
  return row === undefined ? null : presentTreeHead(row);
}

/**
 * The inclusion proof of one leaf, found by index, event sequence number or leaf hash, in the
 * tree of `size` leaves (default: the latest signed tree head, signed now if needed).
 * O(log n) node reads and hashing.
 * @throws AppError 404 `leaf_not_found`, or `leaf_not_yet_integrated` for an event recorded but
 *   not yet appended by the sequencer (within LOG_SEQUENCE_MS); 400 `tree_size_too_large` (field `size`) or
 *   `leaf_not_in_tree` when the leaf is not among the first `size` leaves.
 */
export async function getInclusionProof(
  deps: ServiceDeps,
  leaf: { leafIndex: number } | { eventSeq: number } | { leafHash: Uint8Array },
  size?: number,
): Promise<InclusionProofResponse> {
  const row =
    'leafIndex' in leaf
      ? (await listLeaves(deps.db, leaf.leafIndex, leaf.leafIndex + 1))[0]
      : await findLeaf(deps.db, leaf);
  if (row === undefined) {
    if ('eventSeq' in leaf && (await eventExists(deps.db, leaf.eventSeq))) {
      throw notFound(
        'leaf_not_yet_integrated',
        `Event ${leaf.eventSeq} is recorded but not yet in the log: the sequencer appends it ` +
          'within LOG_SEQUENCE_MS (GET /api/v1/log/sth says how many events wait).',
      );
    }
    throw notFound('leaf_not_found', 'No such leaf in the log.');
  }
  const treeSize = await checkedSize(deps, size);
  if (row.leafIndex >= treeSize) {
    throw badRequest(
      'leaf_not_in_tree',
      `Leaf ${row.leafIndex} is not in the tree of ${treeSize} leaves.`,
      'size',
    );
  }
  const proof = await withStoredNodes(deps.db, (read) =>
    inclusionProof(read, row.leafIndex, treeSize),
  );
  return {
    leafIndex: row.leafIndex,
    treeSize,
    leafHash: toHex(row.leafHash),
    proof: proof.map(toHex),
    signedTreeHead: await treeHeadOf(deps, treeSize),
  };
}

/**
 * The consistency proof between the trees of `first` and `second` leaves (default second: the
 * latest signed tree head). O(log n) node reads and hashing.
 * @throws AppError 400 `invalid_tree_sizes` unless 0 < first ≤ second ≤ the log's size.
 */
export async function getConsistencyProof(
  deps: ServiceDeps,
  first: number,
  second?: number,
): Promise<ConsistencyProofResponse> {
  const size = await checkedSize(deps, second);
  if (first < 1 || first > size) {
    throw badRequest('invalid_tree_sizes', `first must be from 1 to ${size}.`, 'first');
  }
  const proof = await withStoredNodes(deps.db, (read) => consistencyProof(read, first, size));
  return {
    first,
    second: size,
    proof: proof.map(toHex),
    firstTreeHead: await treeHeadOf(deps, first),
    secondTreeHead: await treeHeadOf(deps, size),
  };
}

/** Presents a stored leaf, recomputing its leaf input from the event. */
export function presentEntry(row: LeafRow): LogEntry {
  return {
    leafIndex: row.leafIndex,
    leafHash: toHex(row.leafHash),
    leafInput: eventLeafInput({
      seq: row.seq,
      at: row.at,
      type: row.type,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      actor: row.actor,
      data: JSON.parse(row.data),
    }),
    eventSeq: row.seq,
  };
}

/**
 * Entries `start` to `end` inclusive (as RFC 6962 get-entries), at most
 * MAX_ENTRIES_PER_REQUEST; fewer when the log is shorter.
 * @throws AppError 400 `invalid_range` unless 0 ≤ start ≤ end.
 */
export async function getEntries(
  deps: ServiceDeps,
  start: number,
  end: number,
): Promise<LogEntry[]> {
  if (start < 0 || end < start) {
    throw badRequest('invalid_range', 'start and end must satisfy 0 ≤ start ≤ end.', 'end');
  }
  const last = Math.min(end, start + MAX_ENTRIES_PER_REQUEST - 1);
  const rows = await listLeaves(deps.db, start, last + 1);
  return rows.map(presentEntry);
}
