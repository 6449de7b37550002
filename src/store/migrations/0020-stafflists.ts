import type { Kysely, Migration } from 'kysely';

/*
 * Indexes for the staff lists that page with a true total (issue 18): a person's decision
 * history (verdicts by actor, newest first), notices newest first, and cases by first report
 * (the verification queue's order and the age filters of the queue and the triage list).
 */
export const staffLists: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('verdicts_actor_idx')
      .on('verdicts')
      .columns(['actor', 'id'])
      .execute();
    await db.schema
      .createIndex('notices_created_idx')
      .on('takedown_notices')
      .columns(['created_at'])
      .execute();
    await db.schema
      .createIndex('cases_first_reported_idx')
      .on('cases')
      .columns(['first_reported_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('cases_first_reported_idx').execute();
    await db.schema.dropIndex('notices_created_idx').execute();
    await db.schema.dropIndex('verdicts_actor_idx').execute();
  },
};
