import type { Kysely, Selectable } from 'kysely';
import type { CaseFollowersTable, Database } from '../store/index.js';
import { countRows } from '../shared/counts.repo.js';

export type FollowerRow = Selectable<CaseFollowersTable>;

/** A delivery due for an attempt, with what sending it needs. */
export interface DueDelivery {
  id: number;
  followerId: string;
  caseId: string;
  status: string;
  channel: string;
  target: string;
  language: string;
}

/** The public state of case `caseId`, or undefined when there is no such case. */
export async function caseStatusOf(
  db: Kysely<Database>,
  caseId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('status')
    .where('id', '=', caseId)
    .executeTakeFirst();
  return row?.status;
}

/** How many followers case `caseId` has. */
export async function countFollowers(db: Kysely<Database>, caseId: string): Promise<number> {
  return countRows(db.selectFrom('case_followers').where('case_id', '=', caseId));
}

/**
 * Adds a follower, or — when the same target already follows the same case on the same channel
 * (a browser following again) — replaces its target, language and token, keeping its ID and its
 * initial state (what it was told stays told).
 * @returns the follower's ID.
 */
export async function upsertFollower(db: Kysely<Database>, row: FollowerRow): Promise<string> {
  const saved = await db
    .insertInto('case_followers')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['case_id', 'channel', 'target_key']).doUpdateSet({
        target: row.target,
        token_hash: row.token_hash,
        language: row.language,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return saved.id;
}

/**
 * Removes the follower whose token hashes to `tokenHash`, and its delivery records.
 * @returns true when there was one.
 */
export async function deleteFollowerByToken(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('case_followers')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined) return false;
  await deleteFollower(db, row.id);
  return true;
}

/** Removes follower `id` (whoever asked for it) and its delivery records. */
export async function deleteFollower(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('case_follower_deliveries').where('follower_id', '=', id).execute();
  await db.deleteFrom('case_followers').where('id', '=', id).execute();
}

/**
 * Moves the followers of case `fromCaseId` to case `intoCaseId` with their delivery records (a
 * merge: they follow what became of their report). A follower the target already has (same
 * channel and target) is dropped instead. Their `initial_status` stays what they saw, so a
 * target already in another told state is told to them at the next delivery run.
 * @returns how many followers moved.
 */
export async function moveCaseFollowers(
  db: Kysely<Database>,
  fromCaseId: string,
  intoCaseId: string,
): Promise<number> {
  const held = new Set(
    (
      await db
        .selectFrom('case_followers')
        .select(['channel', 'target_key'])
        .where('case_id', '=', intoCaseId)
        .execute()
    ).map((f) => `${f.channel} ${f.target_key}`),
  );
  const followers = await db
    .selectFrom('case_followers')
    .select(['id', 'channel', 'target_key'])
    .where('case_id', '=', fromCaseId)
    .execute();
  let moved = 0;
  for (const follower of followers) {
    if (held.has(`${follower.channel} ${follower.target_key}`)) {
      await deleteFollower(db, follower.id);
      continue;
    }
    await db
      .updateTable('case_followers')
      .set({ case_id: intoCaseId })
      .where('id', '=', follower.id)
      .execute();
    await db
      .updateTable('case_follower_deliveries')
      .set({ case_id: intoCaseId })
      .where('follower_id', '=', follower.id)
      .execute();
    moved += 1;
  }
  return moved;
}

/**
 * Removes the followers with target key `targetKey` on `channel` — of case `caseId`, or of every
 * case — and their delivery records.
 * @returns how many were removed.
 */
export async function deleteFollowersByTarget(
  db: Kysely<Database>,
  channel: string,
  targetKey: string,
  caseId?: string,
): Promise<number> {
  let query = db
    .selectFrom('case_followers')
    .select('id')
    .where('channel', '=', channel)
    .where('target_key', '=', targetKey);
  if (caseId !== undefined) query = query.where('case_id', '=', caseId);
  const rows = await query.execute();
  for (const row of rows) await deleteFollower(db, row.id);
  return rows.length;
}

/**
 * Gives up, as `superseded` at `now`, the pending deliveries whose case has moved on to another
 * state before they went out (the later state is told instead).
 * @returns how many.
 */
export async function retireSupersededDeliveries(
  db: Kysely<Database>,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('case_follower_deliveries')
    .set({ failed_at: now, last_error: 'superseded', locked_until: null })
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('cases as c')
          .select('c.id')
          .whereRef('c.id', '=', 'case_follower_deliveries.case_id')
          .whereRef('c.status', '<>', 'case_follower_deliveries.status'),
      ),
    )
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Records a pending delivery for every follower whose case is now in one of `statuses`, other
 * than the state it was followed in, and not yet recorded for that state. The unique key
 * (follower, state) makes this idempotent: several processes queueing at once insert each once.
 * @returns the number of deliveries queued by this call.
 */
export async function queueDeliveries(
  db: Kysely<Database>,
  statuses: readonly string[],
  now: string,
): Promise<number> {
  const result = await db
    .insertInto('case_follower_deliveries')
    .columns(['follower_id', 'case_id', 'status', 'attempts', 'next_attempt_at', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('case_followers as f')
        .innerJoin('cases as c', 'c.id', 'f.case_id')
        .select((s) => [
          'f.id',
          'f.case_id',
          'c.status',
          s.lit(0).as('attempts'),
          s.val(now).as('next_attempt_at'),
          s.val(now).as('created_at'),
        ])
        .where('c.status', 'in', statuses)
        .whereRef('c.status', '<>', 'f.initial_status')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('case_follower_deliveries as d')
                .select('d.id')
                .whereRef('d.follower_id', '=', 'f.id')
                .whereRef('d.status', '=', 'c.status'),
            ),
          ),
        ),
    )
    .onConflict((oc) => oc.columns(['follower_id', 'status']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Deliveries due at `now` on `channels`: neither sent nor given up, next attempt at or before
 * now, not leased, and still telling the case's current state (one overtaken by a later change
 * before it went out is not sent: the later one is). Oldest first, at most `limit`.
 */
export async function dueDeliveries(
  db: Kysely<Database>,
  channels: readonly string[],
  now: string,
  limit: number,
): Promise<DueDelivery[]> {
  if (channels.length === 0) return [];
  const rows = await db
    .selectFrom('case_follower_deliveries as d')
    .innerJoin('case_followers as f', 'f.id', 'd.follower_id')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.follower_id',
      'd.case_id',
      'd.status',
      'f.channel',
      'f.target',
      'f.language',
    ])
    .where('d.sent_at', 'is', null)
    .where('d.failed_at', 'is', null)
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
    .whereRef('d.status', '=', 'c.status')
    .where('f.channel', 'in', channels)
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    followerId: r.follower_id,
    caseId: r.case_id,
    status: r.status,
    channel: r.channel,
    target: r.target,
    language: r.language,
  }));
}

/** The delivery records of case `caseId` (tests and staff diagnostics), oldest first. */
export async function deliveriesOfCase(
  db: Kysely<Database>,
  caseId: string,
): Promise<Array<{ followerId: string; status: string; attempts: number; sentAt: string | null }>> {
  const rows = await db
    .selectFrom('case_follower_deliveries')
    .select(['follower_id', 'status', 'attempts', 'sent_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    followerId: r.follower_id,
    status: r.status,
    attempts: Number(r.attempts),
    sentAt: r.sent_at,
  }));
}

/** The followers of case `caseId` (channel and ID only). */
export async function followersOfCase(
  db: Kysely<Database>,
  caseId: string,
): Promise<Array<{ id: string; channel: string }>> {
  return db
    .selectFrom('case_followers')
    .select(['id', 'channel'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}
