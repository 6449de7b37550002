/**
 * What a notice says: its targets (what the platform is asked to act on), its delivery terms
 * (when it counts as sent, its deadline) and the facts of its X-ARF v4 report.
 */
import type { Kysely } from 'kysely';
import { findCase } from '../cases/index.js';
import { matchKey } from '../indicators/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import type { Database } from '../store/index.js';
import { ENTITY_KINDS, isScamType } from '../vocabulary/index.js';
import { noticeTargets, type NoticeTargetPlan } from './notice-targets.js';
import { storedTargets } from './notices.presenter.js';
import {
  entityNamesOf,
  fetchedCapturesOf,
  noticeTargetSources,
  type NoticeRow,
} from './notices.repo.js';
import type { NoticeEvidence, NoticeFacts } from './xarf.js';

/** What noticeTargets needs of a case, read from the store. */
export async function targetPlanOf(
  db: Kysely<Database>,
  config: ServiceDeps['config'],
  caseId: string,
  casePlatform: string,
): Promise<NoticeTargetPlan> {
  const { indicators, reports } = await noticeTargetSources(db, caseId);
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
      : await entityNamesOf(db, row.impersonated_entity_id);
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
  const captures = urls.size === 0 ? [] : await fetchedCapturesOf(db, notice.case_id);
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
