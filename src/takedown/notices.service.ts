/**
 * Creating a confirmed-fraud case's takedown notices (one per platform with something to act
 * on), staff sending those still due, and withdrawing them when the verdict is reversed.
 */
import type { Kysely } from 'kysely';
import { requireCase } from '../cases/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { conflict } from '../shared/errors.js';
import { randomBase32 } from '../shared/ids.js';
import type { Database } from '../store/index.js';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import { queueDeliveries } from './channels.service.js';
import { targetPlanOf } from './notice-facts.js';
import { noticeStateOf, OPEN_NOTICE_STATES, type NoticePlatform } from './notice-state.js';
import { presentNotice, type TakedownNotice } from './notices.presenter.js';
import { insertNotice, noticesOfCase, transitionNotice, type NoticeRow } from './notices.repo.js';

/** What createNoticesForCase did: the notices created and the platforms left without one. */
export interface NoticeCreation {
  created: NoticeRow[];
  /** Platforms carrying the case with nothing to act on (no notice; recorded on the case). */
  notActionable: NoticePlatform[];
  /** Platforms that already have an open notice of the case. */
  alreadyOpen: NoticePlatform[];
}

/**
 * Creates the takedown notices of a case confirmed as fraud, inside the caller's transaction:
 * one per platform that carries its content and has something to act on (noticeTargets: a
 * content URL on the platform, a LINE ID, a phone reached on LINE — never scamnet's own pages
 * and never a reporter's details) and no open notice yet, each `pending_delivery` with its
 * targets stored, and queues its deliveries (webhook and/or e-mail, as the platform's channel
 * says). Nothing claims the platform was told until a delivery succeeds (markNoticeDelivered):
 * the deadline starts then. A platform with nothing to act on gets no notice and a
 * `case.notice_not_sent` event saying why (so does a case with no platform to notify at all).
 * Websites get no notice: they are blocked through the blocklist.
 * @throws 404 `case_not_found`.
 */
export async function createNoticesForCase(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock' | 'config'>,
  caseId: string,
  actor: string,
): Promise<NoticeCreation> {
  const row = await requireCase(trx, caseId);
  const plan = await targetPlanOf(trx, deps.config, caseId, row.platform);
  const existing = await noticesOfCase(trx, caseId);
  const at = isoTime(deps.clock.now());
  const result: NoticeCreation = {
    created: [],
    notActionable: plan.notActionable,
    alreadyOpen: [],
  };
  const notSent = (platform: string | null, reason: string, detail: string) =>
    recordEvent(trx, {
      type: 'case.notice_not_sent',
      subjectType: 'case',
      subjectId: caseId,
      actor,
      at,
      data: { platform, reason, detail },
    });
  for (const platform of plan.notActionable) {
    await notSent(
      platform,
      'not_actionable',
      `Nothing ${platform} can act on: no content URL on it${platform === 'line' ? ', LINE ID or phone' : ''}.`,
    );
  }
  if (
    plan.actionable.length === 0 &&
    plan.notActionable.length === 0 &&
    row.platform !== 'website'
  ) {
    await notSent(
      null,
      'no_platform',
      `The case (platform ${row.platform}) names no platform that receives notices.`,
    );
  }
  for (const { platform, targets } of plan.actionable) {
    if (
      existing.some(
        (n) => n.platform === platform && OPEN_NOTICE_STATES.includes(noticeStateOf(n.state)),
      )
    ) {
      result.alreadyOpen.push(platform);
      continue;
    }
    const contentUrl = targets.find((t) => t.type === 'url')?.value ?? null;
    const notice: NoticeRow = {
      id: `N${randomBase32(12)}`,
      case_id: caseId,
      platform,
      state: 'pending_delivery',
      content_url: contentUrl,
      targets: JSON.stringify(targets),
      created_at: at,
      // Placeholders until the first delivery sets them (the API shows them as null).
      sent_at: at,
      first_deadline_at: at,
      deadline_at: at,
      delivered_at: null,
      acknowledged_at: null,
      resolved_at: null,
      outcome_reason: null,
      missed_deadlines: 0,
      updated_at: at,
      last_checked_at: null,
      removal_observed_at: null,
      claim_contradicted_at: null,
    };
    await insertNotice(trx, notice);
    const channels = await queueDeliveries(trx, deps, notice, at);
    await recordEvent(trx, {
      type: 'takedown_notice.created',
      subjectType: 'takedown_notice',
      subjectId: notice.id,
      actor,
      at,
      data: { caseId, platform, contentUrl, targets, channels },
    });
    result.created.push(notice);
  }
  return result;
}

/**
 * Staff (analysts, admins) send the takedown notices of a case confirmed as fraud that are still
 * due — e.g. after a merge brought in a content URL or LINE ID — one per platform with something
 * to act on and no open notice; the case moves to `notified` when one is delivered.
 * @throws 404 `case_not_found`; 409 `case_not_fraud` unless the verdict is `fraud`;
 *   409 `notice_not_actionable` when no platform has anything to act on (nothing is sent);
 *   409 `notice_already_open` when every actionable platform already has an open notice.
 */
export async function sendCaseNotices(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
): Promise<TakedownNotice[]> {
  authorize(actor, 'notice.send');
  const created = await deps.db.transaction().execute(async (trx) => {
    const row = await requireCase(trx, caseId);
    if (row.verdict !== 'fraud') {
      throw conflict('case_not_fraud', `Case ${caseId} is not confirmed as fraud.`);
    }
    const result = await createNoticesForCase(trx, deps, caseId, actorLabel(actor));
    if (result.created.length === 0) {
      if (result.alreadyOpen.length > 0) {
        throw conflict(
          'notice_already_open',
          `Every platform with something to act on already has an open notice (${result.alreadyOpen.join(', ')}).`,
        );
      }
      throw conflict(
        'notice_not_actionable',
        `Case ${caseId} names nothing a platform can act on (a content URL on the platform, a LINE ID, or a phone reached on LINE); no notice was sent.`,
      );
    }
    return result.created;
  });
  return created.map(presentNotice);
}

/**
 * Withdraws the open notices of `caseId` (its fraud verdict was reversed) inside the caller's
 * transaction `trx`, recording `takedown_notice.withdrawn` by `actor` with `reason` for each.
 * Returns how many were withdrawn.
 */
export async function withdrawOpenNotices(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock'>,
  withdrawal: { caseId: string; actor: string; reason: string },
): Promise<number> {
  const { caseId, actor, reason } = withdrawal;
  const at = isoTime(deps.clock.now());
  let count = 0;
  for (const notice of await noticesOfCase(trx, caseId)) {
    const from = noticeStateOf(notice.state);
    if (!OPEN_NOTICE_STATES.includes(from)) continue;
    if (
      await transitionNotice(trx, notice.id, from, {
        state: 'withdrawn',
        resolved_at: at,
        outcome_reason: reason,
        updated_at: at,
      })
    ) {
      count += 1;
      await recordEvent(trx, {
        type: 'takedown_notice.withdrawn',
        subjectType: 'takedown_notice',
        subjectId: notice.id,
        actor,
        at,
        data: { before: from, after: 'withdrawn', reason },
      });
    }
  }
  return count;
}
