/**
 * Tables of the privacy-preserving hash-prefix API (issue 14, search/hash-lists.service.ts): the
 * published warn-worthy entries with their SHA-256 full hashes, and each list's versions with
 * the prefixes added and removed in each, from which incremental updates are answered. Written
 * only by the publisher, under its lock, so every node on one PostgreSQL serves the same
 * versions.
 */
export interface HashListTables {
  hash_lists: HashListsTable;
  hash_list_versions: HashListVersionsTable;
  hash_list_changes: HashListChangesTable;
  hash_entries: HashEntriesTable;
  hash_holdings: HashHoldingsTable;
  hash_list_cursor: HashListCursorTable;
}

/** One list (`urls`, `indicators`) and its current published version. */
export interface HashListsTable {
  name: string;
  /** The current version, 1 for the first publication; grows by one per change of the prefix set. */
  version: number;
  /** Base64 SHA-256 of the concatenated sorted distinct 4-byte prefixes of `version`. */
  checksum: string;
  /** Distinct prefixes in `version`. */
  prefix_count: number;
  /** ISO 8601 UTC: when `version` was published. */
  published_at: string;
  /** ISO 8601 UTC: when the publisher last compared the warn-worthy set with the list. */
  checked_at: string;
}

/** One published version of a list; rows older than the kept history are deleted. */
export interface HashListVersionsTable {
  list_name: string;
  version: number;
  published_at: string;
  /** Prefixes added and removed by this version (its hash_list_changes rows). */
  additions: number;
  removals: number;
}

/** A distinct 4-byte prefix added to (`add`) or removed from (`del`) a list in `version`. */
export interface HashListChangesTable {
  list_name: string;
  version: number;
  /** 8 lower-case hex digits (the 4 bytes, big-endian), so text order is byte order. */
  prefix: string;
  op: string;
}

/** One warn-worthy full hash as currently published, with what a client is told about it. */
export interface HashEntriesTable {
  list_name: string;
  /** SHA-256 of the hash input (README "Private checks"), 64 lower-case hex digits. */
  full_hash: string;
  /** The first 8 hex digits of `full_hash`. */
  prefix: string;
  /** The indicator type the hash input is of: `url`, `domain`, `phone`, `line_id`, … */
  kind: string;
  /** The public case state a client shows (CaseStatus): the most serious holder's. */
  status: string;
}

/**
 * One full hash a holder contributed at the publisher's last run (migration 0035): a case's
 * warn-worthy indicator, or a published blocklist domain (holder `''`), with the facts that rank
 * it against the hash's other holders (compareSeverity). A hash's entry is its most serious
 * holding's kind and state.
 */
export interface HashHoldingsTable {
  /** The case ID, or `''` for the published blocklist. */
  holder: string;
  list_name: string;
  /** 64 lower-case hex digits, as hash_entries.full_hash. */
  full_hash: string;
  kind: string;
  /** The holder's public state (CaseStatus); `blocked` for the blocklist. */
  status: string;
  verdict: string;
  report_count: number;
  /** ISO 8601 UTC; U+FFFF for the blocklist (after every case). */
  first_reported_at: string;
}

/** How far the publisher applied lookup_changes (one row, `id` 1). */
export interface HashListCursorTable {
  id: number;
  /** The highest lookup_changes ID applied. */
  change_id: number;
  /**
   * PostgreSQL: the snapshot taken before the changes were last read (`xmin:xmax:xip,…`, rows of
   * transactions it could not see are read again; a bare transaction ID from an older release
   * reads as `h:h:`); null on SQLite.
   */
  horizon: string | null;
  /** The publisher's rules the holdings were made with (HASH_HOLDING_RULES). */
  rules: number;
  /** When the holdings were last recomputed from the whole store (ISO 8601 UTC). */
  full_at: string;
}
