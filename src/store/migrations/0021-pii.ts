import type { Kysely, Migration } from 'kysely';

/**
 * Public forms (issue 18, "no personal data on public pages"): the report text and title and the
 * case summary with personal data redacted (null when nothing was redacted), which indicator
 * links are personal (a reporter's or victim's own: never on a public route), and the version of
 * the rule the forms of a case were made with. Existing cases get version 0: the forms are made
 * when the store is next opened (intake/public-forms.ts `refreshStalePublicForms`), with the
 * configured phone region, before anything is served.
 */
export const pii: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('reports').addColumn('public_text', 'text').execute();
    await db.schema.alterTable('reports').addColumn('public_title', 'text').execute();
    await db.schema.alterTable('cases').addColumn('public_summary', 'text').execute();
    await db.schema
      .alterTable('cases')
      .addColumn('public_form_version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('case_indicators')
      .addColumn('personal', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('cases_public_form_version_idx')
      .on('cases')
      .columns(['public_form_version'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('cases_public_form_version_idx').execute();
    await db.schema.alterTable('case_indicators').dropColumn('personal').execute();
    await db.schema.alterTable('cases').dropColumn('public_form_version').execute();
    await db.schema.alterTable('cases').dropColumn('public_summary').execute();
    await db.schema.alterTable('reports').dropColumn('public_title').execute();
    await db.schema.alterTable('reports').dropColumn('public_text').execute();
  },
};
