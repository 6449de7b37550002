import type { Kysely, Migration } from 'kysely';

/**
 * `line_users.following` (migration 0027) was never 0: an `unfollow` deletes the user's row (the
 * bot forgets who left or blocked it), so a row always meant "follows". The column is dropped;
 * a push to a user who left is refused as unknown (404 `line_user_not_found`).
 */
export const lineUsersFollowing: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('line_users').dropColumn('following').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('line_users')
      .addColumn('following', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
