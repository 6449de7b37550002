import type { Generated } from 'kysely';

/**
 * The lookup index's change table (issue 14, migration 0022): one row per case whose lookup data
 * (its row, indicators, merge keys or reports) changed, written by triggers in the writing
 * transaction. A reader reads the rows after the last ID it applied and, on PostgreSQL, those of
 * transactions its last snapshot could not see (search/lookup-index.repo.ts changesUnseen); rows
 * beyond the newest LOOKUP_INDEX_LIMITS.changesKept are pruned once no known reader needs them.
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
