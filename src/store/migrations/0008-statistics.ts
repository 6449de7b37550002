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

    // Every figure is a count over one index range (no GROUP BY, no row lookups): one range per
    // verdict × platform, verdict × scam type, platform (new cases); see stats.repo.ts.
    const indexes: Array<[string, 'reports' | 'cases' | 'takedown_notices', string[]]> = [
      ['reports_received_stats_idx', 'reports', ['received_at']],
      ['cases_platform_first_stats_idx', 'cases', ['platform', 'first_reported_at']],
      ['cases_verdict_platform_stats_idx', 'cases', ['verdict', 'platform', 'decided_at']],
      ['cases_verdict_type_stats_idx', 'cases', ['verdict', 'scam_type', 'decided_at']],
      ['cases_decided_stats_idx', 'cases', ['decided_at', 'verdict', 'impersonated_entity_id']],
      [
        'notices_sent_stats_idx',
        'takedown_notices',
        ['sent_at', 'platform', 'state', 'first_deadline_at', 'resolved_at', 'missed_deadlines'],
      ],
    ];
    for (const [name, table, columns] of indexes) {
      await db.schema.createIndex(name).on(table).columns(columns).execute();
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const index of [
      'notices_sent_stats_idx',
      'cases_decided_stats_idx',
      'cases_verdict_type_stats_idx',
      'cases_verdict_platform_stats_idx',
      'cases_platform_first_stats_idx',
      'reports_received_stats_idx',
    ]) {
      await db.schema.dropIndex(index).execute();
    }
    await db.schema.dropTable('bulletins').execute();
  },
};
