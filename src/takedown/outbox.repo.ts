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

/** The messages `ids` (to tell of those given up), by ID. */
export async function messagesByIds(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<OutboxRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('id').execute();
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
