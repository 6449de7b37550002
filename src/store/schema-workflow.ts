import type { Generated } from 'kysely';

/**
 * Tables of the case workflow: the entity registry and routing rules (分案), decision links
 * (確認), takedown notices with their deliveries, the outbox of outgoing messages and the
 * sanction ledger (通知下架). Workflow columns of `cases` are declared in schema.ts.
 */
export interface WorkflowTables {
  entities: EntitiesTable;
  routing_rules: RoutingRulesTable;
  decision_links: DecisionLinksTable;
  takedown_notices: TakedownNoticesTable;
  notice_deliveries: NoticeDeliveriesTable;
  platform_channels: PlatformChannelsTable;
  outbox: OutboxTable;
  sanctions: SanctionsTable;
}

export interface EntitiesTable {
  /** Readable slug chosen by an admin, e.g. `fsc`, `npa-165`, `tsmc`. */
  id: string;
  /** `public_figure`, `company` or `agency`. */
  kind: string;
  name_zh: string;
  name_en: string | null;
  /** JSON array of alias strings (other names, common misspellings). */
  aliases: string;
  /** JSON array of the entity's official registrable domains. */
  domains: string;
  contact_email: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export interface RoutingRulesTable {
  id: Generated<number>;
  /** Lower runs first; the first matching rule routes the case. */
  priority: number;
  scam_type: string | null;
  /** `public_figure` | `company` | `agency` | `any` (some entity) | `none` (no entity) | null (don't care). */
  impersonated_kind: string | null;
  platform: string | null;
  /** `impersonated` (the impersonated entity itself) or an entity ID. */
  target: string;
  note: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface DecisionLinksTable {
  /** The token's unique ID (jti). */
  id: string;
  case_id: string;
  entity_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface TakedownNoticesTable {
  id: string;
  case_id: string;
  platform: string;
  /** pending_delivery | sent | acknowledged | overdue | removed | restricted | rejected | withdrawn */
  state: string;
  /** The content's URL on the platform, when known. */
  content_url: string | null;
  /**
   * JSON array of what the platform is asked to act on, `{ type: url | line_id | phone, value }`
   * (migration 0016); null for notices created before it.
   */
  targets: string | null;
  created_at: string;
  /**
   * When the platform was told: the first successful delivery. While the notice is still
   * `pending_delivery` (no delivery succeeded) it holds `created_at` and no deadline runs; the
   * API shows `sentAt`, `firstDeadlineAt` and `deadlineAt` as null until `delivered_at` is set.
   */
  sent_at: string;
  /** The deadline first given (from the first delivery); compliance is measured against it. */
  first_deadline_at: string;
  /** The current deadline; moves on by one period at each missed deadline. */
  deadline_at: string;
  /**
   * ISO 8601 UTC: the first successful delivery (webhook 2xx, SMTP accepted, or the liaison's
   * acknowledgement in the portal); null while `pending_delivery` (migration 0019).
   */
  delivered_at: string | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
  outcome_reason: string | null;
  missed_deadlines: number;
  updated_at: string;
  /** Last re-check of the content by scamnet (takedown monitoring). */
  last_checked_at: string | null;
  /** When scamnet itself saw the content removed (closing the notice). */
  removal_observed_at: string | null;
  /** When a re-check saw live content the platform had said was removed. */
  claim_contradicted_at: string | null;
}

export interface NoticeDeliveriesTable {
  id: Generated<number>;
  notice_id: string;
  /** `webhook` or `email`. */
  channel: string;
  attempt: number;
  at: string;
  /** `delivered` or `failed`. */
  status: string;
  /** HTTP status or SMTP response code, when there was one. */
  response_code: number | null;
  detail: string | null;
}

export interface PlatformChannelsTable {
  platform: string;
  webhook_url: string | null;
  /** HMAC-SHA256 key for the X-Scamnet-Signature header. */
  webhook_secret: string | null;
  email: string | null;
  updated_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  /** `notice_webhook`, `notice_email`, `decision_link_email`, `escalation_email`. */
  kind: string;
  /** The notice or case the message is about. */
  ref: string;
  /** JSON of what to send. */
  payload: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  done_at: string | null;
  failed_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface SanctionsTable {
  id: Generated<number>;
  notice_id: string;
  platform: string;
  /** 1 for the first missed deadline of the notice, 2 for the second, … */
  occurrence: number;
  missed_deadline_at: string;
  legal_basis: string;
  fine_min: number;
  fine_max: number;
  currency: string;
  created_at: string;
}
