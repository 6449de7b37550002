import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Stores `content` under `sha256` unless it is stored already (content-addressed: the same bytes). */
export async function insertBlobContent(
  db: Kysely<Database>,
  sha256: string,
  content: Uint8Array,
): Promise<void> {
  await db
    .insertInto('evidence_blob_contents')
    .values({ sha256, content })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/** The bytes stored under `sha256`, or undefined. */
export async function findBlobContent(
  db: Kysely<Database>,
  sha256: string,
): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('evidence_blob_contents')
    .select('content')
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row?.content;
}

/** True when bytes are stored under `sha256`. */
export async function hasBlobContent(db: Kysely<Database>, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom('evidence_blob_contents')
    .select('sha256')
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Up to `limit` addresses of indexed blobs (`evidence_blobs`) whose bytes are not in the store,
 * after `after` in address order (a cursor: pass the last one returned).
 */
export async function blobsWithoutContent(
  db: Kysely<Database>,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('evidence_blobs as b')
    .leftJoin('evidence_blob_contents as c', 'c.sha256', 'b.sha256')
    .select('b.sha256')
    .where('c.sha256', 'is', null)
    .where('b.sha256', '>', after)
    .orderBy('b.sha256')
    .limit(limit)
    .execute();
  return rows.map((row) => row.sha256);
}
