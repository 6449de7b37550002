import type { Kysely, Migration } from 'kysely';

/*
 * The demo import's start/finish marker (issue 20): a first start killed during the demo import
 * leaves a row with no finished_at, and the next start resumes the import placed at the same
 * instant instead of skipping it because a case exists.
 */
export const demoImports: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('demo_imports')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('demo_imports').execute();
  },
};
