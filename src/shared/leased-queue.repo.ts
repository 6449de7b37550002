/**
 * Queues of outgoing messages whose attempts are claimed with a lease (the takedown outbox, the
 * followers' deliveries): one set of conditional updates serves every such table, called by the
 * table's owner with its own table. Each row has `id`, `attempts`, `next_attempt_at`,
 * `locked_until`, `failed_at`, `last_error` (ISO 8601 UTC text) and a column marking it sent.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** A table of leased messages and its column marking a message sent. */
export interface LeasedQueue {
  readonly table: 'outbox' | 'case_follower_deliveries';
  readonly doneColumn: 'done_at' | 'sent_at';
  /** Attempts before a message is given up. */
  readonly maxAttempts: number;
}

/**
 * What a message whose last attempt never ended is given up with: its process stopped (or hung
 * past its lease) mid-attempt, so whether the receiver got it is unknown.
 */
export const ABANDONED_ATTEMPT_ERROR =
  'no delivery confirmed: the process making the last attempt stopped before it ended (its lease ran out)';

/**
 * Claims message `id` for one attempt: if at `now` it is still due (neither sent nor given up, its
 * next attempt at or before `now`), not leased to another process and has attempts left, leases
 * it until `leasedUntil` and counts the attempt, in one conditional update. Two processes that
 * both listed the message cannot both claim it, and a process that listed it before another's
 * failed attempt cannot claim it again before the backoff has passed (its next attempt is then in
 * the future). A message whose last attempt's lease ran out is not claimed again: see
 * giveUpAbandoned.
 * @returns the attempt's number (1 for the first), or null when this call did not claim it.
 */
export async function claimLeased(
  db: Kysely<Database>,
  queue: LeasedQueue,
  id: number,
  now: string,
  leasedUntil: string,
): Promise<number | null> {
  const { rows } = await sql<{ attempts: number | string }>`
    update ${sql.table(queue.table)}
    set locked_until = ${leasedUntil}, attempts = attempts + 1
    where id = ${id}
      and ${sql.ref(queue.doneColumn)} is null
      and failed_at is null
      and next_attempt_at <= ${now}
      and (locked_until is null or locked_until < ${now})
      and attempts < ${queue.maxAttempts}
    returning attempts`.execute(db);
  const claimed = rows[0];
  return claimed === undefined ? null : Number(claimed.attempts);
}

/**
 * Marks message `id` sent at `at` by its attempt `attempt`, and ends the lease. Only the claim of
 * that attempt can: a process whose lease ran out and was claimed again writes nothing. A last
 * attempt given up because its lease ran out (giveUpAbandoned: "no delivery confirmed") that then
 * succeeds is marked sent after all: a delivery was confirmed, and the record says so.
 * @returns true when it was marked.
 */
export async function markLeasedDone(
  db: Kysely<Database>,
  queue: LeasedQueue,
  id: number,
  at: string,
  attempt: number,
): Promise<boolean> {
  const done = await sql`
    update ${sql.table(queue.table)}
    set ${sql.ref(queue.doneColumn)} = ${at}, locked_until = null, last_error = null,
      failed_at = null
    where id = ${id} and attempts = ${attempt}
      and (failed_at is null or last_error = ${ABANDONED_ATTEMPT_ERROR})`.execute(db);
  return Number(done.numAffectedRows ?? 0) === 1;
}

/**
 * Records the failure of attempt `attempt` of message `id` and ends the lease: the error, the next
 * attempt's time (the message cannot be claimed before it), and `failed_at` when it is given up.
 * Only the claim of that attempt can (see markLeasedDone).
 * @returns true when it was recorded.
 */
export async function recordLeasedFailure(
  db: Kysely<Database>,
  queue: LeasedQueue,
  id: number,
  failure: { attempt: number; error: string; nextAttemptAt: string; failedAt?: string },
): Promise<boolean> {
  const recorded = await sql`
    update ${sql.table(queue.table)}
    set last_error = ${failure.error}, locked_until = null,
      next_attempt_at = ${failure.nextAttemptAt}, failed_at = ${failure.failedAt ?? null}
    where id = ${id} and attempts = ${failure.attempt} and failed_at is null
      and ${sql.ref(queue.doneColumn)} is null`.execute(db);
  return Number(recorded.numAffectedRows ?? 0) === 1;
}

/**
 * Gives up, at `now`, every message whose last allowed attempt was claimed and whose lease ran
 * out without an outcome (the process making it stopped): it cannot be claimed again
 * (claimLeased), and nothing says it arrived, so it is recorded as failed with
 * ABANDONED_ATTEMPT_ERROR. A process
 * still making that attempt past its lease then records nothing (recordLeasedFailure needs
 * `failed_at` unset), or, if it succeeded after all, marks it sent (markLeasedDone).
 * @param onlyId gives up only this message (if it is abandoned).
 * @returns the IDs and attempt counts of the messages given up.
 */
export async function giveUpAbandoned(
  db: Kysely<Database>,
  queue: LeasedQueue,
  now: string,
  onlyId?: number,
): Promise<Array<{ id: number; attempts: number }>> {
  const { rows } = await sql<{ id: number | string; attempts: number | string }>`
    update ${sql.table(queue.table)}
    set failed_at = ${now}, locked_until = null, last_error = ${ABANDONED_ATTEMPT_ERROR}
    where ${abandonedWhere(queue, now)}
      ${onlyId === undefined ? sql`` : sql`and id = ${onlyId}`}
    returning id, attempts`.execute(db);
  return rows.map((row) => ({ id: Number(row.id), attempts: Number(row.attempts) }));
}

/**
 * The IDs of the messages giveUpAbandoned would give up at `now`, oldest first: for a caller
 * that gives each up in a transaction of its own with what it records about it.
 */
export async function abandonedLeased(
  db: Kysely<Database>,
  queue: LeasedQueue,
  now: string,
): Promise<number[]> {
  const { rows } = await sql<{ id: number | string }>`
    select id from ${sql.table(queue.table)} where ${abandonedWhere(queue, now)}
    order by id`.execute(db);
  return rows.map((row) => Number(row.id));
}

/** A last allowed attempt was claimed, its lease ran out at `now`, and nothing ended it. */
function abandonedWhere(queue: LeasedQueue, now: string) {
  return sql`${sql.ref(queue.doneColumn)} is null
      and failed_at is null
      and attempts >= ${queue.maxAttempts}
      and locked_until < ${now}`;
}
