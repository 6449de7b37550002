import type { Kysely } from 'kysely';
import { findCase, markCaseRemoved, refreshCaseStatus } from '../cases/index.js';

import { matchKey } from '../indicators/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import { randomBase32 } from '../shared/ids.js';
import type { Database } from '../store/index.js';

import {
  assertNoticeTransition,
  isNoticePlatform,
  noticeStateOf,
  OPEN_NOTICE_STATES,
  type NoticeOutcome,
  type NoticePlatform,
  type NoticeState,
  type PendingReason,
} from './notice-state.js';
import {
  deliveriesOf,
  findNotice,
  insertNotice,
  noticesOfCase,
  transitionNotice,
  type DeliveryRow,
  type NoticeRow,
} from './notices.repo.js';
import { noticeTargets, type NoticeTarget, type NoticeTargetPlan } from './notice-targets.js';
import { enqueue } from './outbox.js';
import { targetUri, xarfReport, type NoticeEvidence, type NoticeFacts } from './xarf.js';

import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import { ENTITY_KINDS, isScamType } from '../vocabulary/index.js';
import type { Actor } from '../policy/index.js';
/** A takedown notice as the API shows it to staff and to the platform's liaison. */
export interface TakedownNotice {
  id: string;
  caseId: string;
  platform: string;
  state: NoticeState;
  contentUrl: string | null;
  /** When the notice was created (queued for delivery). */
  createdAt: string;
  /**
   * When the platform was told (the first successful delivery: webhook 2xx, SMTP accepted, or the
   * liaison's acknowledgement in the portal); null while `pending_delivery`.
   */
  sentAt: string | null;
  /** The deadline first given, counted from `sentAt`; null until delivered. */
  firstDeadlineAt: string | null;
  /** The current deadline; null until delivered (no deadline runs on an undelivered notice). */
  deadlineAt: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  outcomeReason: string | null;
  missedDeadlines: number;
  /** Last re-check of the content by scamnet, when monitoring is on. */
  lastCheckedAt: string | null;
  /** When scamnet itself saw the content removed. */
  removalObservedAt: string | null;
  /** When scamnet saw live content the platform had reported removed. */
  claimContradictedAt: string | null;
  /**
   * What the platform is asked to act on: content URLs on it, LINE IDs, phones (E.164). Empty
   * only for a notice from before migration 0016 without a content URL.
   */
  targets: NoticeTarget[];
  /** Staff and liaison views: why a `pending_delivery` notice has not arrived (null otherwise). */
  pendingReason?: PendingReason | null;
  /** The last failed delivery attempt's error, while pending. */
  lastDeliveryError?: string | null;
}

export interface NoticeDelivery {
  channel: string;
  attempt: number;
  at: string;
  status: string;
  responseCode: number | null;
  detail: string | null;
}

/** Maps a stored notice to the API shape. */
export function presentNotice(row: NoticeRow): TakedownNotice {
  const delivered = row.delivered_at !== null;
  return {
    id: row.id,
    caseId: row.case_id,
    platform: row.platform,
    state: noticeStateOf(row.state),
    contentUrl: row.content_url,
    createdAt: row.created_at,
    sentAt: delivered ? row.sent_at : null,
    firstDeadlineAt: delivered ? row.first_deadline_at : null,
    deadlineAt: delivered ? row.deadline_at : null,
    acknowledgedAt: row.acknowledged_at,
    resolvedAt: row.resolved_at,
    outcomeReason: row.outcome_reason,
    missedDeadlines: Number(row.missed_deadlines),
    lastCheckedAt: row.last_checked_at,
    removalObservedAt: row.removal_observed_at,
    claimContradictedAt: row.claim_contradicted_at,
    targets:
      storedTargets(row) ??
      (row.content_url === null ? [] : [{ type: 'url', value: row.content_url }]),
    ...(row.state === 'pending_delivery' ? {} : { pendingReason: null }),
  };
}

function presentDelivery(row: DeliveryRow): NoticeDelivery {
  return {
    channel: row.channel,
    attempt: Number(row.attempt),
    at: row.at,
    status: row.status,
    responseCode: row.response_code === null ? null : Number(row.response_code),
    detail: row.detail,
  };
}

/** Reads a notice's stored targets (migration 0016); null when it has none stored. */
function storedTargets(notice: NoticeRow): NoticeTarget[] | null {
  if (notice.targets === null) return null;
  const value: unknown = JSON.parse(notice.targets);
  if (!Array.isArray(value)) return null;
  return value.flatMap((t: unknown): NoticeTarget[] => {
    if (typeof t !== 'object' || t === null || !('type' in t) || !('value' in t)) return [];
    const { type, value: v } = t;
    return (type === 'url' || type === 'line_id' || type === 'phone') && typeof v === 'string'
      ? [{ type, value: v }]
      : [];
  });
}

/** What noticeTargets needs of a case, read from the store. */
async function targetPlanOf(
  db: Kysely<Database>,
  config: ServiceDeps['config'],
  caseId: string,
  casePlatform: string,
): Promise<NoticeTargetPlan> {
  const [indicators, reports] = await Promise.all([
    db
      .selectFrom('case_indicators as ci')
      .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
      .select(['i.type', 'i.value'])
      .where('ci.case_id', '=', caseId)
      .orderBy('ci.first_seen_at')
      .orderBy('i.id')
      .execute(),
    db
      .selectFrom('reports')
      .select(['platform', 'url', 'text', 'title', 'reporter_contact'])
      .where('case_id', '=', caseId)
      .orderBy('received_at')
      .orderBy('id')
      .execute(),
  ]);
  return noticeTargets({
    casePlatform,
    indicators,
    reports: reports.map((r) => ({
      platform: r.platform,
      url: r.url,
      text: r.text,
      title: r.title,
      reporterContact: r.reporter_contact,
    })),
    defaultRegion: config.defaultRegion,
  });
}

/**
 * When a notice counts as sent and its deadline: the stored ones once it was delivered; for a
 * notice still `pending_delivery`, the ones a delivery at `nowMs` (ms since the epoch) would give
 * it (now, and now + NOTICE_DEADLINE_HOURS), so that what a delivery says is what is recorded.
 */
export function deliveryTerms(
  config: ServiceDeps['config'],
  notice: Pick<NoticeRow, 'delivered_at' | 'sent_at' | 'deadline_at'>,
  nowMs: number,
): { sentAt: string; deadlineAt: string } {
  if (notice.delivered_at !== null)
    return { sentAt: notice.sent_at, deadlineAt: notice.deadline_at };
  return {
    sentAt: isoTime(nowMs),
    deadlineAt: isoTime(nowMs + config.workflow.noticeDeadlineHours * 3_600_000),
  };
}

/** How many captures' hashes a notice carries at most (the newest). */
const NOTICE_EVIDENCE_LIMIT = 5;

/**
 * What an X-ARF report of `notice` says: its stored targets (for a notice from before
 * migration 0016: its content URL, else what the case offers its platform now), the case's
 * scam type, impersonated entity, report count and dates, and the hashes of scamnet's captures
 * of the notice's URLs. No report text and nothing about reporters.
 */
export async function noticeFacts(
  db: Kysely<Database>,
  config: ServiceDeps['config'],
  notice: NoticeRow,
  nowMs: number,
): Promise<NoticeFacts> {
  const terms = deliveryTerms(config, notice, nowMs);
  const row = await findCase(db, notice.case_id);
  const entity =
    row?.impersonated_entity_id == null
      ? undefined
      : await db
          .selectFrom('entities')
          .select(['name_zh', 'name_en', 'kind'])
          .where('id', '=', row.impersonated_entity_id)
          .executeTakeFirst();
  let targets = storedTargets(notice);
  if (targets === null && notice.content_url !== null) {
    targets = [{ type: 'url', value: notice.content_url }];
  }
  if (targets === null) {
    const plan = await targetPlanOf(db, config, notice.case_id, row?.platform ?? notice.platform);
    targets = plan.actionable.find((p) => p.platform === notice.platform)?.targets ?? [];
  }
  const keyOf = (url: string) => matchKey(url)?.matchKey ?? url;
  const urls = new Set(targets.filter((t) => t.type === 'url').map((t) => keyOf(t.value)));
  const captures =
    urls.size === 0
      ? []
      : await db
          .selectFrom('evidence_captures')
          .select(['url', 'completed_at', 'body_sha256', 'screenshot_sha256'])
          .where('case_id', '=', notice.case_id)
          .where('outcome', '=', 'fetched')
          .where('body_sha256', 'is not', null)
          .orderBy('completed_at', 'desc')
          .orderBy('id')
          .execute();
  const evidence: NoticeEvidence[] = [];
  for (const c of captures) {
    if (c.body_sha256 === null || !urls.has(keyOf(c.url))) continue;
    if (evidence.length >= NOTICE_EVIDENCE_LIMIT) break;
    evidence.push({
      capturedAt: c.completed_at,
      bodySha256: c.body_sha256,
      screenshotSha256: c.screenshot_sha256,
    });
  }
  const scamType = row?.scam_type ?? null;
  const kind = ENTITY_KINDS.find((k) => k === entity?.kind);
  return {
    noticeId: notice.id,
    caseId: notice.case_id,
    platform: notice.platform,
    targets,
    sentAt: terms.sentAt,
    deadlineAt: terms.deadlineAt,
    firstReportedAt: row?.first_reported_at ?? notice.created_at,
    lastReportedAt: row?.last_reported_at ?? notice.created_at,
    reportCount: Number(row?.report_count ?? 0),
    scamType: scamType !== null && isScamType(scamType) ? scamType : null,
    entity:
      entity === undefined || kind === undefined
        ? null
        : { name: entity.name_en ?? entity.name_zh, kind },
    evidence,
    reporter: { ...config.workflow.xarfReporter },
  };
}

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
  const row = await findCase(trx, caseId);
  if (row === undefined) throw notFound('case_not_found', `No case with ID ${caseId}.`);
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
 * Queues the deliveries of `notice` that its platform's channel offers now (webhook; e-mail when
 * SMTP is configured) and are not already queued, inside the caller's transaction.
 * @returns the channels queued (empty: nothing can deliver it; the notice waits for a channel).
 */
async function queueDeliveries(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  notice: Pick<NoticeRow, 'id' | 'platform'>,
  at: string,
): Promise<Array<'webhook' | 'email'>> {
  const channel = await trx
    .selectFrom('platform_channels')
    .selectAll()
    .where('platform', '=', notice.platform)
    .executeTakeFirst();
  const queued = await trx
    .selectFrom('outbox')
    .select('kind')
    .where('ref', '=', notice.id)
    .where('kind', 'in', ['notice_webhook', 'notice_email'])
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute();
  const waiting = new Set(queued.map((q) => q.kind));
  const channels: Array<'webhook' | 'email'> = [];
  if (channel?.webhook_url != null && !waiting.has('notice_webhook')) {
    await enqueue(trx, {
      kind: 'notice_webhook',
      ref: notice.id,
      payload: { noticeId: notice.id },
      at,
    });
    channels.push('webhook');
  }
  if (
    channel?.email != null &&
    deps.config.workflow.smtpUrl !== undefined &&
    !waiting.has('notice_email')
  ) {
    await enqueue(trx, {
      kind: 'notice_email',
      ref: notice.id,
      payload: { noticeId: notice.id, to: channel.email },
      at,
    });
    channels.push('email');
  }
  return channels;
}

/** How a notice reached its platform. */
export type DeliveryChannel = 'webhook' | 'email' | 'liaison';

/**
 * Records that `noticeId` reached its platform at `at` through `channel`, inside the caller's
 * transaction. Only the first delivery counts: it sets `delivered_at`, `sent_at` = `at` and the
 * deadline `deadlineAt` (what the delivery itself stated; by default `at` +
 * NOTICE_DEADLINE_HOURS), moves `pending_delivery` to `sent` (or to `acknowledged` when the
 * liaison's acknowledgement is what delivered it), records `takedown_notice.delivered` and
 * `case.notice_sent`, moves a `decided` case to stage `notified`, and refreshes its public status (詐騙訊息，已通知平台移除 is shown only
 * from here on). Later deliveries change nothing.
 * @returns true when this call recorded the first delivery.
 */
export async function markNoticeDelivered(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  noticeId: string,
  channel: DeliveryChannel,
  at: string,
  deadlineAt: string = isoTime(
    Date.parse(at) + deps.config.workflow.noticeDeadlineHours * 3_600_000,
  ),
  actor = 'system:delivery',
): Promise<boolean> {
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
  await trx
    .updateTable('cases')
    .set({ stage: 'notified' })
    .where('id', '=', row.case_id)
    .where('stage', '=', 'decided')
    .execute();
  await refreshCaseStatus(trx, [row.case_id], at, actor, 'notice_delivered');
  return true;
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
    const row = await findCase(trx, caseId);
    if (row === undefined) throw notFound('case_not_found', `No case with ID ${caseId}.`);
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

/** Withdraws a case's open notices (its fraud verdict was reversed), inside the caller's transaction. */
export async function withdrawOpenNotices(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock'>,
  caseId: string,
  actor: string,
  reason: string,
): Promise<number> {
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

/** Who may see a notice: staff all, a platform liaison only their platform's. */
function assertCanSeeNotice(actor: Actor, notice: NoticeRow): void {
  authorize(actor, 'notice.read');
  if (actor.role === 'platform_liaison' && actor.platform !== notice.platform) {
    throw notFound('notice_not_found', `No notice ${notice.id}.`);
  }
}

/**
 * The API shape of `rows` with, for each notice still `pending_delivery`, why: its platform's
 * channel (none → `no_channel`) and its queued deliveries in the outbox (waiting, failing, or all
 * given up), with the last error.
 */
export async function withPendingReasons(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  rows: readonly NoticeRow[],
): Promise<TakedownNotice[]> {
  const pending = rows.filter((r) => r.state === 'pending_delivery');
  if (pending.length === 0) return rows.map((r) => ({ ...presentNotice(r), pendingReason: null }));
  const platforms = [...new Set(pending.map((r) => r.platform))];
  const [channels, messages] = await Promise.all([
    deps.db
      .selectFrom('platform_channels')
      .select(['platform', 'webhook_url', 'email'])
      .where('platform', 'in', platforms)
      .execute(),
    deps.db
      .selectFrom('outbox')
      .select(['ref', 'attempts', 'done_at', 'failed_at', 'last_error', 'id'])
      .where(
        'ref',
        'in',
        pending.map((r) => r.id),
      )
      .where('kind', 'in', ['notice_webhook', 'notice_email'])
      .orderBy('id')
      .execute(),
  ]);
  const smtp = deps.config.workflow.smtpUrl !== undefined;
  const reachable = new Set(
    channels
      .filter((c) => c.webhook_url !== null || (c.email !== null && smtp))
      .map((c) => c.platform),
  );
  return rows.map((row) => {
    const notice = presentNotice(row);
    if (row.state !== 'pending_delivery') return { ...notice, pendingReason: null };
    const own = messages.filter((m) => m.ref === row.id);
    const live = own.filter((m) => m.done_at === null && m.failed_at === null);
    const lastError = [...own].reverse().find((m) => m.last_error !== null)?.last_error ?? null;
    let reason: PendingReason;
    if (live.length > 0) reason = live.some((m) => Number(m.attempts) > 0) ? 'retrying' : 'queued';
    else if (!reachable.has(row.platform)) reason = 'no_channel';
    else reason = own.length > 0 ? 'given_up' : 'no_channel';
    return { ...notice, pendingReason: reason, lastDeliveryError: lastError };
  });
}

/**
 * One notice with its delivery attempts and its X-ARF v4 report (null for a notice from before
 * migration 0016 that names nothing its platform can act on).
 * @throws 404 `notice_not_found` (also for another platform's notice).
 */
export async function getNotice(
  deps: Pick<ServiceDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  id: string,
): Promise<
  TakedownNotice & { deliveries: NoticeDelivery[]; xarf: Record<string, unknown> | null }
> {
  const row = await findNotice(deps.db, id);
  if (row === undefined) throw notFound('notice_not_found', `No notice ${id}.`);
  assertCanSeeNotice(actor, row);
  const [deliveries, facts] = await Promise.all([
    deliveriesOf(deps.db, id),
    noticeFacts(deps.db, deps.config, row, deps.clock.now()),
  ]);
  const [shown] = await withPendingReasons(deps, [row]);
  return {
    ...(shown ?? presentNotice(row)),
    deliveries: deliveries.map(presentDelivery),
    xarf: facts.targets.some((t) => targetUri(t) !== null) ? xarfReport(facts) : null,
  };
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
    const row = await findNotice(trx, id);
    if (row === undefined) throw notFound('notice_not_found', `No notice ${id}.`);
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
        ? await markNoticeDelivered(trx, deps, id, 'liaison', at, undefined, actorLabel(actor))
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
    const updated = await findNotice(trx, id);
    if (updated === undefined) throw notFound('notice_not_found', `No notice ${id}.`);
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
    const row = await findNotice(trx, id);
    if (row === undefined) throw notFound('notice_not_found', `No notice ${id}.`);
    assertCanSeeNotice(actor, row);
    if (input.outcome === 'rejected' && reason === null) {
      throw badRequest('validation_failed', 'Say why the notice is rejected.', 'reason');
    }
    let current = row;
    if (actor.role === 'platform_liaison' && row.delivered_at === null) {
      // The platform answering in the portal has evidently received the notice.
      await markNoticeDelivered(trx, deps, id, 'liaison', at, undefined, actorLabel(actor));
      current = (await findNotice(trx, id)) ?? row;
    }
    await resolveNotice(trx, current, input.outcome, reason, actorLabel(actor), at);
    const updated = await findNotice(trx, id);
    if (updated === undefined) throw notFound('notice_not_found', `No notice ${id}.`);
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
  row: NoticeRow,
  outcome: NoticeOutcome,
  reason: string | null,
  actor: string,
  at: string,
  extra: Partial<Pick<NoticeRow, 'removal_observed_at'>> = {},
): Promise<void> {
  const from = noticeStateOf(row.state);
  assertNoticeTransition(from, outcome);
  const changes = {
    state: outcome,
    resolved_at: at,
    outcome_reason: reason,
    updated_at: at,
    ...extra,
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
      observedByScamnet: extra.removal_observed_at !== undefined,
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

/** Where a platform's notices are delivered. */
export interface PlatformChannel {
  platform: string;
  webhookUrl: string | null;
  /** True when a webhook secret is set (the secret itself is never shown). */
  webhookSigned: boolean;
  email: string | null;
  updatedAt: string;
  /** On setting a channel: the notices waiting for delivery now queued on it. */
  noticesQueued?: number;
}

/** Every configured delivery channel (admins). */
export async function listPlatformChannels(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
): Promise<PlatformChannel[]> {
  authorize(actor, 'delivery_channel.read');
  const rows = await deps.db
    .selectFrom('platform_channels')
    .selectAll()
    .orderBy('platform')
    .execute();
  return rows.map((r) => ({
    platform: r.platform,
    webhookUrl: r.webhook_url,
    webhookSigned: r.webhook_secret !== null,
    email: r.email,
    updatedAt: r.updated_at,
  }));
}

/**
 * Sets where a platform's notices go (admins): a webhook URL (http or https) with its HMAC secret
 * (at least 16 characters), and/or an e-mail address. Recorded without the secret.
 * @throws 400 `validation_failed` naming the field.
 */
export async function setPlatformChannel(
  deps: ServiceDeps,
  actor: Actor,
  platform: string,
  input: {
    webhookUrl?: string | null | undefined;
    webhookSecret?: string | null | undefined;
    email?: string | null | undefined;
  },
): Promise<PlatformChannel> {
  authorize(actor, 'delivery_channel.update');
  if (!isNoticePlatform(platform))
    throw badRequest('validation_failed', `${platform} receives no notices.`, 'platform');
  if (input.webhookUrl != null && !/^https?:\/\/[^\s/]+/.test(input.webhookUrl)) {
    throw badRequest('validation_failed', 'The webhook URL must be http(s).', 'webhookUrl');
  }
  if (
    input.webhookUrl != null &&
    (input.webhookSecret == null || input.webhookSecret.length < 16)
  ) {
    throw badRequest(
      'validation_failed',
      'A webhook needs a secret of at least 16 characters.',
      'webhookSecret',
    );
  }
  if (input.email != null && !/^[^\s@]+@[^\s@]+$/.test(input.email)) {
    throw badRequest('validation_failed', 'Not an e-mail address.', 'email');
  }
  const at = isoTime(deps.clock.now());
  const row = {
    platform,
    webhook_url: input.webhookUrl ?? null,
    webhook_secret: input.webhookUrl == null ? null : (input.webhookSecret ?? null),
    email: input.email ?? null,
    updated_at: at,
  };
  const noticesQueued = await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('platform_channels')
      .values(row)
      .onConflict((oc) =>
        oc.column('platform').doUpdateSet({
          webhook_url: row.webhook_url,
          webhook_secret: row.webhook_secret,
          email: row.email,
          updated_at: at,
        }),
      )
      .execute();
    await recordEvent(trx, {
      type: 'platform_channel.set',
      subjectType: 'takedown_notice',
      subjectId: `channel:${platform}`,
      actor: actorLabel(actor),
      at,
      data: {
        platform,
        webhookUrl: row.webhook_url,
        webhookSigned: row.webhook_secret !== null,
        email: row.email,
      },
    });
    return redeliverPending(trx, deps, platform, at);
  });
  return {
    platform,
    webhookUrl: row.webhook_url,
    webhookSigned: row.webhook_secret !== null,
    email: row.email,
    updatedAt: at,
    noticesQueued,
  };
}

/**
 * After a platform's channel was set or repaired, inside the caller's transaction: every notice
 * of the platform still `pending_delivery` gets a delivery on each channel now offered that has
 * none queued (one given up earlier is queued again), and those already queued are due now
 * rather than after their backoff.
 * @returns the number of pending notices with a delivery queued.
 */
async function redeliverPending(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  platform: string,
  at: string,
): Promise<number> {
  const pending = await trx
    .selectFrom('takedown_notices')
    .select(['id', 'platform'])
    .where('platform', '=', platform)
    .where('state', '=', 'pending_delivery')
    .orderBy('created_at')
    .execute();
  if (pending.length === 0) return 0;
  let queued = 0;
  for (const notice of pending) {
    await queueDeliveries(trx, deps, notice, at);
    const live = await trx
      .updateTable('outbox')
      .set({ next_attempt_at: at })
      .where('ref', '=', notice.id)
      .where('kind', 'in', ['notice_webhook', 'notice_email'])
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirst();
    if (Number(live.numUpdatedRows) > 0) queued += 1;
  }
  return queued;
}
