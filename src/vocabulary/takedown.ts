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
 * States of a notice that has not ended: the platform may still act on it, and the case gets no
 * second notice to the same platform while one is open.
 */
export const OPEN_NOTICE_STATES: readonly NoticeState[] = [
  'pending_delivery',
  'sent',
  'acknowledged',
  'overdue',
];

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
