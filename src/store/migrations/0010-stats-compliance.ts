import type { Kysely, Migration } from 'kysely';

/**
 * Statistics: a covering index for takedown compliance, led by the platform so that one GROUP BY
 * per period counts each platform's notices sent in a range from the index alone, and the median
 * and p90 hours to removal read only the index (src/takedown/compliance.ts, bench/stats.ts). It
 * replaces `notices_platform_idx` (platform, sent_at), a prefix of it: with both, SQLite's planner
 * sometimes preferred the smaller one and looked up every row.
 */
export const statsCompliance: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('notices_platform_sent_stats_idx')
      .on('takedown_notices')
      .columns([
        'platform',
        'sent_at',
        'state',
        'resolved_at',
        'first_deadline_at',
        'missed_deadlines',
      ])
      .execute();
    await db.schema.dropIndex('notices_platform_idx').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('notices_platform_idx')
      .on('takedown_notices')
      .columns(['platform', 'sent_at'])
      .execute();
    await db.schema.dropIndex('notices_platform_sent_stats_idx').execute();
  },
};
