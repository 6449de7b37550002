import type { Generated } from 'kysely';

/**
 * Tables of the evidence capability: the audit trail of every state change, the RFC 9162 Merkle
 * log over it, signed tree heads, captures of reported content and the blob index.
 */
export interface EvidenceTables {
  events: EventsTable;
  log_head: LogHeadTable;
  log_leaves: LogLeavesTable;
  log_nodes: LogNodesTable;
  log_tree_heads: LogTreeHeadsTable;
  evidence_blobs: EvidenceBlobsTable;
  evidence_blob_contents: EvidenceBlobContentsTable;
  evidence_captures: EvidenceCapturesTable;
}

/** The bytes of a blob kept in the store (evidence/blob-store.ts DatabaseBlobStore). */
export interface EvidenceBlobContentsTable {
  /** Lowercase hex SHA-256 of `content`. */
  sha256: string;
  content: Uint8Array;
}

/**
 * One state change of a case, report, notice or blocklist entry, append-only. `seq` orders the
 * trail; `data` is the event's public JSON that its log leaf commits to (canonical form, see
 * evidence/events.ts); `disclosures` the JSON array of its sealed fields' RFC 9901 disclosures
 * (staff only, evidence/disclosure.ts), or null.
 */
export interface EventsTable {
  seq: Generated<number>;
  at: string;
  type: string;
  subject_type: string;
  subject_id: string;
  actor: string;
  data: string;
  disclosures: string | null;
  /**
   * PostgreSQL only (migration 0036): the writing transaction's ID (txid_current()), so the log's
   * sequencer finds events that became visible after higher `seq`s were sequenced; absent on
   * SQLite, null for events stored before 0036.
   */
  tx: Generated<string | null>;
}

/**
 * The single row (`id` = 1) holding the log's size and its frontier: the hashes of the maximal
 * complete subtrees covering `[0, tree_size)`, largest first, 32 bytes each, concatenated.
 * Only the log's sequencer (log/sequencer.ts) appends, under the row lock.
 */
export interface LogHeadTable {
  id: number;
  tree_size: number;
  frontier: Buffer;
  /**
   * PostgreSQL: the oldest transaction ID still running at the sequencer's last read of the
   * events (txid_snapshot_xmin), as text or number; null on SQLite and before the first read
   * (migration 0036).
   */
  horizon: string | number | null;
}

/** Leaf `leaf_index` (0-based) of the log: the event it commits to and its RFC 9162 leaf hash. */
export interface LogLeavesTable {
  leaf_index: number;
  event_seq: number;
  leaf_hash: Buffer;
}

/** Hash of every complete subtree at `level` ≥ 1 (leaves `[node_index·2^level, …+2^level)`). */
export interface LogNodesTable {
  level: number;
  node_index: number;
  hash: Buffer;
}

/** A signed tree head (RFC 9162 §4.10 TreeHeadDataV2 signed with Ed25519). */
export interface LogTreeHeadsTable {
  tree_size: number;
  root_hash: Buffer;
  /** ISO 8601 UTC, millisecond precision: the signed timestamp. */
  signed_at: string;
  /** Lowercase hex SHA-256 of the signing key's SubjectPublicKeyInfo DER. */
  key_id: string;
  signature: Buffer;
}

/** A blob in the content-addressed store: lowercase hex SHA-256 of its bytes. */
export interface EvidenceBlobsTable {
  sha256: string;
  size: number;
  content_type: string;
  created_at: string;
}

/** One capture of one URL: the hops, the final body and optional screenshot, and its outcome. */
export interface EvidenceCapturesTable {
  id: string;
  case_id: string | null;
  /** `capture` (analyst request) or `recheck` (takedown monitoring). */
  purpose: string;
  url: string;
  final_url: string | null;
  /** `fetched`, `refused` (SSRF policy) or `failed` (network, timeout, limits). */
  outcome: string;
  error_code: string | null;
  error_message: string | null;
  status_code: number | null;
  content_type: string | null;
  body_sha256: string | null;
  body_size: number | null;
  /** 1 when the body was cut at CAPTURE_MAX_BYTES. */
  body_truncated: number;
  title: string | null;
  screenshot_sha256: string | null;
  /** JSON array of hops: url, address, status, location, headers, startedAt, elapsedMs. */
  hops: string;
  /** For re-checks: `live`, `removed` or `unknown`, and why. */
  observed_state: string | null;
  observed_reason: string | null;
  actor: string;
  started_at: string;
  completed_at: string;
  /** The audit event (and so the log leaf) recording this capture. */
  event_seq: number | null;
}
