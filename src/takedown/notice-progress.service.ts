/**
 * A notice's progress after it is created: it reaches its platform (the first successful
 * delivery, or the liaison's acknowledgement in the portal), the liaison acknowledges it, and it
 * ends with an outcome (the platform's report, or scamnet's own observation of the removal).
 */
import type { Kysely } from 'kysely';
import { markCaseNotified, markCaseRemoved, refreshCaseStatus } from '../cases/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import {
  assertNoticeTransition,
  noticeStateOf,
  OPEN_NOTICE_STATES,
  type NoticeOutcome,
  type NoticeState,
} from './notice-state.js';
import { assertCanSeeNotice, requireNotice } from './notice-read.service.js';
import { presentNotice, type TakedownNotice } from './notices.presenter.js';
import { findNotice, noticesOfCase, transitionNotice, type NoticeRow } from './notices.repo.js';

/** How a notice reached its platform. */
export type DeliveryChannel = 'webhook' | 'email' | 'liaison';

/**
 * Records that `delivery.noticeId` reached its platform at `delivery.at` through
 * `delivery.channel`, inside the caller's transaction. Only the first delivery counts: it sets
 * `delivered_at`, `sent_at` = `at` and the deadline `deadlineAt` (what the delivery itself
 * stated; by default `at` + NOTICE_DEADLINE_HOURS), moves `pending_delivery` to `sent` (or to
 * `acknowledged` when the liaison's acknowledgement is what delivered it), records
 * `takedown_notice.delivered` and `case.notice_sent`, moves a `decided` case to stage `notified`,
 * and refreshes its public status (詐騙訊息，已通知平台移除 is shown only from here on). Later
 * deliveries change nothing.
 * @returns true when this call recorded the first delivery.
 */
export async function markNoticeDelivered(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  delivery: {
    noticeId: string;
    channel: DeliveryChannel;
    /** ISO 8601 UTC. */
    at: string;
    /** ISO 8601 UTC; by default `at` + NOTICE_DEADLINE_HOURS. */
    deadlineAt?: string | undefined;
    /** The recorded actor label; by default `system:delivery`. */
    actor?: string | undefined;
  },
): Promise<boolean> {
  const { noticeId, channel, at } = delivery;
  const deadlineAt =
    delivery.deadlineAt ??
    isoTime(Date.parse(at) + deps.config.workflow.noticeDeadlineHours * 3_600_000);
  const actor = delivery.actor ?? 'system:delivery';
  const row = await findNotice(trx, noticeId);
  if (row === undefined || row.delivered_at !== null) return false;
  const from = noticeStateOf(row.state);
  if (!OPEN_NOTICE_STATES.includes(from)) return false;
  const to: NoticeState =
    from !== 'pending_delivery' ? from : channel === 'liaison' ? 'acknowledged' : 'sent';
  const changed = await transitionNotice(trx, noticeId, from, {
    state: to,
    delivered_at: at,
    sent_at: at,
    first_deadline_at: deadlineAt,
    deadline_at: deadlineAt,
    ...(channel === 'liaison' && row.acknowledged_at === null ? { acknowledged_at: at } : {}),
    updated_at: at,
  });
  if (!changed) return false;
  await recordEvent(trx, {
    type: 'takedown_notice.delivered',
    subjectType: 'takedown_notice',
    subjectId: noticeId,
    actor,
    at,
    data: { before: from, after: to, channel, deadlineAt },
  });
  await recordEvent(trx, {
    type: 'case.notice_sent',
    subjectType: 'case',
    subjectId: row.case_id,
    actor,
    at,
    data: { noticeId, platform: row.platform, deadlineAt },
  });
  await markCaseNotified(trx, row.case_id);
  await refreshCaseStatus(trx, [row.case_id], at, actor, 'notice_delivered');
  return true;
}

/**
 * The platform's liaison acknowledges receipt (state `sent` → `acknowledged`; on an overdue
 * notice the time is recorded and the state stays `overdue`). Acknowledging a notice still
 * `pending_delivery` in the portal is its delivery: the deadline starts now (markNoticeDelivered).
 * @throws 404 `notice_not_found`; 409 `illegal_transition` when already acknowledged or closed.
 */
export async function acknowledgeNotice(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<TakedownNotice> {
  const at = isoTime(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    const row = await requireNotice(trx, id);
    assertCanSeeNotice(actor, row);
    authorize(actor, 'notice.acknowledge');
    const from = noticeStateOf(row.state);
    if (row.acknowledged_at !== null) {
      throw conflict(
        'illegal_transition',
        `Notice ${id} was acknowledged at ${row.acknowledged_at}.`,
      );
    }
    const to: NoticeState = from === 'overdue' ? 'overdue' : 'acknowledged';
    assertNoticeTransition(from, to);
    const changed =
      row.delivered_at === null
        ? await markNoticeDelivered(trx, deps, {
            noticeId: id,
            channel: 'liaison',
            at,
            actor: actorLabel(actor),
          })
        : await transitionNotice(trx, id, from, { state: to, acknowledged_at: at, updated_at: at });
    if (!changed) {
      throw badRequest('concurrent_change', 'The notice changed meanwhile; read it again.');
    }
    await recordEvent(trx, {
      type: 'takedown_notice.acknowledged',
      subjectType: 'takedown_notice',
      subjectId: id,
      actor: actorLabel(actor),
      at,
      data: { before: from, after: to },
    });
    const updated = await requireNotice(trx, id);
    return presentNotice(updated);
  });
}

/**
 * The platform reports what it did: `removed`, `restricted` or `rejected` (with a reason).
 * Staff may record an outcome they observed. When every open notice of the case has ended and
 * at least one in removal or restriction, the case is marked removed (status 詐騙訊息，平台已移除).
 * @throws 404 `notice_not_found`; 409 `illegal_transition` for a closed notice; 400 when a
 *   rejection has no reason.
 */
export async function reportNoticeOutcome(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: { outcome: NoticeOutcome; reason?: string | undefined },
): Promise<TakedownNotice> {
  const at = isoTime(deps.clock.now());
  const reason = input.reason?.trim() || null;
  authorize(actor, 'notice.report_outcome');
  return deps.db.transaction().execute(async (trx) => {
    const row = await requireNotice(trx, id);
    assertCanSeeNotice(actor, row);
    if (input.outcome === 'rejected' && reason === null) {
      throw badRequest('validation_failed', 'Say why the notice is rejected.', 'reason');
    }
    let current = row;
    if (actor.role === 'platform_liaison' && row.delivered_at === null) {
      // The platform answering in the portal has evidently received the notice.
      await markNoticeDelivered(trx, deps, {
        noticeId: id,
        channel: 'liaison',
        at,
        actor: actorLabel(actor),
      });
      current = (await findNotice(trx, id)) ?? row;
    }
    await resolveNotice(trx, {
      notice: current,
      outcome: input.outcome,
      reason,
      actor: actorLabel(actor),
      at,
    });
    const updated = await requireNotice(trx, id);
    return presentNotice(updated);
  });
}

/**
 * Ends an open notice with `outcome` inside the caller's transaction, records the transition, and
 * marks the case removed when every notice of it has ended and at least one in removal or
 * restriction. Shared by the platform's report and scamnet's own observation.
 * @throws 409 `illegal_transition` for a notice that already ended.
 */
export async function resolveNotice(
  trx: Kysely<Database>,
  resolution: {
    notice: NoticeRow;
    outcome: NoticeOutcome;
    /** Why (required of a rejection by the caller); null for none. */
    reason: string | null;
    /** The recorded actor label. */
    actor: string;
    /** ISO 8601 UTC. */
    at: string;
    /** When scamnet itself saw the content removed (ISO 8601 UTC), for its own observation. */
    removalObservedAt?: string | undefined;
  },
): Promise<void> {
  const { notice: row, outcome, reason, actor, at, removalObservedAt } = resolution;
  const from = noticeStateOf(row.state);
  assertNoticeTransition(from, outcome);
  const changes = {
    state: outcome,
    resolved_at: at,
    outcome_reason: reason,
    updated_at: at,
    ...(removalObservedAt === undefined ? {} : { removal_observed_at: removalObservedAt }),
  };
  if (!(await transitionNotice(trx, row.id, from, changes))) {
    throw conflict('concurrent_change', 'The notice changed meanwhile; read it again.');
  }
  await recordEvent(trx, {
    type: 'takedown_notice.resolved',
    subjectType: 'takedown_notice',
    subjectId: row.id,
    actor,
    at,
    data: {
      before: from,
      after: outcome,
      reason,
      observedByScamnet: removalObservedAt !== undefined,
      // An outcome on a notice never delivered (staff observed removal first) had no deadline.
      withinDeadline: row.delivered_at === null ? null : at <= row.first_deadline_at,
      hoursToOutcome:
        row.delivered_at === null ? null : (Date.parse(at) - Date.parse(row.sent_at)) / 3_600_000,
    },
  });
  const siblings = await noticesOfCase(trx, row.case_id);
  const open = siblings.some((n) => OPEN_NOTICE_STATES.includes(noticeStateOf(n.state)));
  const removed = siblings.some((n) => n.state === 'removed' || n.state === 'restricted');
  if (!open && removed) {
    await markCaseRemoved(trx, row.case_id, at, actor, {
      noticeId: row.id,
      platform: row.platform,
      outcome,
    });
  }
}
