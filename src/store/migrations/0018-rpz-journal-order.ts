import { sql, type Kysely, type Migration } from 'kysely';

/*
 * The order of the RPZ zone's versions (the IXFR journal) as its own column.
 *
 * SOA serials compare in RFC 1982 serial arithmetic: after 2^32 − 1 the serial wraps to small
 * numbers (in 2106 for Unix-time serials), so `order by serial` no longer finds the latest
 * version nor the versions between two serials. `seq` numbers the versions 1, 2, 3… in the order
 * they were written (writers are serialised, see lockZone). Existing versions are numbered in
 * serial order, which is their order since none of them can have wrapped yet.
 */
export const rpzJournalOrder: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('rpz_versions')
      .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update rpz_versions set seq = (select count(*) from rpz_versions as v where v.serial <= rpz_versions.serial)`.execute(
      db,
    );
    await db.schema
      .createIndex('rpz_versions_seq_idx')
      .unique()
      .on('rpz_versions')
      .columns(['seq'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('rpz_versions_seq_idx').execute();
    await db.schema.alterTable('rpz_versions').dropColumn('seq').execute();
  },
};
