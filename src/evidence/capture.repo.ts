import type { Kysely, Selectable } from 'kysely';
import type { Database, EvidenceBlobsTable, EvidenceCapturesTable } from '../store/index.js';

export type CaptureRow = Selectable<EvidenceCapturesTable>;
export type BlobRow = Selectable<EvidenceBlobsTable>;

/** True when case `caseId` exists. Read-only over the cases capability's table. */
export async function caseExists(db: Kysely<Database>, caseId: string): Promise<boolean> {
  const found = await db
    .selectFrom('cases')
    .select('id')
    .where('id', '=', caseId)
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * The URLs reported for case `caseId` exactly as reported, oldest report first (repeats kept).
 * Read-only over intake's table.
 */
export async function reportedUrlsOf(db: Kysely<Database>, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['url'])
    .where('case_id', '=', caseId)
    .where('url', 'is not', null)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => (r.url === null ? [] : [r.url]));
}

/**
 * The entities the cases `caseIds` are routed to (null: not routed), one per case found.
 * Read-only over the cases capability's table.
 */
export async function routedEntitiesOf(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<Array<string | null>> {
  const rows = await db
    .selectFrom('cases')
    .select('routed_entity_id')
    .where('id', 'in', caseIds)
    .execute();
  return rows.map((r) => r.routed_entity_id);
}

/**
 * Indexes a blob already written to the evidence blob store (evidence_blobs: hash, size in bytes,
 * media type); idempotent, the first row of a hash wins (blobs are content-addressed).
 */
export async function insertBlob(
  db: Kysely<Database>,
  blob: { sha256: string; size: number; contentType: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('evidence_blobs')
    .values({
      sha256: blob.sha256,
      size: blob.size,
      content_type: blob.contentType,
      created_at: blob.createdAt,
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/** The index row of blob `sha256` (its size and media type), or undefined. */
export async function findBlob(db: Kysely<Database>, sha256: string): Promise<BlobRow | undefined> {
  return db
    .selectFrom('evidence_blobs')
    .selectAll()
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

/** Stores a capture record. */
export async function insertCapture(db: Kysely<Database>, row: CaptureRow): Promise<void> {
  await db.insertInto('evidence_captures').values(row).execute();
}

/** Links capture `id` to the audit event `seq` that records it. */
export async function setCaptureEventSeq(
  db: Kysely<Database>,
  id: string,
  seq: number,
): Promise<void> {
  await db.updateTable('evidence_captures').set({ event_seq: seq }).where('id', '=', id).execute();
}

/** Capture `id`, or undefined. */
export async function findCapture(
  db: Kysely<Database>,
  id: string,
): Promise<CaptureRow | undefined> {
  return db.selectFrom('evidence_captures').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The captures of case `caseId`, oldest first. */
export async function capturesOfCase(db: Kysely<Database>, caseId: string): Promise<CaptureRow[]> {
  return db
    .selectFrom('evidence_captures')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

/** The cases (null: a capture of no case) of the captures whose body or screenshot is `sha256`. */
export async function casesHoldingBlob(
  db: Kysely<Database>,
  sha256: string,
): Promise<Array<string | null>> {
  const rows = await db
    .selectFrom('evidence_captures')
    .select('case_id')
    .where((eb) => eb.or([eb('body_sha256', '=', sha256), eb('screenshot_sha256', '=', sha256)]))
    .execute();
  return rows.map((r) => r.case_id);
}
