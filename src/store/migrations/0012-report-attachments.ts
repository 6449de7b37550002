import type { Kysely, Migration } from 'kysely';

/**
 * What a citizen may add to a report (issue 9): a contact for follow-up (an e-mail address or an
 * E.164 phone number, with its kind; personal data, never shown on a public route) and the
 * SHA-256 of a screenshot in the evidence blob store (evidence_blobs). The index answers "which
 * cases hold this blob" when a verifier asks for it (GET /api/v1/blobs/:sha256).
 */
export const reportAttachments: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('reports').addColumn('reporter_contact', 'text').execute();
    await db.schema.alterTable('reports').addColumn('reporter_contact_type', 'text').execute();
    await db.schema.alterTable('reports').addColumn('screenshot_sha256', 'text').execute();
    await db.schema
      .createIndex('reports_screenshot_idx')
      .on('reports')
      .columns(['screenshot_sha256'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('reports_screenshot_idx').execute();
    await db.schema.alterTable('reports').dropColumn('screenshot_sha256').execute();
    await db.schema.alterTable('reports').dropColumn('reporter_contact_type').execute();
    await db.schema.alterTable('reports').dropColumn('reporter_contact').execute();
  },
};
