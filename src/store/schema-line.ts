import type { Generated } from 'kysely';

/**
 * The LINE bot's private tables (migration 0027, src/line). LINE user IDs live in `line_users`
 * only (and in `line_webhook_events.body` until the event is processed); everything else names a
 * user by pseudonym. No public route reads these tables.
 */
export interface LineTables {
  line_webhook_events: LineWebhookEventsTable;
  line_users: LineUsersTable;
  line_report_offers: LineReportOffersTable;
}

/** One accepted webhook event; a redelivery (same webhookEventId) is not stored again. */
export interface LineWebhookEventsTable {
  webhook_event_id: string;
  /** The event's own time (LINE `timestamp`), ISO 8601: events are processed in this order. */
  event_at: string;
  received_at: string;
  /**
   * `pending`, `processing` (claimed by a node at `claimed_at`), `retry` (an attempt failed at
   * `claimed_at`; tried again after a delay), `done` or `failed`.
   */
  state: string;
  /** The event's JSON while it waits; null once processed (it holds the raw user ID). */
  body: string | null;
  claimed_at: string | null;
  /** Attempts made (each claim counts one). */
  attempts: Generated<number>;
  processed_at: string | null;
  /** Why processing failed (no personal data), or null. */
  error: string | null;
}

/** A LINE user the bot has met. */
export interface LineUsersTable {
  /** Keyed hash of the user ID (line/pseudonym.ts): the only name other tables use. */
  pseudonym: string;
  /** The raw LINE user ID (`U` + 32 hex): private, needed to push. */
  user_id: string;
  /** The profile's language (BCP 47, e.g. `en`, `zh-TW`) or null when unknown. */
  language: string | null;
  updated_at: string;
}

/** Content a user sent that the bot offered to report, and the report made of it. */
export interface LineReportOffersTable {
  /** Random ID carried in the postback (`report:<id>`). */
  id: string;
  pseudonym: string;
  text: string | null;
  /** SHA-256 of a screenshot in the evidence blob store, or null. */
  screenshot_sha256: string | null;
  created_at: string;
  report_id: string | null;
  case_id: string | null;
}
