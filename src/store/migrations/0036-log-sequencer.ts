import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * What lets the evidence log be appended after commit by one sequencer (issue 17; RFC 9162's
 * merge delay, log/sequencer.ts) instead of inside every writer's transaction under the log
 * head's row lock:
 * - PostgreSQL: `events.tx`, the writing transaction's ID (txid_current()), indexed. PostgreSQL
 *   hands out `seq` before commit, so an event can become visible after a higher one was
 *   sequenced; the sequencer re-reads the events of transactions still running at its last read
 *   (as search/lookup-index.repo.ts does for lookup_changes). SQLite serialises writers: its
 *   events become visible in `seq` order and need no such column.
 * - `log_head.horizon`: the oldest transaction still running at the sequencer's last read
 *   (PostgreSQL; null on SQLite and before the first read), kept with the head so any node's
 *   sequencer, or the next start after a crash, resumes from it.
 * Every event stored before this migration is already a leaf (they were appended at commit).
 */
export const logSequencer: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema.alterTable('log_head').addColumn('horizon', 'bigint').execute();
    if (sqlite) return;
    // Added without a default, then given one: a volatile default in ADD COLUMN would rewrite
    // the whole table to fill the existing rows; they keep null (all are leaves already).
    await db.schema.alterTable('events').addColumn('tx', 'bigint').execute();
    await db.schema
      .alterTable('events')
      .alterColumn('tx', (c) => c.setDefault(sql`txid_current()`))
      .execute();
    await db.schema.createIndex('events_tx_idx').on('events').column('tx').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (!sqlite) {
      await db.schema.dropIndex('events_tx_idx').execute();
      await db.schema.alterTable('events').dropColumn('tx').execute();
    }
    await db.schema.alterTable('log_head').dropColumn('horizon').execute();
  },
};
