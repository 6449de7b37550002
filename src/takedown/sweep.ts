import { runTakedownRechecks, type MonitorRunSummary } from '../evidence/index.js';

import { publicLinkBase } from '../config/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { deliver } from './delivery.js';
import { noticeStateOf } from './notice-state.js';
import { takedownMonitorHooks } from './monitor.js';
import { dueNotices, transitionNotice } from './notices.repo.js';
import { insertSanction } from './compliance.repo.js';
import { processOutbox } from './outbox.js';
import { enqueue } from './outbox.repo.js';
import { sanctionFor } from './sanctions.js';

import { recordEvent } from '../log/index.js';
import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
/** What one sweep did. */
export interface SweepResult {
  /** Missed deadlines recorded (a notice overdue for three periods counts three). */
  missedDeadlines: number;
  sanctions: number;
  deliveries: { sent: number; retried: number; failed: number };
  /** Takedown monitoring (TAKEDOWN_RECHECKS): content re-checked, removals observed, claims contradicted. */
  rechecks: MonitorRunSummary;
}

/** The case link of an escalation e-mail, or nothing when PUBLIC_BASE_URL names this machine only. */
function escalationLink(deps: ServiceDeps, caseId: string): string {
  const base = publicLinkBase(deps.config.workflow);
  return base === null ? '' : `\n${base}/cases/${caseId}`;
}

/** At most this many missed periods are recorded per notice per sweep (a safety bound). */
const MAX_PERIODS_PER_SWEEP = 1000;

/**
 * The periodic sweep (every SWEEP_INTERVAL_SECONDS in the server; `scamnet sweep` by hand):
 * 1. every open notice whose deadline has passed becomes `overdue`, its deadline moves on by one
 *    period, a sanction-ledger entry is written for that occurrence (schedule from config; each
 *    missed deadline is a separate occurrence) and the notice is escalated (event, and an e-mail
 *    to ESCALATION_EMAIL when set);
 * 2. when TAKEDOWN_RECHECKS is on, notices' content is re-checked on its schedule (takedown
 *    monitoring: a removal scamnet sees closes the notice; a contradicted claim is flagged);
 * 3. due outgoing messages are delivered (outbox.ts).
 * Idempotent and safe with several processes: each deadline is claimed by a conditional update
 * on (state, deadline), and the ledger has one row per (notice, occurrence).
 */
export async function runSweep(deps: ServiceDeps): Promise<SweepResult> {
  const nowMs = deps.clock.now();
  const now = isoTime(nowMs);
  const periodMs = deps.config.workflow.noticeDeadlineHours * 3_600_000;
  let missedDeadlines = 0;
  let sanctions = 0;
  for (const notice of await dueNotices(deps.db, now, 500)) {
    let state = noticeStateOf(notice.state);
    let deadline = notice.deadline_at;
    let missed = Number(notice.missed_deadlines);
    for (let i = 0; i < MAX_PERIODS_PER_SWEEP && deadline <= now; i += 1) {
      const occurrence = missed + 1;
      const nextDeadline = isoTime(Date.parse(deadline) + periodMs);
      const step = sanctionFor(deps.config.workflow.sanctionSchedule, occurrence);
      const claimed = await deps.db.transaction().execute(async (trx) => {
        const ok = await transitionNotice(
          trx,
          notice.id,
          state,
          {
            state: 'overdue',
            deadline_at: nextDeadline,
            missed_deadlines: occurrence,
            updated_at: now,
          },
          deadline,
        );
        if (!ok) return false;
        await recordEvent(trx, {
          type: 'takedown_notice.overdue',
          subjectType: 'takedown_notice',
          subjectId: notice.id,
          actor: 'system:sweep',
          at: now,
          data: {
            before: state,
            after: 'overdue',
            missedDeadlineAt: deadline,
            occurrence,
            nextDeadlineAt: nextDeadline,
          },
        });
        if (step !== undefined) {
          const inserted = await insertSanction(trx, {
            notice_id: notice.id,
            platform: notice.platform,
            occurrence,
            missed_deadline_at: deadline,
            legal_basis: step.legalBasis,
            fine_min: step.fineMin,
            fine_max: step.fineMax,
            currency: step.currency,
            created_at: now,
          });
          if (inserted) {
            sanctions += 1;
            await recordEvent(trx, {
              type: 'sanction.recorded',
              subjectType: 'takedown_notice',
              subjectId: notice.id,
              actor: 'system:sweep',
              at: now,
              data: { platform: notice.platform, occurrence, ...step },
            });
          }
        }
        await recordEvent(trx, {
          type: 'takedown_notice.escalated',
          subjectType: 'takedown_notice',
          subjectId: notice.id,
          actor: 'system:sweep',
          at: now,
          data: { level: occurrence, caseId: notice.case_id, platform: notice.platform },
        });
        const to = deps.config.workflow.escalationEmail;
        if (to !== undefined && deps.config.workflow.smtpUrl !== undefined) {
          await enqueue(trx, {
            kind: 'escalation_email',
            ref: notice.id,
            payload: {
              to,
              subject: `[scamnet] Overdue takedown notice ${notice.id} (${notice.platform}), missed deadline #${occurrence}`,
              text: `Notice ${notice.id} to ${notice.platform} for case ${notice.case_id} missed its deadline ${deadline}.${escalationLink(deps, notice.case_id)}`,
            },
            at: now,
          });
        }
        return true;
      });
      if (!claimed) break;
      missedDeadlines += 1;
      state = 'overdue';
      deadline = nextDeadline;
      missed = occurrence;
    }
  }
  const rechecks: MonitorRunSummary = deps.config.workflow.takedownRechecks
    ? await runTakedownRechecks(deps, takedownMonitorHooks(deps))
    : { checked: 0, removedObserved: 0, claimsContradicted: 0 };
  const deliveries = await processOutbox(
    deps,
    (message) => deliver(deps, message),
    async (message, error, db) => {
      await recordEvent(db, {
        type: 'delivery.given_up',
        subjectType:
          message.kind.startsWith('notice') || message.kind === 'escalation_email'
            ? 'takedown_notice'
            : 'case',
        subjectId: message.ref,
        actor: 'system:sweep',
        at: isoTime(deps.clock.now()),
        data: { kind: message.kind, attempts: message.attempt, error },
      });
    },
  );
  return { missedDeadlines, sanctions, deliveries, rechecks };
}

/** An admin runs the sweep now (the same as the timer's run). @throws 401/403 for others. */
export async function sweepNow(deps: ServiceDeps, actor: Actor): Promise<SweepResult> {
  authorize(actor, 'sweep.run');
  return runSweep(deps);
}
