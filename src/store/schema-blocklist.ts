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
}

/** One domain to block. Never deleted: `state` moves proposed → active → appealed/lifted/expired. */
export interface BlocklistEntriesTable {
  /** `B` + 12 Crockford base32 characters. */
  id: string;
  /** Lower-case ASCII (punycode) host or registrable domain, no trailing dot. */
  domain: string;
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
