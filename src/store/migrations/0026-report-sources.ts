import { sql, type Kysely, type Migration } from 'kysely';

/*
 * Where reports really come from (issue 15). Every report carries its source kind
 * (vocabulary SOURCE_KINDS); an API key is issued for a source (kind and name), which its
 * reports take, never the request body. Existing rows: reports sent through the API were
 * citizens'; file imports are `partner` (the importers' documented default). The index serves a
 * source listing its own reports in order (GET /api/v1/reports/mine) and counts by kind.
 *
 * `scanner_ads` holds one row per ad the scanner found (platform + the ad library's ad ID), with
 * the case and first report it made, the sightings, and whether the ad showed who commissioned
 * and paid for it (the ad real-name rule): `disclosure_missing` is the platform compliance
 * finding counted per platform.
 */
export const reportSources: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('api_keys').addColumn('source_kind', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('source_name', 'text').execute();
    await db.schema
      .alterTable('reports')
      .addColumn('source_kind', 'text', (c) => c.notNull().defaultTo('citizen'))
      .execute();
    await sql`update reports set source_kind = 'partner' where channel = 'import'`.execute(db);
    await db.schema
      .createIndex('reports_source_kind_idx')
      .on('reports')
      .columns(['source_kind', 'source', 'received_at', 'id'])
      .execute();
    // Reports by source kind over a period (statistics, bulletin, transparency) read this range.
    await db.schema
      .createIndex('reports_received_kind_idx')
      .on('reports')
      .columns(['received_at', 'source_kind'])
      .execute();
    await db.schema
      .createTable('scanner_ads')
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('ad_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('advertiser_name', 'text')
      .addColumn('advertiser_id', 'text')
      .addColumn('payer_name', 'text')
      .addColumn('landing_url', 'text')
      .addColumn('disclosure', 'text')
      .addColumn('disclosure_missing', 'integer', (c) => c.notNull())
      .addColumn('sightings', 'integer', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scanner_ads_pk', ['platform', 'ad_id'])
      .execute();
    await db.schema
      .createIndex('scanner_ads_case_idx')
      .on('scanner_ads')
      .columns(['case_id'])
      .execute();
    // A case's findings are read through its reports (which merges and splits move).
    await db.schema
      .createIndex('scanner_ads_report_idx')
      .on('scanner_ads')
      .columns(['report_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('scanner_ads').execute();
    await db.schema.dropIndex('reports_received_kind_idx').execute();
    await db.schema.dropIndex('reports_source_kind_idx').execute();
    await db.schema.alterTable('reports').dropColumn('source_kind').execute();
    await db.schema.alterTable('api_keys').dropColumn('source_name').execute();
    await db.schema.alterTable('api_keys').dropColumn('source_kind').execute();
  },
};
