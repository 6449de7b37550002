/**
 * Tables of the blocklist capability: entries (a domain to block with its legal basis), the cases
 * behind them, and the RPZ zone's version journal (one row per SOA serial, one change row per
 * domain added to or removed from the published set), from which IXFR answers are built.
 */
export interface BlocklistTables {
  blocklist_entries: BlocklistEntriesTable;
  blocklist_entry_cases: BlocklistEntryCasesTable;
  rpz_versions: RpzVersionsTable;
  rpz_changes: RpzChangesTable;
  feed_indicators: FeedIndicatorsTable;
}

/** One domain to block. Never deleted: `state` moves proposed → active → appealed/lifted/expired. */
export interface BlocklistEntriesTable {
  /** `B` + 12 Crockford base32 characters. */
  id: string;
  /** Lower-case ASCII (punycode) host or registrable domain, no trailing dot. */
  domain: string;
  /**
   * The domain's labels in reverse order, each followed by a dot (`shop.example.com` →
   * `com.example.shop.`): the entries under a domain are one index range. Set on insert; null
   * only for a row written around the repo (the zone's journal then finds it by a scan).
   */
  tree_key: string | null;
  /** `proposed`, `active`, `appealed`, `lifted`, `expired`. */
  state: string;
  /** `court_ruling`, `administrative_disposition`, `emergency_order`, or null (none yet). */
  legal_basis: string | null;
  /** Reference number of the ruling or disposition. */
  legal_reference: string | null;
  /** Date of the ruling or disposition, `YYYY-MM-DD`. */
  legal_date: string | null;
  /** The unit that requested the block (聲請單位), e.g. 刑事警察局詐欺犯罪防制中心. */
  requesting_unit: string | null;
  /** Site type (網站性質), e.g. 金融保險, 電子商務, 釣魚網站. */
  site_type: string | null;
  /** ISO 8601 UTC: when the block took effect (set on activation). */
  effective_at: string | null;
  /** ISO 8601 UTC: when the block lapses, or null for no expiry. */
  expires_at: string | null;
  /** Where the entry came from: `case`, `api`, `tw165`, a file name, … */
  source: string;
  /** The source's own identifier, for idempotent imports (unique per source). */
  external_id: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

/** The cases behind an entry (many to many). */
export interface BlocklistEntryCasesTable {
  entry_id: string;
  case_id: string;
  created_at: string;
}

/**
 * One version of the RPZ zone. `serial` is the SOA serial (RFC 1982 arithmetic, strictly
 * increasing, so it may wrap past 2^32 − 1); `seq` the version's position in the journal (1, 2, 3…,
 * the order to read versions in); `policy` names the rendering policy in force (action and
 * target), so IXFR across a policy change falls back to AXFR.
 */
export interface RpzVersionsTable {
  serial: number;
  seq: number;
  at: string;
  policy: string;
  changes: number;
}

/** A domain added to (`add`) or removed from (`del`) the published set in version `serial`. */
export interface RpzChangesTable {
  serial: number;
  domain: string;
  op: string;
}

/**
 * One indicator object of the STIX and MISP feeds (the publication ledger, see migration
 * 0014-feed-indicators): its ID, when it was first published, its latest version and content,
 * and when it left the published set. Never deleted; a revoked row is never published again.
 */
export interface FeedIndicatorsTable {
  /** UUID (version 4): the STIX `indicator--` ID and the seed of the MISP attribute UUID. */
  id: string;
  /** `domain` or `url`. */
  kind: string;
  /** The published value: lower-case ASCII domain, or the RFC 3986 form of a canonical URL. */
  value: string;
  /** The entry the latest version describes (the most specific active entry covering it). */
  entry_id: string;
  /** JSON of the latest version's content (legal basis, unit, site type, validity). */
  content: string;
  /** ISO 8601 UTC: first published (STIX `created`). */
  created_at: string;
  /** ISO 8601 UTC: latest version (STIX `modified`, MISP attribute `timestamp`). */
  modified_at: string;
  /** ISO 8601 UTC: when it left the published set, or null while published. */
  revoked_at: string | null;
}
