import type { Kysely } from 'kysely';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import type { Database } from '../store/index.js';
import {
  ABANDONED_ATTEMPT_ERROR,
  claimLeased,
  abandonedLeased,
  giveUpAbandoned,
  markLeasedDone,
  recordLeasedFailure,
  type LeasedQueue,
} from '../shared/leased-queue.repo.js';
import { dueMessages, messagesByIds, type OutboxKind, type OutboxRow } from './outbox.repo.js';

/** Delays before attempts 2, 3, …, ms (then the last one repeats) — 1 min to 4 h. */
export const RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 3_600_000, 14_400_000] as const;
/** Attempts before a message is given up (and an event says so). */
export const MAX_ATTEMPTS = 8;
/** The outbox as a leased queue (shared/leased-queue.repo.ts). */
const OUTBOX_QUEUE: LeasedQueue = {
  table: 'outbox',
  doneColumn: 'done_at',
  maxAttempts: MAX_ATTEMPTS,
};

/**
 * How long a claimed message stays leased to the process that claimed it, ms: longer than one
 * attempt can take (the webhook time limit, or nodemailer's 10 s + 10 s + 20 s), with a minute to
 * spare, so no other process claims it while the attempt may still be under way.
 */
export function leaseMs(webhookTimeoutMs: number): number {
  return Math.max(webhookTimeoutMs, 40_000) + 60_000;
}

export interface OutboxMessage {
  id: number;
  kind: OutboxKind;
  ref: string;
  payload: Record<string, unknown>;
  /** 1 for the first attempt. */
  attempt: number;
}

/** Sends one message; throws (with a short message) when the attempt failed. */
export type Sender = (message: OutboxMessage) => Promise<void>;

/**
 * Sends every due message once: each is claimed with a conditional update that leases it and
 * counts the attempt (claimLeased: two processes, on one node or several, never send the same
 * message at once, and never two attempts with one number), handed to `send`, then marked done,
 * or rescheduled with backoff (RETRY_DELAYS_MS), or given up after MAX_ATTEMPTS. A process that
 * stops mid-attempt leaves the lease to run out (leaseMs); the next claim counts a new attempt.
 * A message whose last allowed attempt (MAX_ATTEMPTS) was claimed and whose lease ran out is
 * given up first, with ABANDONED_ATTEMPT_ERROR (giveUpAbandoned): no delivery was confirmed.
 * Receivers tell attempts of one notice apart by `x-scamnet-attempt` and recognise a repeat by
 * its idempotency key (see delivery.ts).
 * @returns counts of messages sent, retried later and given up.
 */
export async function processOutbox(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'log' | 'config'>,
  send: Sender,
  onGiveUp: (message: OutboxMessage, error: string, db: Kysely<Database>) => Promise<void>,
  limit = 100,
): Promise<{ sent: number; retried: number; failed: number }> {
  const counts = { sent: 0, retried: 0, failed: 0 };
  // Each abandoned message is given up in one transaction with what onGiveUp records of it, so a
  // crash between the two leaves neither.
  const now = isoTime(deps.clock.now());
  for (const id of await abandonedLeased(deps.db, OUTBOX_QUEUE, now)) {
    const given = await deps.db.transaction().execute(async (trx) => {
      const [abandoned] = await giveUpAbandoned(trx, OUTBOX_QUEUE, now, id);
      const [row] = await messagesByIds(trx, [id]);
      // Another node gave it up first.
      if (abandoned === undefined || row === undefined) return false;
      deps.log.warn(
        { outboxId: row.id, kind: row.kind, attempts: abandoned.attempts },
        'delivery given up: its last attempt never ended',
      );
      await onGiveUp(messageOf(row, abandoned.attempts), ABANDONED_ATTEMPT_ERROR, trx);
      return true;
    });
    if (given) counts.failed += 1;
  }
  const due = await dueMessages(deps.db, isoTime(deps.clock.now()), limit);
  for (const row of due) {
    // The lease runs from this claim, not from the start of the batch: earlier sends take time.
    const claimAt = deps.clock.now();
    const lease = isoTime(claimAt + leaseMs(deps.config.workflow.webhookTimeoutMs));
    const attempt = await claimLeased(deps.db, OUTBOX_QUEUE, row.id, isoTime(claimAt), lease);
    if (attempt === null) continue;
    const message = messageOf(row, attempt);
    try {
      await send(message);
      const at = isoTime(deps.clock.now());
      if (await markLeasedDone(deps.db, OUTBOX_QUEUE, row.id, at, message.attempt)) {
        counts.sent += 1;
      } else {
        // Sent, but another process had claimed the message after this one's lease ran out.
        deps.log.warn(
          { outboxId: row.id, kind: row.kind, attempt: message.attempt },
          'delivery succeeded after its lease ran out: another attempt decides its record',
        );
      }
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const giveUp = message.attempt >= MAX_ATTEMPTS;
      const delay =
        RETRY_DELAYS_MS[Math.min(message.attempt - 1, RETRY_DELAYS_MS.length - 1)] ?? 60_000;
      // The failure, and when it is the last, what onGiveUp records of it: one transaction.
      const recorded = await deps.db.transaction().execute(async (trx) => {
        const ok = await recordLeasedFailure(trx, OUTBOX_QUEUE, row.id, {
          attempt: message.attempt,
          error: detail,
          nextAttemptAt: isoTime(deps.clock.now() + delay),
          ...(giveUp ? { failedAt: isoTime(deps.clock.now()) } : {}),
        });
        if (ok && giveUp) await onGiveUp(message, detail, trx);
        return ok;
      });
      deps.log.warn(
        { outboxId: row.id, kind: row.kind, attempt: message.attempt, error: detail },
        'delivery failed',
      );
      // Our lease ran out and another process claimed the message: its attempt decides.
      if (!recorded) continue;
      if (giveUp) {
        counts.failed += 1;
      } else {
        counts.retried += 1;
      }
    }
  }
  return counts;
}

/** The message of outbox row `row` at attempt `attempt`. */
function messageOf(row: OutboxRow, attempt: number): OutboxMessage {
  const payload: unknown = JSON.parse(row.payload);
  return {
    id: Number(row.id),
    kind: row.kind as OutboxKind,
    ref: row.ref,
    payload:
      typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {},
    attempt,
  };
}
