import type { Generated } from 'kysely';

/**
 * The lookup index's change table (issue 14, migration 0022): one row per case whose lookup data
 * (its row, indicators, merge keys or reports) changed, written by triggers in the writing
 * transaction. Rows are only read after the last ID a node applied and pruned beyond the newest
 * LOOKUP_CHANGES_KEPT (search/lookup-index.ts).
 */
export interface LookupTables {
  lookup_changes: LookupChangesTable;
}

export interface LookupChangesTable {
  /** Increasing ID (bigserial on PostgreSQL, read back as a string there; rowid on SQLite). */
  id: Generated<number | string>;
  case_id: string;
  /** PostgreSQL only: the writing transaction's ID (txid_current()). */
  tx: Generated<string | null>;
}
