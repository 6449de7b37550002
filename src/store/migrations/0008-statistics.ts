import type { Kysely, Migration } from 'kysely';

/**
 * Statistics: the weekly bulletins (週快訊) analysts write reminders for and publish, and the
 * covering indexes that let the statistics queries count a year of cases from indexes alone
 * (measured by bench/stats.ts).
 */
export const statistics: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('bulletins')
      .addColumn('week', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reminders', 'text', (c) => c.notNull())
      .addColumn('snapshot', 'text')
      .addColumn('published_at', 'text')
      .addColumn('published_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('bulletins_published_idx')
      .on('bulletins')
      .columns(['state', 'published_at'])
      .execute();

    await db.schema
      .createIndex('reports_received_stats_idx')
      .on('reports')
      .columns(['received_at', 'case_id'])
      .execute();
    await db.schema
      .createIndex('cases_first_reported_stats_idx')
      .on('cases')
      .columns(['first_reported_at', 'platform', 'scam_type'])
      .execute();
    await db.schema
      .createIndex('cases_decided_stats_idx')
      .on('cases')
      .columns(['decided_at', 'verdict', 'platform', 'scam_type', 'impersonated_entity_id'])
      .execute();
    await db.schema
      .createIndex('cases_id_platform_stats_idx')
      .on('cases')
      .columns(['id', 'platform'])
      .execute();
    await db.schema
      .createIndex('notices_sent_stats_idx')
      .on('takedown_notices')
      .columns(['sent_at', 'platform'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const index of [
      'notices_sent_stats_idx',
      'cases_id_platform_stats_idx',
      'cases_decided_stats_idx',
      'cases_first_reported_stats_idx',
      'reports_received_stats_idx',
    ]) {
      await db.schema.dropIndex(index).execute();
    }
    await db.schema.dropTable('bulletins').execute();
  },
};
