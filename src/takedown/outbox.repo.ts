import type { Kysely, Selectable } from 'kysely';
import type { Database, OutboxTable } from '../store/index.js';

/** Kinds of outgoing message. */
export type OutboxKind =
  'notice_webhook' | 'notice_email' | 'decision_link_email' | 'escalation_email';

export type OutboxRow = Selectable<OutboxTable>;

/** The outbox kinds that deliver a takedown notice. */
const NOTICE_KINDS = ['notice_webhook', 'notice_email'] as const;

/**
 * Queues a message inside the caller's transaction: it is sent by the sweep only if that
 * transaction commits, so a rolled-back decision never e-mails anyone.
 */
export async function enqueue(
  db: Kysely<Database>,
  message: { kind: OutboxKind; ref: string; payload: Record<string, unknown>; at: string },
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      kind: message.kind,
      ref: message.ref,
      payload: JSON.stringify(message.payload),
      attempts: 0,
      next_attempt_at: message.at,
      locked_until: null,
      done_at: null,
      failed_at: null,
      last_error: null,
      created_at: message.at,
    })
    .execute();
}

/**
 * Messages due at `now` (ISO 8601 UTC): neither done nor given up, next attempt at or before now,
 * not locked by a process; oldest due first, at most `limit`.
 */
export async function dueMessages(
  db: Kysely<Database>,
  now: string,
  limit: number,
): Promise<OutboxRow[]> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims message `id` for one attempt: if at `now` it is still due (neither done nor given up, its
 * next attempt at or before `now`) and not leased to another process, leases it until
 * `leasedUntil` and counts the attempt, in one conditional update. Two processes that both listed
 * the message cannot both claim it, and a process that listed it before another's failed attempt
 * cannot claim it again before the backoff has passed (its next attempt is then in the future).
 * @returns the attempt's number (1 for the first), or null when this call did not claim it.
 */
export async function claimMessage(
  db: Kysely<Database>,
  id: number,
  now: string,
  leasedUntil: string,
): Promise<number | null> {
  const claimed = await db
    .updateTable('outbox')
    .set((eb) => ({ locked_until: leasedUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .returning('attempts')
    .executeTakeFirst();
  return claimed === undefined ? null : Number(claimed.attempts);
}

/**
 * Marks message `id` sent at `at` by its attempt `attempt`, and ends the lease. Only the claim of
 * that attempt can: a process whose lease ran out and was claimed again writes nothing.
 * @returns true when it was marked.
 */
export async function markMessageDone(
  db: Kysely<Database>,
  id: number,
  at: string,
  attempt: number,
): Promise<boolean> {
  const done = await db
    .updateTable('outbox')
    .set({ done_at: at, locked_until: null, last_error: null })
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/**
 * Records the failure of attempt `attempt` of message `id` and ends the lease: the error, the next
 * attempt's time (the message cannot be claimed before it), and `failed_at` when it is given up.
 * Only the claim of that attempt can (see markMessageDone).
 * @returns true when it was recorded.
 */
export async function recordMessageFailure(
  db: Kysely<Database>,
  id: number,
  failure: { attempt: number; error: string; nextAttemptAt: string; failedAt?: string },
): Promise<boolean> {
  const recorded = await db
    .updateTable('outbox')
    .set({
      last_error: failure.error,
      locked_until: null,
      next_attempt_at: failure.nextAttemptAt,
      ...(failure.failedAt === undefined ? {} : { failed_at: failure.failedAt }),
    })
    .where('id', '=', id)
    .where('attempts', '=', failure.attempt)
    .executeTakeFirst();
  return Number(recorded.numUpdatedRows) === 1;
}

/** The kinds of the notice deliveries of `noticeId` still queued (neither done nor given up). */
export async function queuedDeliveryKinds(
  db: Kysely<Database>,
  noticeId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('kind')
    .where('ref', '=', noticeId)
    .where('kind', 'in', NOTICE_KINDS)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute();
  return rows.map((r) => r.kind);
}

/** Every notice delivery message (queued, sent or given up) of the notices `noticeIds`, by ID. */
export async function deliveryMessagesOf(
  db: Kysely<Database>,
  noticeIds: readonly string[],
): Promise<
  Array<Pick<OutboxRow, 'ref' | 'attempts' | 'done_at' | 'failed_at' | 'last_error' | 'id'>>
> {
  return db
    .selectFrom('outbox')
    .select(['ref', 'attempts', 'done_at', 'failed_at', 'last_error', 'id'])
    .where('ref', 'in', noticeIds)
    .where('kind', 'in', NOTICE_KINDS)
    .orderBy('id')
    .execute();
}

/**
 * Makes the queued deliveries of `noticeId` due at `at` rather than after their backoff.
 * @returns true when it has any queued.
 */
export async function hurryDeliveries(
  db: Kysely<Database>,
  noticeId: string,
  at: string,
): Promise<boolean> {
  const live = await db
    .updateTable('outbox')
    .set({ next_attempt_at: at })
    .where('ref', '=', noticeId)
    .where('kind', 'in', NOTICE_KINDS)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .executeTakeFirst();
  return Number(live.numUpdatedRows) > 0;
}
