import { conflict } from '../shared/errors.js';

/**
 * States of a takedown notice: `pending_delivery` (created, but no delivery has succeeded yet:
 * the platform has not been told, no deadline runs and no sanction can be recorded; staff see it
 * as a problem to fix), `sent` (a delivery succeeded; the deadline runs from it), `acknowledged`
 * (the platform confirmed receipt), `overdue` (a deadline passed without an outcome; stays until
 * one arrives), and the final `removed`, `restricted`, `rejected` (the platform's outcome) and
 * `withdrawn` (the verdict was reversed).
 */
export const NOTICE_STATES = [
  'pending_delivery',
  'sent',
  'acknowledged',
  'overdue',
  'removed',
  'restricted',
  'rejected',
  'withdrawn',
] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/**
 * Why a `pending_delivery` notice has not reached its platform: `no_channel` (no webhook, and no
 * e-mail address with SMTP configured), `queued` (a delivery waits for the sweep), `retrying`
 * (deliveries failed and will be retried), `given_up` (every delivery failed MAX_ATTEMPTS times;
 * setting the channel again queues it anew).
 */
export const PENDING_REASONS = ['no_channel', 'queued', 'retrying', 'given_up'] as const;
export type PendingReason = (typeof PENDING_REASONS)[number];

/** Outcomes a platform can report. */
export const NOTICE_OUTCOMES = ['removed', 'restricted', 'rejected'] as const;
export type NoticeOutcome = (typeof NOTICE_OUTCOMES)[number];

/**
 * States of a notice that has not ended: the platform may still act on it, and the case gets no
 * second notice to the same platform while one is open.
 */
export const OPEN_NOTICE_STATES: readonly NoticeState[] = [
  'pending_delivery',
  'sent',
  'acknowledged',
  'overdue',
];

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

/** Platforms that receive takedown notices (websites are blocked through the blocklist instead). */
export const NOTICE_PLATFORMS = [
  'facebook',
  'instagram',
  'threads',
  'messenger',
  'meta_audience_network',
  'line',
  'google',
  'youtube',
  'tiktok',
] as const;
export type NoticePlatform = (typeof NOTICE_PLATFORMS)[number];

/** Type guard: does this platform receive notices? */
export function isNoticePlatform(platform: string): platform is NoticePlatform {
  return (NOTICE_PLATFORMS as readonly string[]).includes(platform);
}
