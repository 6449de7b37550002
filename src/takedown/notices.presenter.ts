import { noticeStateOf, type NoticeState, type PendingReason } from './notice-state.js';
import type { NoticeTarget } from './notice-targets.js';
import type { DeliveryRow, NoticeRow } from './notices.repo.js';

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

/** One delivery attempt of a notice as the API shows it. */
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

/** Maps a stored delivery attempt to the API shape. */
export function presentDelivery(row: DeliveryRow): NoticeDelivery {
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
export function storedTargets(notice: NoticeRow): NoticeTarget[] | null {
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
