import type { Kysely, Migration } from 'kysely';

/** Near-duplicate texts and LSH bands, the search index, and case merge/split history (issue 5). */
export const dedup: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('dedup_texts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('dedup_texts_case_idx')
      .on('dedup_texts')
      .column('case_id')
      .execute();
    await db.schema
      .createTable('dedup_bands')
      .addColumn('band_key', 'text', (c) => c.notNull())
      .addColumn('text_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dedup_bands_pk', ['band_key', 'text_id'])
      .execute();
    await db.schema
      .createIndex('dedup_bands_case_idx')
      .on('dedup_bands')
      .column('case_id')
      .execute();
    await db.schema
      .createTable('search_postings')
      .addColumn('term', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('search_postings_pk', ['term', 'case_id'])
      .execute();
    await db.schema
      .createIndex('search_postings_case_idx')
      .on('search_postings')
      .column('case_id')
      .execute();
    await db.schema
      .createTable('case_merges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_case_id', 'text', (c) => c.notNull())
      .addColumn('into_case_id', 'text', (c) => c.notNull())
      .addColumn('report_count', 'integer', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('case_merges_from_idx')
      .on('case_merges')
      .column('from_case_id')
      .execute();
    await db.schema
      .createIndex('case_merges_into_idx')
      .on('case_merges')
      .column('into_case_id')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['case_merges', 'search_postings', 'dedup_bands', 'dedup_texts']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
