import type { Kysely, Migration } from 'kysely';

/**
 * What each takedown notice asks its platform to act on (takedown/notice-targets.ts), as a JSON
 * array of `{ "type": "url" | "line_id" | "phone", "value" }`, fixed when the notice is created
 * so that every delivery and view of it names the same content. Null for notices created before.
 */
export const noticeTargets: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('takedown_notices').addColumn('targets', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('takedown_notices').dropColumn('targets').execute();
  },
};
