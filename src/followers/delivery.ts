import { createHash } from 'node:crypto';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import {
  claimLeased,
  giveUpAbandoned,
  markLeasedDone,
  recordLeasedFailure,
  type LeasedQueue,
} from '../shared/leased-queue.repo.js';
import {
  deleteFollower,
  dueDeliveries,
  queueDeliveries,
  retireSupersededDeliveries,
} from './followers.repo.js';
import {
  caseUpdateMessage,
  NOTIFIED_STATUSES,
  type CaseUpdateMessage,
} from './followers.service.js';
import { webPushChannel, type SendOutcome } from './web-push.js';

/**
 * Sends one LINE push message (`POST /v2/bot/message/push`) to the user behind `pseudonym`; the
 * LINE bot provides it (the app registers it in FollowerSenders.line).
 * @returns `sent` when LINE accepted it (2xx), `gone` when the user can no longer be reached
 *   (unknown user, the bot blocked), `failed` to try again later.
 */
export type LinePushSender = (
  deps: ServiceDeps,
  pseudonym: string,
  text: string,
  /** The same UUID for every attempt of one delivery, so the channel sends it once. */
  retryKey: string,
) => Promise<SendOutcome>;

/**
 * The UUID (RFC 9562 layout, version 4 bits) of delivery `id`, the same at every attempt: LINE's
 * `X-Line-Retry-Key`, so a push LINE accepted whose answer was lost is not sent again.
 */
export function deliveryRetryKey(id: number): string {
  const hex = createHash('sha256').update(`scamnet follower delivery ${id}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The senders of each channel; a channel without one keeps its messages queued. */
export interface FollowerSenders {
  /** Given the stored PushSubscription JSON and the payload; default: webPushChannel(deps). */
  readonly web_push?: ((target: string, payload: string) => Promise<SendOutcome>) | null;
  readonly line?: LinePushSender | null;
}

/** Delays before attempts 2, 3, …, ms (then the last repeats): 1 min to 1 h. */
export const FOLLOWER_RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 3_600_000] as const;
/** Attempts before a message is given up. */
export const FOLLOWER_MAX_ATTEMPTS = 6;

/** The deliveries as a leased queue (shared/leased-queue.repo.ts). */
const DELIVERY_QUEUE: LeasedQueue = {
  table: 'case_follower_deliveries',
  doneColumn: 'sent_at',
  maxAttempts: FOLLOWER_MAX_ATTEMPTS,
};

/** What one run did. */
export interface FollowerDeliveryResult {
  queued: number;
  sent: number;
  retried: number;
  failed: number;
  /** Followers removed because their target is gone (404/410). */
  removed: number;
}

/** The Web Push payload the service worker (web/public/sw.js) shows. */
function webPushPayload(message: CaseUpdateMessage): string {
  return JSON.stringify({
    caseId: message.caseId,
    status: message.status,
    title: message.title,
    body: message.body,
    url: message.url,
  });
}

/**
 * Tells followers of the changes of their cases (issue 15), after the writers' transactions
 * committed; run by the server's sweep timer and `scamnet sweep`. Safe with several processes on
 * one store:
 * 1. a delivery is recorded for each follower whose case is now in a NOTIFIED_STATUSES state
 *    other than the one it followed in — one per (follower, state) by a unique key, so a later
 *    unrelated recomputation that lands on the same state never sends again;
 * 2. each due delivery still telling the case's current state is claimed with a lease (as the
 *    takedown outbox claims a message), sent, and marked sent only when the channel accepted it
 *    (a 2xx); a gone target (404/410) removes the follower; other failures retry with backoff
 *    (FOLLOWER_RETRY_DELAYS_MS) and are given up after FOLLOWER_MAX_ATTEMPTS, as is one whose
 *    last attempt's lease ran out without an outcome (giveUpAbandoned).
 * A process that stops between the channel's 2xx and marking it sent leaves the lease to run out
 * and the message may go once more: at-most-once cannot be promised across a crash, at most one
 * message per state change otherwise.
 */
export async function deliverCaseUpdates(
  deps: ServiceDeps,
  senders: FollowerSenders = {},
  limit = 200,
): Promise<FollowerDeliveryResult> {
  const webPush = senders.web_push === undefined ? webPushChannel(deps) : senders.web_push;
  const line = senders.line ?? null;
  const channels = [...(webPush === null ? [] : ['web_push']), ...(line === null ? [] : ['line'])];
  const result: FollowerDeliveryResult = { queued: 0, sent: 0, retried: 0, failed: 0, removed: 0 };
  await retireSupersededDeliveries(deps.db, isoTime(deps.clock.now()));
  result.queued = await queueDeliveries(deps.db, NOTIFIED_STATUSES, isoTime(deps.clock.now()));
  // A last attempt whose process stopped (its lease ran out) is given up: no delivery confirmed.
  const abandoned = await giveUpAbandoned(deps.db, DELIVERY_QUEUE, isoTime(deps.clock.now()));
  result.failed += abandoned.length;
  const leaseMs = deps.config.workflow.webhookTimeoutMs + 60_000;
  for (const due of await dueDeliveries(deps.db, channels, isoTime(deps.clock.now()), limit)) {
    const claimAt = deps.clock.now();
    const attempt = await claimLeased(
      deps.db,
      DELIVERY_QUEUE,
      due.id,
      isoTime(claimAt),
      isoTime(claimAt + leaseMs),
    );
    if (attempt === null) continue;
    const message = caseUpdateMessage(due.caseId, due.status, due.language);
    let outcome: SendOutcome;
    if (message === null) {
      outcome = { kind: 'failed', detail: `unknown state ${due.status}` };
    } else if (due.channel === 'web_push' && webPush !== null) {
      outcome = await webPush(due.target, webPushPayload(message)).catch(failure);
    } else if (due.channel === 'line' && line !== null) {
      const text = `${message.title}\n${message.body}`;
      outcome = await line(deps, due.target, text, deliveryRetryKey(due.id)).catch(failure);
    } else {
      outcome = { kind: 'failed', detail: `no sender for ${due.channel}` };
    }
    const now = deps.clock.now();
    if (outcome.kind === 'sent') {
      if (await markLeasedDone(deps.db, DELIVERY_QUEUE, due.id, isoTime(now), attempt)) {
        result.sent += 1;
      }
      continue;
    }
    if (outcome.kind === 'gone') {
      await deleteFollower(deps.db, due.followerId);
      deps.log.info({ followerId: due.followerId, reason: outcome.detail }, 'follower removed');
      result.removed += 1;
      continue;
    }
    const giveUp = attempt >= FOLLOWER_MAX_ATTEMPTS;
    const delay =
      FOLLOWER_RETRY_DELAYS_MS[Math.min(attempt - 1, FOLLOWER_RETRY_DELAYS_MS.length - 1)] ??
      60_000;
    const recorded = await recordLeasedFailure(deps.db, DELIVERY_QUEUE, due.id, {
      attempt,
      error: outcome.detail.slice(0, 500),
      nextAttemptAt: isoTime(now + delay),
      ...(giveUp ? { failedAt: isoTime(now) } : {}),
    });
    deps.log.warn(
      { followerId: due.followerId, attempt, error: outcome.detail.slice(0, 200) },
      'follower message failed',
    );
    if (!recorded) continue;
    if (giveUp) result.failed += 1;
    else result.retried += 1;
  }
  return result;
}

function failure(error: unknown): SendOutcome {
  return { kind: 'failed', detail: error instanceof Error ? error.message : String(error) };
}
