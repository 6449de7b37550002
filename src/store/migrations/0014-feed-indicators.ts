import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The publication ledger of the STIX and MISP feeds (blocklist/feeds.ts): one row per indicator
 * object ever published, with the time it was first published (STIX `created`, never changed),
 * its latest version (`modified`), its content and when it left the published set
 * (`revoked_at`: STIX `revoked: true`, MISP `deleted: true`, published for FEED_REVOCATION_DAYS
 * more). A revoked row is never published again (STIX 2.1 §3.2: revocation is permanent): a
 * domain or URL published again gets a new row and ID. At most one unrevoked row per indicator.
 */
export const feedIndicators: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('feed_indicators')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('entry_id', 'text', (c) => c.notNull().references('blocklist_entries.id'))
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('modified_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createIndex('feed_indicators_open_uq')
      .on('feed_indicators')
      .columns(['kind', 'value'])
      .unique()
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
    await db.schema
      .createIndex('feed_indicators_revoked_idx')
      .on('feed_indicators')
      .columns(['revoked_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('feed_indicators').execute();
  },
};
