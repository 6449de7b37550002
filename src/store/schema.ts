import type { Generated } from 'kysely';
import type { BlocklistTables } from './schema-blocklist.js';
import type { DedupTables } from './schema-dedup.js';
import type { DemoTables } from './schema-demo.js';
import type { EvidenceTables } from './schema-evidence.js';
import type { FollowerTables } from './schema-followers.js';
import type { HashListTables } from './schema-hashlists.js';
import type { IdentityTables } from './schema-identity.js';
import type { StatisticsTables } from './schema-statistics.js';
import type { ViewTables } from './schema-views.js';
import type { LookupTables } from './schema-lookup.js';
import type { LineTables } from './schema-line.js';
import type { ScannerTables } from './schema-scanner.js';
import type { WorkflowTables } from './schema-workflow.js';

/**
 * Database tables as Kysely sees them. Columns are snake_case here and camelCase in the rest of
 * the code; the mapping happens in the repos (`*.repo.ts`), nowhere else. Timestamps are ISO 8601
 * UTC strings (`2026-11-29T10:00:00.000Z`) on both dialects, so they sort and compare as text.
 */
export type Database = CoreTables &
  EvidenceTables &
  WorkflowTables &
  BlocklistTables &
  IdentityTables &
  StatisticsTables &
  DedupTables &
  ViewTables &
  HashListTables &
  LookupTables &
  LineTables &
  FollowerTables &
  ScannerTables &
  DemoTables;

/**
 * Tables of report intake, cases and verdicts. Each capability that owns tables declares them in
 * its own `*Tables` interface in this folder and adds it to `Database` above (`CoreTables & …`).
 */
export interface CoreTables {
  cases: CasesTable;
  reports: ReportsTable;
  indicators: IndicatorsTable;
  case_indicators: CaseIndicatorsTable;
  case_keys: CaseKeysTable;
  verdicts: VerdictsTable;
}

export interface CasesTable {
  id: string;
  status: string;
  verdict: string;
  platform: string;
  summary: string | null;
  /**
   * The summary as public pages show it, personal data redacted (migration 0019; intake's public
   * form); null when nothing was redacted: read `coalesce(public_summary, summary)`.
   */
  public_summary: string | null;
  /** The version of the rule the public forms of this case were made with (PUBLIC_FORM_VERSION). */
  public_form_version: Generated<number>;
  report_count: number;
  first_reported_at: string;
  last_reported_at: string;
  decided_at: string | null;
  /** When scamnet learned that the content was removed (platform removal, DNS suspension). */
  removed_at: string | null;
  /** Source of the first report: `citizen`, `cofacts`, `tw165`, … */
  source: string;
  created_at: string;
  updated_at: string;
  /** Workflow stage: triage | verification | need_info | decided | notified | removed. */
  stage: Generated<string>;
  /** One of the ten 詐騙樣態 (ScamType), set by triage or an analyst. */
  scam_type: string | null;
  impersonated_entity_id: string | null;
  /** 0–100, higher is riskier (triage/risk.ts). */
  risk_score: number | null;
  /** The entity whose verifiers confirm this case. */
  routed_entity_id: string | null;
  triaged_at: string | null;
  /** JSON array of triage fields an analyst has overridden (kept on re-triage). */
  overrides: Generated<string>;
  /** The open question of a `need_info` decision. */
  info_question: string | null;
}

export interface ReportsTable {
  id: string;
  case_id: string;
  received_at: string;
  source: string;
  channel: string;
  platform: string | null;
  /** The URL exactly as submitted. */
  url: string | null;
  /** Safe Browsing canonical form of `url`. */
  canonical_url: string | null;
  text: string | null;
  /** Title of the content (site name, ad headline) when the source gives one. */
  title: string | null;
  /**
   * `text` and `title` as public pages show them, personal data redacted (migration 0019); null
   * when nothing was redacted: read `coalesce(public_text, text)`.
   */
  public_text: string | null;
  public_title: string | null;
  /** The source's own identifier of this report, for idempotent imports. */
  external_id: string | null;
  /** The signed-in reporter's user ID (migration 0005); never shown on public routes. */
  reporter_user_id: string | null;
  /**
   * A contact for follow-up the reporter chose to give (migration 0012): an e-mail address or an
   * E.164 phone number; personal data, shown to analysts only, never on public routes.
   */
  reporter_contact: string | null;
  /** `email` or `phone` when reporter_contact is set. */
  reporter_contact_type: string | null;
  /** SHA-256 of the screenshot the reporter attached (evidence_blobs), or null. */
  screenshot_sha256: string | null;
  /**
   * Who sent it (vocabulary SOURCE_KINDS, migration 0026): `citizen`, `scanner`, `partner`, …;
   * `source` is then the source's name (`citizen` for citizens).
   */
  source_kind: string;
}

export interface IndicatorsTable {
  /** Content-addressed: first 32 hex characters of SHA-256(`type:value`). */
  id: string;
  type: string;
  value: string;
  /** For `url`: the Safe Browsing expression (host + path + query, no scheme) used for lookup. */
  expression: string | null;
  registrable_domain: string | null;
  first_seen_at: string;
}

export interface CaseIndicatorsTable {
  case_id: string;
  indicator_id: string;
  first_seen_at: string;
  /**
   * 1 when the case's reports give this indicator only as a reporter's or victim's own (their
   * follow-up contact, or personal data by the public policy of indicators/personal-data.ts):
   * never shown or matched on a public route (migration 0019). 0 otherwise.
   */
  personal: Generated<number>;
}

/** Merge keys: the content identities (URL match key, text fingerprint, …) that map to one case. */
export interface CaseKeysTable {
  key: string;
  case_id: string;
  created_at: string;
}

export interface VerdictsTable {
  id: Generated<number>;
  case_id: string;
  verdict: string;
  note: string | null;
  actor: string;
  decided_at: string;
}
