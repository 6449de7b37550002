import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

/*
 * Evidence blobs in the store (issue 20): on PostgreSQL every node reads a screenshot or captured
 * body uploaded through another, so their bytes live in the database rather than in one node's
 * EVIDENCE_DIR. Content-addressed by SHA-256, as the files are.
 */
export const evidenceBlobContents: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('evidence_blob_contents')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('content', sqlite ? 'blob' : 'bytea', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('evidence_blob_contents').execute();
  },
};
