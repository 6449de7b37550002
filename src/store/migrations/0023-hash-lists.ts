import type { Kysely, Migration } from 'kysely';

/**
 * The privacy-preserving hash-prefix API (issue 14; store/schema-hashlists.ts): published
 * entries by full hash (found by prefix), each list's current version, and the changes of every
 * kept version for incremental updates. Prefixes and hashes are lower-case hex text on both
 * dialects, so text order is byte order.
 */
export const hashLists: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('hash_lists')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('checksum', 'text', (c) => c.notNull())
      .addColumn('prefix_count', 'integer', (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('hash_list_versions')
      .addColumn('list_name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('additions', 'integer', (c) => c.notNull())
      .addColumn('removals', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('hash_list_versions_pk', ['list_name', 'version'])
      .execute();
    await db.schema
      .createTable('hash_list_changes')
      .addColumn('list_name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hash_list_changes_pk', ['list_name', 'version', 'prefix'])
      .execute();
    await db.schema
      .createTable('hash_entries')
      .addColumn('list_name', 'text', (c) => c.notNull())
      .addColumn('full_hash', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hash_entries_pk', ['list_name', 'full_hash'])
      .execute();
    // A list's prefixes in order (a whole list, covering), and the entries of a few prefixes.
    await db.schema
      .createIndex('hash_entries_prefix_idx')
      .on('hash_entries')
      .columns(['list_name', 'prefix'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('hash_entries').execute();
    await db.schema.dropTable('hash_list_changes').execute();
    await db.schema.dropTable('hash_list_versions').execute();
    await db.schema.dropTable('hash_lists').execute();
  },
};
