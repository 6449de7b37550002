import { createHash } from 'node:crypto';
import {
  contentIdentifiers,
  rfc3986Uri,
  splitCanonicalUrl,
  type ContentIdentifier,
} from '../indicators/index.js';
import { conflict } from '../shared/errors.js';

import type { NoticeTarget } from './notice-targets.js';

import { SCAM_TYPE_NAMES } from '../vocabulary/index.js';
import type { EntityKind, ScamType } from '../vocabulary/index.js';
/** X-ARF v4 `content/fraud` `fraud_type` values (schemas/v4/types/content-fraud.json). */
export const XARF_FRAUD_TYPES = [
  'investment',
  'romance',
  'tech_support',
  'lottery',
  'advance_fee',
  'cryptocurrency',
  'shopping',
  'charity',
  'employment',
  'government_impersonation',
  'other',
] as const;
export type XarfFraudType = (typeof XARF_FRAUD_TYPES)[number];

/** The X-ARF v4 category, type and (for `fraud`) fraud_type a notice is sent as. */
export type XarfClass =
  | { category: 'content'; type: 'fraud'; fraudType: XarfFraudType }
  | { category: 'content'; type: 'phishing' };

const fraud = (fraudType: XarfFraudType): XarfClass => ({
  category: 'content',
  type: 'fraud',
  fraudType,
});
const PHISHING: XarfClass = { category: 'content', type: 'phishing' };

/**
 * The one table from a case's scam type (DESIGN.md 詐騙樣態) and the kind of entity it
 * impersonates to the X-ARF v4 class of its takedown notices. `byEntityKind` overrides
 * `default` when the case impersonates an entity of that kind.
 *
 * | scam type        | impersonated entity | X-ARF category/type | fraud_type               |
 * |------------------|---------------------|---------------------|--------------------------|
 * | product_service  | any                 | content/fraud       | shopping                 |
 * | impersonation    | agency              | content/fraud       | government_impersonation |
 * | impersonation    | company             | content/phishing    | —                        |
 * | impersonation    | public_figure, none | content/fraud       | other                    |
 * | investment       | any                 | content/fraud       | investment               |
 * | windfall         | any                 | content/fraud       | lottery                  |
 * | romance          | any                 | content/fraud       | romance                  |
 * | job              | any                 | content/fraud       | employment               |
 * | money_mule       | any                 | content/fraud       | employment               |
 * | charity          | any                 | content/fraud       | charity                  |
 * | extortion        | any                 | content/fraud       | other                    |
 * | other (or none)  | any                 | content/fraud       | other                    |
 *
 * Why: passing oneself off as a company (a courier's "parcel on hold", Meta's "your page will be
 * disabled") is a lure to a page that takes log-ins or card numbers — X-ARF `phishing`; only a
 * government agency's name makes `government_impersonation`; a public figure's name without an
 * investment pitch is `other`. 錢騾車手 content recruits people to lend accounts or carry cash as
 * "work", which platforms handle under employment scams. X-ARF has no extortion type.
 */
export const XARF_CLASSES: Readonly<
  Record<ScamType, { default: XarfClass; byEntityKind?: Partial<Record<EntityKind, XarfClass>> }>
> = {
  product_service: { default: fraud('shopping') },
  impersonation: {
    default: fraud('other'),
    byEntityKind: { agency: fraud('government_impersonation'), company: PHISHING },
  },
  investment: { default: fraud('investment') },
  windfall: { default: fraud('lottery') },
  romance: { default: fraud('romance') },
  job: { default: fraud('employment') },
  money_mule: { default: fraud('employment') },
  charity: { default: fraud('charity') },
  extortion: { default: fraud('other') },
  other: { default: fraud('other') },
};

/** The X-ARF class of a case (XARF_CLASSES); a case without a scam type counts as `other`. */
export function xarfClassOf(scamType: ScamType | null, entityKind: EntityKind | null): XarfClass {
  const row = XARF_CLASSES[scamType ?? 'other'];
  return (entityKind === null ? undefined : row.byEntityKind?.[entityKind]) ?? row.default;
}

/** One capture of the notice's content by scamnet (evidence_captures), by its hashes. */
export interface NoticeEvidence {
  capturedAt: string;
  /** Lowercase hex SHA-256 of the captured body. */
  bodySha256: string;
  screenshotSha256: string | null;
}

/**
 * What a takedown notice says, in scamnet's terms: only structured facts of the case — never a
 * report's text, a reporter or a victim.
 */
export interface NoticeFacts {
  noticeId: string;
  caseId: string;
  platform: string;
  /** What the platform is asked to act on (noticeTargets); the first is the report's source. */
  targets: readonly NoticeTarget[];
  sentAt: string;
  deadlineAt: string;
  firstReportedAt: string;
  lastReportedAt: string;
  reportCount: number;
  scamType: ScamType | null;
  /** The impersonated entity (a public figure, company or agency; not a private person). */
  entity: { name: string; kind: EntityKind } | null;
  evidence: readonly NoticeEvidence[];
  reporter: { org: string; contact: string; domain: string };
}

/** A UUID (RFC 9562 layout, version 8: custom) derived from the notice ID, stable across retries. */
export function reportIdOf(noticeId: string): string {
  const hex = createHash('sha256').update(`xarf:${noticeId}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The X-ARF `domain` pattern (content-base.json): lower-case LDH labels, alphabetic TLD. */
const XARF_DOMAIN = /^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$/;

/**
 * The URI that names a target: the RFC 3986 form of a content URL (rfc3986Uri), LINE's
 * add-friend link of a LINE ID (`https://line.me/ti/p/~id`, official accounts
 * `https://line.me/R/ti/p/%40id`), an RFC 3966 `tel:` URI of a phone. Null when a stored URL is
 * not a canonical URL.
 */
export function targetUri(target: NoticeTarget): string | null {
  switch (target.type) {
    case 'url':
      return rfc3986Uri(target.value);
    case 'line_id':
      return target.value.startsWith('@')
        ? `https://line.me/R/ti/p/%40${target.value.slice(1)}`
        : `https://line.me/ti/p/~${target.value}`;
    case 'phone':
      return `tel:${target.value}`;
  }
}

/** `type:value` identifiers of a notice: its targets and the IDs their URLs carry. */
export interface NoticeIdentifier {
  type: NoticeTarget['type'] | ContentIdentifier['type'];
  value: string;
}

function identifiersOf(targets: readonly NoticeTarget[]): NoticeIdentifier[] {
  const out: NoticeIdentifier[] = [];
  for (const target of targets) {
    const uri = target.type === 'url' ? targetUri(target) : target.value;
    if (uri === null) continue;
    out.push({ type: target.type, value: uri });
    if (target.type === 'url') out.push(...contentIdentifiers(target.value));
  }
  return out;
}

const LABELS: Readonly<Record<NoticeIdentifier['type'], string>> = {
  url: 'URL',
  line_id: 'LINE ID',
  phone: 'phone',
  ad_id: 'ad ID',
  post_id: 'post ID',
  video_id: 'video ID',
  account: 'account',
};

function rfc3339(time: string): string | undefined {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** X-ARF caps `description` at 1,000 characters. */
const DESCRIPTION_MAX = 1000;

function describe(facts: NoticeFacts, identifiers: readonly NoticeIdentifier[]): string {
  const scamType = SCAM_TYPE_NAMES[facts.scamType ?? 'other'];
  const entity =
    facts.entity === null
      ? ''
      : `, impersonating ${facts.entity.name} (${facts.entity.kind.replace('_', ' ')})`;
  const head =
    `scamnet takedown notice ${facts.noticeId}, case ${facts.caseId}: confirmed fraud, ` +
    `${scamType.en} (${scamType['zh-TW']})${entity}. ` +
    `Remove from ${facts.platform} by ${facts.deadlineAt} (UTC): `;
  const reports =
    `. Reported ${facts.reportCount} time${facts.reportCount === 1 ? '' : 's'} ` +
    `${facts.firstReportedAt.slice(0, 10)} to ${facts.lastReportedAt.slice(0, 10)}.`;
  const evidence =
    facts.evidence.length === 0
      ? ''
      : ` Evidence SHA-256: ${facts.evidence.map((e) => e.bodySha256).join(', ')}.`;
  const room = DESCRIPTION_MAX - head.length - reports.length - evidence.length;
  let list = '';
  for (const [i, id] of identifiers.entries()) {
    const item = `${i === 0 ? '' : '; '}${LABELS[id.type]} ${id.value}`;
    const more = `; and ${identifiers.length - i} more (scamnet_identifiers)`;
    if (list.length + item.length + (i === identifiers.length - 1 ? 0 : more.length) > room) {
      list += i === 0 ? more.slice(2) : more;
      break;
    }
    list += item;
  }
  return `${head}${list}${reports}${evidence}`.slice(0, DESCRIPTION_MAX);
}

/**
 * The takedown notice as an X-ARF v4 report (xarf-spec schemas/v4, master schema), the JSON body
 * of webhook deliveries and the attachment of e-mail deliveries. Category/type/`fraud_type` come
 * from XARF_CLASSES; `url` and `source_identifier` name the first target (targetUri; the LINE
 * ID or E.164 phone itself as `source_identifier`), never scamnet. `description` is built from
 * structured facts only (scam type, impersonated entity, the identifiers to act on, report count
 * and dates, evidence hashes): no report text, reporter or victim data. Extension fields
 * (allowed by the schema): `scamnet_identifiers` (every target and the ad/post/video/account IDs
 * its URL carries) and `scamnet_evidence` (SHA-256 of scamnet's captures of the content).
 * `tags` carry the case, notice, platform and scam type.
 * @throws 409 `notice_not_actionable` when no target has a URI (nothing a platform can act on).
 */
export function xarfReport(facts: NoticeFacts): Record<string, unknown> {
  const primary = facts.targets.find((t) => targetUri(t) !== null);
  const url = primary === undefined ? null : targetUri(primary);
  if (primary === undefined || url === null) {
    throw conflict(
      'notice_not_actionable',
      `Notice ${facts.noticeId} names nothing ${facts.platform} can act on.`,
    );
  }
  const identifiers = identifiersOf(facts.targets);
  const xarfClass = xarfClassOf(facts.scamType, facts.entity?.kind ?? null);
  const report: Record<string, unknown> = {
    xarf_version: '4.2.0',
    report_id: reportIdOf(facts.noticeId),
    // When the abuse occurred: the first report (RFC 3339, as `format: date-time` wants).
    timestamp: rfc3339(facts.firstReportedAt) ?? rfc3339(facts.sentAt),
    reporter: facts.reporter,
    sender: facts.reporter,
    source_identifier: primary.type === 'url' ? url : primary.value,
    category: xarfClass.category,
    type: xarfClass.type,
    evidence_source: 'user_report',
    verification_method: 'manual',
    url,
    description: describe(facts, identifiers),
    // X-ARF tags are `namespace:value` in [a-z0-9_+-].
    tags: [
      'scamnet:takedown',
      `case:${facts.caseId.toLowerCase()}`,
      `notice:${facts.noticeId.toLowerCase()}`,
      `platform:${facts.platform.toLowerCase().replace(/[^a-z0-9_+-]/g, '-')}`,
      `scam_type:${facts.scamType ?? 'other'}`,
    ],
    scamnet_identifiers: identifiers,
  };
  if (xarfClass.type === 'fraud') report.fraud_type = xarfClass.fraudType;
  const host =
    primary.type === 'url'
      ? splitCanonicalUrl(primary.value)?.host.replace(/:\d*$/, '')
      : undefined;
  if (host !== undefined && XARF_DOMAIN.test(host)) report.domain = host;
  if (facts.entity !== null) {
    report.target_brand = facts.entity.name;
    if (xarfClass.type === 'fraud') report.claimed_entity = facts.entity.name;
  }
  if (facts.evidence.length > 0) {
    report.scamnet_evidence = facts.evidence.map((e) => ({
      captured_at: e.capturedAt,
      body_sha256: e.bodySha256,
      screenshot_sha256: e.screenshotSha256,
    }));
  }
  return report;
}
