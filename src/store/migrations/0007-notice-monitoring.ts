import type { Kysely, Migration } from 'kysely';

/** Re-check bookkeeping of takedown notices (evidence/takedown-monitor.ts hooks). */
export const noticeMonitoring: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const column of ['last_checked_at', 'removal_observed_at', 'claim_contradicted_at']) {
      await db.schema.alterTable('takedown_notices').addColumn(column, 'text').execute();
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of ['last_checked_at', 'removal_observed_at', 'claim_contradicted_at']) {
      await db.schema.alterTable('takedown_notices').dropColumn(column).execute();
    }
  },
};
