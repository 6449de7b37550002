import { sql, type Kysely, type Migration } from 'kysely';

/** Blocklist entries, their cases, and the RPZ zone's version journal (blocklist/). */
export const blocklist: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('blocklist_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text')
      .addColumn('legal_reference', 'text')
      .addColumn('legal_date', 'text')
      .addColumn('requesting_unit', 'text')
      .addColumn('site_type', 'text')
      .addColumn('effective_at', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // At most one open (proposed, active or appealed) entry per domain: the published set and
    // the RPZ journal are keyed by domain.
    await db.schema
      .createIndex('blocklist_entries_open_domain_uq')
      .on('blocklist_entries')
      .column('domain')
      .unique()
      .where(sql.ref('state'), 'in', sql`('proposed', 'active', 'appealed')`)
      .execute();
    await db.schema
      .createIndex('blocklist_entries_domain_idx')
      .on('blocklist_entries')
      .columns(['domain'])
      .execute();
    await db.schema
      .createIndex('blocklist_entries_state_idx')
      .on('blocklist_entries')
      .columns(['state', 'domain'])
      .execute();
    await db.schema
      .createIndex('blocklist_entries_expiry_idx')
      .on('blocklist_entries')
      .columns(['state', 'expires_at'])
      .execute();
    await db.schema
      .createIndex('blocklist_entries_external_uq')
      .on('blocklist_entries')
      .columns(['source', 'external_id'])
      .unique()
      .execute();

    await db.schema
      .createTable('blocklist_entry_cases')
      .addColumn('entry_id', 'text', (c) => c.notNull().references('blocklist_entries.id'))
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('blocklist_entry_cases_pk', ['entry_id', 'case_id'])
      .execute();
    await db.schema
      .createIndex('blocklist_entry_cases_case_idx')
      .on('blocklist_entry_cases')
      .columns(['case_id'])
      .execute();

    await db.schema
      .createTable('rpz_versions')
      .addColumn('serial', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('changes', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('rpz_changes')
      .addColumn('serial', 'bigint', (c) => c.notNull().references('rpz_versions.serial'))
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('rpz_changes_pk', ['serial', 'domain'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'rpz_changes',
      'rpz_versions',
      'blocklist_entry_cases',
      'blocklist_entries',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
