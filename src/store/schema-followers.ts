import type { Generated } from 'kysely';

/**
 * Followers of a case and what they were told (issue 15, migration 0028; src/followers). A
 * follower is a Web Push subscription or a LINE user's pseudonym, never an account; it is removed
 * by its unsubscribe token (stored hashed) or when the push service says the subscription is gone.
 */
export interface FollowerTables {
  case_followers: CaseFollowersTable;
  case_follower_deliveries: CaseFollowerDeliveriesTable;
}

export interface CaseFollowersTable {
  id: string;
  case_id: string;
  /** `web_push` | `line` (FOLLOWER_CHANNELS). */
  channel: string;
  /** web_push: the PushSubscription JSON `{ endpoint, keys: { p256dh, auth } }`; line: the pseudonym. */
  target: string;
  /** SHA-256 (hex) of the endpoint or pseudonym: one follower per target and case. */
  target_key: string;
  /** SHA-256 (hex) of the unsubscribe token. */
  token_hash: string;
  /** `zh-TW` | `en`: the language of the messages. */
  language: string;
  /** The case's public state when it was followed: it is on the page already, never sent. */
  initial_status: string;
  created_at: string;
}

export interface CaseFollowerDeliveriesTable {
  id: Generated<number>;
  follower_id: string;
  case_id: string;
  /** The public state this message tells; unique with follower_id. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  /** Leased to the process attempting it until then. */
  locked_until: string | null;
  /** When the channel accepted the message (a 2xx from the push service). */
  sent_at: string | null;
  /** When it was given up. */
  failed_at: string | null;
  last_error: string | null;
  created_at: string;
}
