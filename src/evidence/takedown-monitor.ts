/**
 * Takedown monitoring runner: re-checks the content of takedown notices on the configured
 * schedule (RECHECK_INTERVAL_MINUTES for RECHECK_DURATION_HOURS after sending), records every
 * check as evidence, closes open notices whose content scamnet saw removed, and flags removal
 * claims that scamnet sees contradicted. The notice workflow plugs in through
 * {@link TakedownMonitorHooks}, so this module does not depend on the takedown capability.
 */
import type { ServiceDeps } from '../shared/deps.js';
import { isoTime } from '../shared/clock.js';
import { recheckUrl, type CaptureRunOptions } from './capture.service.js';
import { nextRecheckAt, type ObservedState, type RecheckSchedule } from './recheck.js';

/** A notice as monitoring needs to see it. Times are ms since the epoch (UTC). */
export interface MonitoredNotice {
  readonly noticeId: string;
  readonly caseId: string;
  /** The reported URLs of the notice's content, as reported. */
  readonly urls: readonly string[];
  readonly sentAt: number;
  /** The last re-check recorded through `recordRecheck`, or null. */
  readonly lastCheckedAt: number | null;
  /** When the platform said the content was removed/restricted, or null. */
  readonly claimedRemovedAt: number | null;
  /** True while the notice awaits an outcome (sent, acknowledged, overdue). */
  readonly open: boolean;
}

/** One re-check of one notice (all its URLs). */
export interface NoticeRecheck {
  readonly checkedAt: number;
  /** `removed` when every URL was seen removed, `live` when any was live, else `unknown`. */
  readonly state: ObservedState;
  /** Capture IDs of the check, one per URL (each an `evidence.rechecked` log leaf). */
  readonly captureIds: readonly string[];
  /** The reasons per URL, e.g. `http_404`, `soft_404:facebook`. */
  readonly reasons: readonly string[];
}

/**
 * What the notice workflow provides to monitoring (issue 4 ↔ issue 8). Each method runs its own
 * transaction and records its own audit event.
 */
export interface TakedownMonitorHooks {
  /** Notices sent within the monitoring window or still open, with their URLs. */
  listMonitoredNotices(now: number): Promise<readonly MonitoredNotice[]>;
  /** Stores a re-check against the notice (its lastCheckedAt becomes `check.checkedAt`). */
  recordRecheck(noticeId: string, check: NoticeRecheck): Promise<void>;
  /**
   * Closes an open notice as removed at `check.checkedAt`, observed by scamnet (not reported by
   * the platform), with the captures as evidence; marks the case removed like a platform outcome.
   */
  closeAsObservedRemoved(noticeId: string, check: NoticeRecheck): Promise<void>;
  /** Flags a platform's removal claim that a re-check after it saw live. */
  flagClaimContradicted(noticeId: string, check: NoticeRecheck): Promise<void>;
}

/** What one monitoring run did. */
export interface MonitorRunSummary {
  checked: number;
  removedObserved: number;
  claimsContradicted: number;
}

/** The schedule from config. */
export function recheckScheduleOf(deps: Pick<ServiceDeps, 'config'>): RecheckSchedule {
  return {
    intervalMinutes: deps.config.evidence.recheckIntervalMinutes,
    durationHours: deps.config.evidence.recheckDurationHours,
  };
}

/**
 * Re-checks every notice that is due at `deps.clock.now()`: open notices until their content is
 * seen removed, and notices the platform closed as removed (to catch false claims), each for the
 * configured duration after sending. Safe to run from a timer or cron; a notice that is not due
 * is skipped.
 */
export async function runTakedownRechecks(
  deps: ServiceDeps,
  hooks: TakedownMonitorHooks,
  options: CaptureRunOptions = {},
): Promise<MonitorRunSummary> {
  const schedule = recheckScheduleOf(deps);
  const now = deps.clock.now();
  const summary: MonitorRunSummary = { checked: 0, removedObserved: 0, claimsContradicted: 0 };
  for (const notice of await hooks.listMonitoredNotices(now)) {
    if (!notice.open && notice.claimedRemovedAt === null) continue;
    const windowEnd = notice.sentAt + schedule.durationHours * 3_600_000;
    const due = nextRecheckAt(notice.sentAt, notice.lastCheckedAt, schedule);
    if (due === null || due > now || now > windowEnd || notice.urls.length === 0) continue;
    const captures = [];
    for (const url of notice.urls) {
      captures.push(
        await recheckUrl(deps, url, { ...options, caseId: notice.caseId, actor: 'system:recheck' }),
      );
    }
    const states = captures.map((c) => c.observation?.state ?? 'unknown');
    const state: ObservedState = states.includes('live')
      ? 'live'
      : states.every((s) => s === 'removed')
        ? 'removed'
        : 'unknown';
    const check: NoticeRecheck = {
      checkedAt: now,
      state,
      captureIds: captures.map((c) => c.id),
      reasons: captures.map((c) => c.observation?.reason ?? 'unknown'),
    };
    await hooks.recordRecheck(notice.noticeId, check);
    summary.checked += 1;
    if (state === 'removed' && notice.open) {
      await hooks.closeAsObservedRemoved(notice.noticeId, check);
      summary.removedObserved += 1;
    }
    if (state === 'live' && notice.claimedRemovedAt !== null && now >= notice.claimedRemovedAt) {
      await hooks.flagClaimContradicted(notice.noticeId, check);
      summary.claimsContradicted += 1;
    }
    deps.log.info(
      { noticeId: notice.noticeId, state, at: isoTime(now) },
      'takedown content re-checked',
    );
  }
  return summary;
}
