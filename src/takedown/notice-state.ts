import { conflict } from '../shared/errors.js';
import { NOTICE_STATES, type NoticeState } from '../vocabulary/index.js';

// The notice vocabulary lives in src/vocabulary (the web UI shares it); the takedown files read it
// here, beside the state machine.
export {
  NOTICE_OUTCOMES,
  NOTICE_PLATFORMS,
  NOTICE_STATES,
  OPEN_NOTICE_STATES,
  PENDING_REASONS,
  isNoticePlatform,
  type NoticeOutcome,
  type NoticePlatform,
  type NoticeState,
  type PendingReason,
} from '../vocabulary/index.js';

/** States in which the deadline runs (the notice was delivered and has not ended). */
export const DEADLINE_NOTICE_STATES: readonly NoticeState[] = ['sent', 'acknowledged', 'overdue'];

const NOTICE_TRANSITIONS: Readonly<Record<NoticeState, readonly NoticeState[]>> = {
  pending_delivery: ['sent', 'acknowledged', 'removed', 'restricted', 'rejected', 'withdrawn'],
  sent: ['acknowledged', 'overdue', 'removed', 'restricted', 'rejected', 'withdrawn'],
  acknowledged: ['overdue', 'removed', 'restricted', 'rejected', 'withdrawn'],
  overdue: ['overdue', 'removed', 'restricted', 'rejected', 'withdrawn'],
  removed: [],
  restricted: [],
  rejected: [],
  withdrawn: [],
};

/** Throws 409 `illegal_transition` unless a notice may move from `from` to `to`. */
export function assertNoticeTransition(from: NoticeState, to: NoticeState): void {
  if (!NOTICE_TRANSITIONS[from].includes(to)) {
    throw conflict('illegal_transition', `A notice in state ${from} cannot become ${to}.`);
  }
}

/** Reads a stored state (unknown values count as `pending_delivery`: nothing claims a delivery). */
export function noticeStateOf(value: string): NoticeState {
  return NOTICE_STATES.find((s) => s === value) ?? 'pending_delivery';
}
