import {
  type NoticeRecheck,
  type MonitoredNotice,
  type TakedownMonitorHooks,
} from '../evidence/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { noticeStateOf, OPEN_NOTICE_STATES } from './notice-state.js';
import { resolveNotice } from './notice-progress.service.js';
import {
  findNotice,
  markClaimContradicted,
  monitoredNotices,
  reportedUrlsOfCase,
  setNoticeCheckedAt,
} from './notices.repo.js';

import { recordEvent, type AuditEvent } from '../log/index.js';
const SYSTEM = 'system:recheck';

/**
 * The URLs whose content a notice is about: its content URL; none for a notice about a LINE ID or
 * phone (targets stored, no URL among them: a reported website is not what it asked to remove);
 * for a notice from before migration 0016 without one, every URL reported for the case.
 */
async function urlsOf(
  db: ServiceDeps['db'],
  notice: { case_id: string; content_url: string | null; targets: string | null },
): Promise<string[]> {
  if (notice.content_url !== null) return [notice.content_url];
  if (notice.targets !== null) return [];
  return reportedUrlsOfCase(db, notice.case_id);
}

/** The events a re-check records on a notice without closing it. */
type CheckEventType = 'takedown_notice.rechecked' | 'takedown_notice.claim_contradicted';

/**
 * In one transaction: `change` (a notices.repo write) of notice `noticeId` at the check's time,
 * and the check's event `type` with `data`, by scamnet's re-check (SYSTEM).
 */
async function recordNoticeCheck<T extends CheckEventType>(
  db: ServiceDeps['db'],
  noticeId: string,
  check: NoticeRecheck,
  change: (trx: ServiceDeps['db'], noticeId: string, at: string) => Promise<void>,
  event: Pick<AuditEvent<T>, 'type' | 'data'>,
): Promise<void> {
  const at = isoTime(check.checkedAt);
  await db.transaction().execute(async (trx) => {
    await change(trx, noticeId, at);
    await recordEvent(trx, {
      ...event,
      subjectType: 'takedown_notice',
      subjectId: noticeId,
      actor: SYSTEM,
      at,
    });
  });
}

/**
 * The notice workflow's side of takedown monitoring (evidence/takedown-monitor.ts): which notices
 * to re-check, and what a re-check does to them — recorded, an open notice closed as removed
 * when scamnet sees the content gone (`removal_observed_at`, the case marked removed), a
 * platform's removal claim flagged when the content is seen live (`claim_contradicted_at`).
 * Each hook runs its own transaction and records an audit event.
 */
export function takedownMonitorHooks(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
): TakedownMonitorHooks {
  const windowMs = deps.config.evidence.recheckDurationHours * 3_600_000;
  return {
    async listMonitoredNotices(now: number): Promise<readonly MonitoredNotice[]> {
      const rows = await monitoredNotices(deps.db, isoTime(now - windowMs));
      const out: MonitoredNotice[] = [];
      for (const row of rows) {
        const open = OPEN_NOTICE_STATES.includes(noticeStateOf(row.state));
        out.push({
          noticeId: row.id,
          caseId: row.case_id,
          urls: await urlsOf(deps.db, row),
          sentAt: Date.parse(row.sent_at),
          lastCheckedAt: row.last_checked_at === null ? null : Date.parse(row.last_checked_at),
          claimedRemovedAt: !open && row.resolved_at !== null ? Date.parse(row.resolved_at) : null,
          open,
        });
      }
      return out;
    },

    async recordRecheck(noticeId: string, check: NoticeRecheck): Promise<void> {
      await recordNoticeCheck(deps.db, noticeId, check, setNoticeCheckedAt, {
        type: 'takedown_notice.rechecked',
        data: {
          state: check.state,
          captureIds: [...check.captureIds],
          reasons: [...check.reasons],
        },
      });
    },

    async closeAsObservedRemoved(noticeId: string, check: NoticeRecheck): Promise<void> {
      const at = isoTime(check.checkedAt);
      await deps.db.transaction().execute(async (trx) => {
        const row = await findNotice(trx, noticeId);
        if (row === undefined || !OPEN_NOTICE_STATES.includes(noticeStateOf(row.state))) return;
        await resolveNotice(trx, {
          notice: row,
          outcome: 'removed',
          reason: `observed removed by scamnet (${check.reasons.join(', ')})`,
          actor: SYSTEM,
          at,
          removalObservedAt: at,
        });
      });
    },

    async flagClaimContradicted(noticeId: string, check: NoticeRecheck): Promise<void> {
      await recordNoticeCheck(deps.db, noticeId, check, markClaimContradicted, {
        type: 'takedown_notice.claim_contradicted',
        data: { captureIds: [...check.captureIds], reasons: [...check.reasons] },
      });
    },
  };
}
