import { conflict } from '../shared/errors.js';

/**
 * States of a takedown notice: `sent` (the platform has it; the deadline runs), `acknowledged`
 * (the platform confirmed receipt), `overdue` (a deadline passed without an outcome; stays until
 * one arrives), and the final `removed`, `restricted`, `rejected` (the platform's outcome) and
 * `withdrawn` (the verdict was reversed).
 */
export const NOTICE_STATES = [
  'sent',
  'acknowledged',
  'overdue',
  'removed',
  'restricted',
  'rejected',
  'withdrawn',
] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/** Outcomes a platform can report. */
export const NOTICE_OUTCOMES = ['removed', 'restricted', 'rejected'] as const;
export type NoticeOutcome = (typeof NOTICE_OUTCOMES)[number];

/** States in which the deadline still runs. */
export const OPEN_NOTICE_STATES: readonly NoticeState[] = ['sent', 'acknowledged', 'overdue'];

const NOTICE_TRANSITIONS: Readonly<Record<NoticeState, readonly NoticeState[]>> = {
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

/** Reads a stored state (unknown values count as `sent`). */
export function noticeStateOf(value: string): NoticeState {
  return NOTICE_STATES.find((s) => s === value) ?? 'sent';
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
