import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/** Rows backfilled per round trip. */
const BATCH = 500;

/**
 * The DNS tree key of every blocklist entry (issue 13): its domain's labels in reverse order,
 * each followed by a dot (`shop.example.com` → `com.example.shop.`), so the entries under a
 * domain are one index range (`com.example.` ≤ key < `com.example/`). The RPZ zone's IXFR journal
 * needs them on every change: an active entry under another active entry is not published (the
 * ancestor's wildcard covers it), so adding or lifting a domain changes what is published under
 * it. On PostgreSQL the column compares bytes (collation "C"), as SQLite's BINARY does, whatever
 * the database's collation, so the range holds. Existing rows are filled in here (the formula is
 * repeated on purpose: a migration never changes with the code).
 */
export const blocklistTreeKey: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .alterTable('blocklist_entries')
      .addColumn('tree_key', sqlite ? 'text' : sql`text collate "C"`)
      .execute();
    for (;;) {
      const rows = await sql<{ id: string; domain: string }>`
        select id, domain from blocklist_entries where tree_key is null order by id limit ${BATCH}
      `.execute(db);
      if (rows.rows.length === 0) break;
      for (const row of rows.rows) {
        const key = `${row.domain.split('.').reverse().join('.')}.`;
        await sql`update blocklist_entries set tree_key = ${key} where id = ${row.id}`.execute(db);
      }
    }
    await db.schema
      .createIndex('blocklist_entries_tree_idx')
      .on('blocklist_entries')
      .columns(['state', 'tree_key'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('blocklist_entries_tree_idx').execute();
    await db.schema.alterTable('blocklist_entries').dropColumn('tree_key').execute();
  },
};
