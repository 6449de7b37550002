import type { Kysely, Migration } from 'kysely';

/**
 * Hourly view counts of public case pages (store/schema-views.ts): one row per case and UTC hour,
 * incremented with an upsert on the primary key. The `(bucket, case_id, views)` index answers
 * "most viewed in the last N hours" and the pruning of old hours from the index alone.
 */
export const caseViews: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('case_views')
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('case_views_pk', ['case_id', 'bucket'])
      .execute();
    await db.schema
      .createIndex('case_views_bucket_idx')
      .on('case_views')
      .columns(['bucket', 'case_id', 'views'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('case_views').execute();
  },
};
