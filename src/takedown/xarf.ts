import { createHash } from 'node:crypto';

/** Maps scamnet's scam types to X-ARF v4 `content/fraud` `fraud_type` values. */
const FRAUD_TYPE: Readonly<Record<string, string>> = {
  investment: 'investment',
  romance: 'romance',
  windfall: 'lottery',
  product_service: 'shopping',
  charity: 'charity',
  job: 'employment',
  impersonation: 'government_impersonation',
};

/** What a takedown notice says, in scamnet's terms. */
export interface NoticeFacts {
  noticeId: string;
  caseId: string;
  platform: string;
  contentUrl: string;
  sentAt: string;
  deadlineAt: string;
  scamType: string | null;
  claimedEntity: string | null;
  summary: string | null;
  caseUrl: string;
  reporter: { org: string; contact: string; domain: string };
}

/** A UUID (RFC 9562 layout, version 8: custom) derived from the notice ID, stable across retries. */
export function reportIdOf(noticeId: string): string {
  const hex = createHash('sha256').update(`xarf:${noticeId}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The takedown notice as an X-ARF v4 report (category `content`, type `fraud`; xarf-spec
 * schemas/v4), the JSON body of webhook deliveries and the attachment of e-mail deliveries.
 * `tags` carry the scamnet case, notice and platform so a platform can route it.
 */
export function xarfReport(facts: NoticeFacts): Record<string, unknown> {
  let host: string | undefined;
  try {
    host = new URL(facts.contentUrl).hostname.toLowerCase();
  } catch {
    host = undefined;
  }
  const report: Record<string, unknown> = {
    xarf_version: '4.2.0',
    report_id: reportIdOf(facts.noticeId),
    timestamp: facts.sentAt,
    reporter: facts.reporter,
    sender: facts.reporter,
    source_identifier: host ?? facts.contentUrl,
    category: 'content',
    type: 'fraud',
    evidence_source: 'user_report',
    url: facts.contentUrl,
    fraud_type: FRAUD_TYPE[facts.scamType ?? ''] ?? 'other',
    description:
      `Takedown notice ${facts.noticeId} for scamnet case ${facts.caseId}: remove by ${facts.deadlineAt}. ` +
      `${facts.caseUrl}${facts.summary === null ? '' : ` — ${facts.summary}`}`,
    // X-ARF tags are `namespace:value` in [a-z0-9_+-]; the deadline is in the description.
    tags: [
      'scamnet:takedown',
      `case:${facts.caseId.toLowerCase()}`,
      `notice:${facts.noticeId.toLowerCase()}`,
      `platform:${facts.platform.replace(/[^a-z0-9_+-]/g, '-')}`,
    ],
  };
  if (host !== undefined && /^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$/.test(host))
    report.domain = host;
  if (facts.claimedEntity !== null) report.claimed_entity = facts.claimedEntity;
  return report;
}
