import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import {
  claimMessage,
  dueMessages,
  markMessageDone,
  recordMessageFailure,
  type OutboxKind,
} from './outbox.repo.js';

/** Delays before attempts 2, 3, …, ms (then the last one repeats) — 1 min to 4 h. */
export const RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 3_600_000, 14_400_000] as const;
/** Attempts before a message is given up (and an event says so). */
export const MAX_ATTEMPTS = 8;
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
 * counts the attempt (claimMessage: two processes, on one node or several, never send the same
 * message at once, and never two attempts with one number), handed to `send`, then marked done,
 * or rescheduled with backoff (RETRY_DELAYS_MS), or given up after MAX_ATTEMPTS. A process that
 * stops mid-attempt leaves the lease to run out (leaseMs); the next claim counts a new attempt.
 * Receivers tell attempts of one notice apart by `x-scamnet-attempt` and recognise a repeat by
 * its idempotency key (see delivery.ts).
 * @returns counts of messages sent, retried later and given up.
 */
export async function processOutbox(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'log' | 'config'>,
  send: Sender,
  onGiveUp: (message: OutboxMessage, error: string) => Promise<void>,
  limit = 100,
): Promise<{ sent: number; retried: number; failed: number }> {
  const due = await dueMessages(deps.db, isoTime(deps.clock.now()), limit);
  const counts = { sent: 0, retried: 0, failed: 0 };
  for (const row of due) {
    // The lease runs from this claim, not from the start of the batch: earlier sends take time.
    const claimAt = deps.clock.now();
    const lease = isoTime(claimAt + leaseMs(deps.config.workflow.webhookTimeoutMs));
    const attempt = await claimMessage(deps.db, row.id, isoTime(claimAt), lease);
    if (attempt === null) continue;
    const payload: unknown = JSON.parse(row.payload);
    const message: OutboxMessage = {
      id: Number(row.id),
      kind: row.kind as OutboxKind,
      ref: row.ref,
      payload:
        typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {},
      attempt,
    };
    try {
      await send(message);
      if (await markMessageDone(deps.db, row.id, isoTime(deps.clock.now()), message.attempt)) {
        counts.sent += 1;
      }
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const giveUp = message.attempt >= MAX_ATTEMPTS;
      const delay =
        RETRY_DELAYS_MS[Math.min(message.attempt - 1, RETRY_DELAYS_MS.length - 1)] ?? 60_000;
      const recorded = await recordMessageFailure(deps.db, row.id, {
        attempt: message.attempt,
        error: detail,
        nextAttemptAt: isoTime(deps.clock.now() + delay),
        ...(giveUp ? { failedAt: isoTime(deps.clock.now()) } : {}),
      });
      deps.log.warn(
        { outboxId: row.id, kind: row.kind, attempt: message.attempt, error: detail },
        'delivery failed',
      );
      // Our lease ran out and another process claimed the message: its attempt decides.
      if (!recorded) continue;
      if (giveUp) {
        counts.failed += 1;
        await onGiveUp(message, detail);
      } else {
        counts.retried += 1;
      }
    }
  }
  return counts;
}
