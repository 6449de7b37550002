import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/index.js';

let rowCount = 0;

/**
 * Writes a blocklist entry row with SQL, bypassing the service's checks, as an older version of
 * scamnet (or a hand edit) could have left it: tests use it to show that every way out (zones,
 * feeds, resolvers) still refuses or repairs such rows. `treeKey: 'none'` leaves the reversed-name key unset, as before migration 0017.
 * Returns the row's id (`BRAW` + a counter unless `id` is given).
 */
export async function insertLegacyEntry(
  db: Kysely<Database>,
  entry: {
    domain: string;
    state: 'active' | 'proposed';
    /** ISO 8601 instant of the row's timestamps. */
    at: string;
    id?: string;
    treeKey?: 'none' | 'computed';
    requestingUnit?: string;
    /** Of an active row; a court ruling `R-legacy` of 2026-01-01 when left out. */
    legalBasis?: {
      kind: 'court_ruling' | 'administrative_disposition';
      reference: string;
      date: string;
    };
  },
): Promise<string> {
  rowCount += 1;
  const id = entry.id ?? `BRAW${String(rowCount).padStart(9, '0')}`;
  const active = entry.state === 'active';
  const basis = entry.legalBasis ?? {
    kind: 'court_ruling',
    reference: 'R-legacy',
    date: '2026-01-01',
  };
  await db
    .insertInto('blocklist_entries')
    .values({
      id,
      domain: entry.domain,
      tree_key: entry.treeKey === 'none' ? null : `${entry.domain.split('.').reverse().join('.')}.`,
      state: entry.state,
      legal_basis: active ? basis.kind : null,
      legal_reference: active ? basis.reference : null,
      legal_date: active ? basis.date : null,
      requesting_unit: active ? (entry.requestingUnit ?? 'legacy') : null,
      site_type: null,
      effective_at: active ? entry.at : null,
      expires_at: null,
      source: 'legacy',
      external_id: null,
      note: null,
      created_at: entry.at,
      updated_at: entry.at,
    })
    .execute();
  return id;
}
