import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { chunksOf } from '../shared/chunks.js';

/** Rows per INSERT (two bound values each, far below both dialects' parameter limits). */
const CHUNK = 1000;

/** Adds `terms` to the search index of `caseId` (idempotent). */
export async function indexCaseTerms(
  db: Kysely<Database>,
  caseId: string,
  terms: readonly string[],
): Promise<void> {
  for (const chunk of chunksOf(terms, CHUNK)) {
    await db
      .insertInto('search_postings')
      .values(chunk.map((term) => ({ term, case_id: caseId })))
      .onConflict((oc) => oc.columns(['term', 'case_id']).doNothing())
      .execute();
  }
}

/** Removes every search term of `caseId` (before re-indexing it after a split or merge). */
export async function clearCaseTerms(db: Kysely<Database>, caseId: string): Promise<void> {
  await db.deleteFrom('search_postings').where('case_id', '=', caseId).execute();
}

/** Whether case `caseId` has any search term. */
export async function hasCaseTerms(db: Kysely<Database>, caseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('search_postings')
    .select('case_id')
    .where('case_id', '=', caseId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
