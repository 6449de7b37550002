import type { Kysely } from 'kysely';
import { sha256Hex } from '../shared/ids.js';
import type { Database } from '../store/index.js';
import {
  bestNearDuplicate,
  type NearDuplicateCandidate,
  type NearDuplicateMatch,
  type NearDuplicateSignature,
} from './near-duplicate.js';

/** Most stored texts read as candidates for one message (the most recent cases first). */
export const NEAR_DUPLICATE_CANDIDATE_LIMIT = 200;

/** Content-addressed ID of a stored near-duplicate text: 32 hex characters of SHA-256. */
export function nearDuplicateTextId(text: string): string {
  return sha256Hex(text).slice(0, 32);
}

/**
 * Stored texts sharing at least one LSH band key with the message: the
 * NEAR_DUPLICATE_CANDIDATE_LIMIT that share the most bands (the most similar, by the banding
 * estimate), with their case's creation time as order. Ranking by shared bands rather than by age
 * matters for popular messages: at 1,000,000 cases one can share a band with thousands of stored
 * texts, and its real case must not fall past the limit (bench/dedup-scale.ts).
 */
export async function findNearDuplicateCandidates(
  db: Kysely<Database>,
  bandKeys: readonly string[],
): Promise<NearDuplicateCandidate[]> {
  if (bandKeys.length === 0) return [];
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('dedup_bands')
        .select((b) => ['text_id', b.fn.countAll<number>().as('shared')])
        .where('band_key', 'in', [...bandKeys])
        .groupBy('text_id')
        .orderBy('shared', 'desc')
        .orderBy('text_id')
        .limit(NEAR_DUPLICATE_CANDIDATE_LIMIT)
        .as('b'),
    )
    .innerJoin('dedup_texts as t', 't.id', 'b.text_id')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .select(['t.case_id as caseId', 't.text as text', 'c.created_at as order'])
    .orderBy('b.shared', 'desc')
    .orderBy('t.id')
    .execute();
}

/**
 * The stored case most similar to a message (LSH candidates through its band keys, verified by
 * `bestNearDuplicate`), or null. The rule intake merges by and lookup finds by.
 */
export async function findNearDuplicateCase(
  db: Kysely<Database>,
  signature: NearDuplicateSignature,
): Promise<NearDuplicateMatch | null> {
  const candidates = await findNearDuplicateCandidates(db, signature.bandKeys);
  return bestNearDuplicate(signature.text, candidates);
}

/**
 * Stores a message's near-duplicate text and band keys under `caseId`. Idempotent: a text stored
 * before keeps its case, and gets any of these band keys it lacks (a text stored under an older
 * NEAR_DUPLICATE_VERSION is found by the current keys from then on).
 */
export async function storeNearDuplicate(
  db: Kysely<Database>,
  caseId: string,
  signature: NearDuplicateSignature,
  at: string,
): Promise<void> {
  const id = nearDuplicateTextId(signature.text);
  const inserted = await db
    .insertInto('dedup_texts')
    .values({ id, case_id: caseId, text: signature.text, created_at: at })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  let owner = caseId;
  if (inserted.numInsertedOrUpdatedRows === 0n) {
    const stored = await db
      .selectFrom('dedup_texts')
      .select('case_id')
      .where('id', '=', id)
      .executeTakeFirst();
    owner = stored?.case_id ?? caseId;
  }
  await db
    .insertInto('dedup_bands')
    .values(signature.bandKeys.map((key) => ({ band_key: key, text_id: id, case_id: owner })))
    .onConflict((oc) => oc.columns(['band_key', 'text_id']).doNothing())
    .execute();
}

/** Removes every stored near-duplicate text of `caseId` (before re-indexing it after a split/merge). */
export async function clearNearDuplicates(db: Kysely<Database>, caseId: string): Promise<void> {
  await db.deleteFrom('dedup_bands').where('case_id', '=', caseId).execute();
  await db.deleteFrom('dedup_texts').where('case_id', '=', caseId).execute();
}

/**
 * Whether case `caseId` has a band key made with other near-duplicate parameters than `version`
 * (NEAR_DUPLICATE_VERSION: keys are stored as `version:…`), so its bands need rebuilding.
 */
export async function hasBandsOtherThan(
  db: Kysely<Database>,
  caseId: string,
  version: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('dedup_bands')
    .select('case_id')
    .where('case_id', '=', caseId)
    .where('band_key', 'not like', `${version}:%`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
