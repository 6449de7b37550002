/**
 * How an evidence capture ended: `fetched` (a final, non-redirect response was recorded),
 * `refused` (the outbound policy refused the destination; nothing was sent there) or `failed`
 * (network errors or limits).
 */
export const CAPTURE_OUTCOMES = ['fetched', 'refused', 'failed'] as const;
export type CaptureOutcome = (typeof CAPTURE_OUTCOMES)[number];
