import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

/*
 * Word back to the reporter (issue 15): people who follow a case — a Web Push subscription from
 * the web, or a LINE user's pseudonym — and one delivery record per (follower, public state), whose
 * unique key makes "at most one message per state change" hold with several nodes and retries.
 */
export const caseFollowers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('case_followers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('initial_status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('case_followers_target_key', ['case_id', 'channel', 'target_key'])
      .execute();
    await db.schema
      .createTable('case_follower_deliveries')
      .addColumn('id', sqlite ? 'integer' : 'bigserial', (c) =>
        sqlite ? c.primaryKey().autoIncrement() : c.primaryKey(),
      )
      .addColumn('follower_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('failed_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('case_follower_deliveries_once', ['follower_id', 'status'])
      .execute();
    await db.schema
      .createIndex('case_follower_deliveries_due_idx')
      .on('case_follower_deliveries')
      .columns(['sent_at', 'failed_at', 'next_attempt_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('case_follower_deliveries').execute();
    await db.schema.dropTable('case_followers').execute();
  },
};
