import type { Kysely, Migration } from 'kysely';

/**
 * What lets the hash-list publisher run incrementally (issue 14; search/hash-lists.service.ts):
 * `hash_holdings`, the full hashes each holder (a case, or `''` for the published blocklist)
 * contributed at the publisher's last run, with the facts that rank it (compareSeverity), so a
 * changed case's old hashes and every other holder of them are found without reading the whole
 * store; and `hash_list_cursor`, the one row saying how far in lookup_changes (migration 0022)
 * those holdings are applied. Lists published before this migration have no cursor: the next run
 * recomputes them in full and fills both.
 */
export const hashListHoldings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('hash_holdings')
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('list_name', 'text', (c) => c.notNull())
      .addColumn('full_hash', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('report_count', 'integer', (c) => c.notNull())
      .addColumn('first_reported_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hash_holdings_pk', ['holder', 'list_name', 'full_hash'])
      .execute();
    // Every holder of a few full hashes.
    await db.schema
      .createIndex('hash_holdings_hash_idx')
      .on('hash_holdings')
      .columns(['list_name', 'full_hash'])
      .execute();
    await db.schema
      .createTable('hash_list_cursor')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('change_id', 'bigint', (c) => c.notNull())
      .addColumn('horizon', 'text')
      .addColumn('rules', 'integer', (c) => c.notNull())
      .addColumn('full_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('hash_list_cursor').execute();
    await db.schema.dropTable('hash_holdings').execute();
  },
};
