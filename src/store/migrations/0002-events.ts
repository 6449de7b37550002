import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

/** The append-only audit trail of state changes (evidence/events.ts). */
export const events: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('events')
      .addColumn('seq', 'integer', (c) =>
        sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('events_subject_idx')
      .on('events')
      .columns(['subject_type', 'subject_id', 'seq'])
      .execute();
    await db.schema.createIndex('events_at_idx').on('events').columns(['at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('events').execute();
  },
};
