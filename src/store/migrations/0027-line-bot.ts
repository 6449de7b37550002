import type { Kysely, Migration } from 'kysely';

/*
 * The LINE bot (issue 15, src/line). All four tables are private: they hold LINE user IDs or
 * what leads to them, and no public route reads them.
 * - line_webhook_events: every webhook event accepted, once (its webhookEventId is the key, so a
 *   redelivery is stored once); `body` is the event's JSON until it is processed, then null.
 * - line_users: a LINE user's pseudonym (keyed hash of the user ID) → the raw user ID, their
 *   language and whether they still follow the bot (pushes go only to followers).
 * - line_report_offers: what a user sent that the bot offered to report (text and/or a screenshot
 *   in the evidence blob store), and the report made of it.
 */
export const lineBot: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('line_webhook_events')
      .addColumn('webhook_event_id', 'text', (c) => c.primaryKey())
      .addColumn('event_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('body', 'text')
      .addColumn('claimed_at', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('processed_at', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('line_webhook_events_state')
      .on('line_webhook_events')
      .columns(['state', 'event_at'])
      .execute();
    await db.schema
      .createTable('line_users')
      .addColumn('pseudonym', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('language', 'text')
      .addColumn('following', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Not unique: a new channel secret gives the same user a new pseudonym (a new row).
    await db.schema.createIndex('line_users_user_id').on('line_users').column('user_id').execute();
    await db.schema
      .createTable('line_report_offers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pseudonym', 'text', (c) => c.notNull())
      .addColumn('text', 'text')
      .addColumn('screenshot_sha256', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text')
      .addColumn('case_id', 'text')
      .execute();
    await db.schema
      .createIndex('line_report_offers_pseudonym')
      .on('line_report_offers')
      .columns(['pseudonym', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('line_report_offers').execute();
    await db.schema.dropTable('line_users').execute();
    await db.schema.dropTable('line_webhook_events').execute();
  },
};
