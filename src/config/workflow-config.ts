import { Invalid } from './parse-variables.js';

/** One step of the sanction schedule: what the n-th missed deadline of a notice exposes. */
export interface SanctionStep {
  /** Applies from this occurrence on (1 = the first missed deadline). */
  readonly fromOccurrence: number;
  readonly fineMin: number;
  readonly fineMax: number;
  readonly currency: string;
  readonly legalBasis: string;
}

/**
 * Default schedule from Taiwan's 詐欺犯罪危害防制條例 (Fraud Crime Hazard Prevention Act): an
 * online advertising platform that does not remove, restrict or stop a fraudulent ad within the
 * notice period (Art. 32 §1 (1); 24 hours per the Ministry of Digital Affairs' rule) is fined
 * NT$500,000 to 5,000,000 per occurrence (Art. 39 §1 (3)), each missed deadline being a separate
 * occurrence; serious cases NT$2,500,000 to 25,000,000 (Art. 39 §2), applied here from the third
 * occurrence of the same notice. The ledger records exposure; the authority decides the fine.
 */
export const DEFAULT_SANCTION_SCHEDULE: readonly SanctionStep[] = [
  {
    fromOccurrence: 1,
    fineMin: 500_000,
    fineMax: 5_000_000,
    currency: 'TWD',
    legalBasis: '詐欺犯罪危害防制條例 第32條第1項第1款、第39條第1項第3款',
  },
  {
    fromOccurrence: 3,
    fineMin: 2_500_000,
    fineMax: 25_000_000,
    currency: 'TWD',
    legalBasis: '詐欺犯罪危害防制條例 第39條第2項（情節重大）',
  },
];

/** Settings of the case workflow: notices, deliveries, sweeps, decision links, e-mail. */
export interface WorkflowConfig {
  /** Takedown deadline after a notice is sent, hours (24 under the Act). */
  readonly noticeDeadlineHours: number;
  /** How often the server runs the sweep (deliveries, deadlines), seconds; 0 = never (run `scamnet sweep`). */
  readonly sweepIntervalSeconds: number;
  readonly sanctionSchedule: readonly SanctionStep[];
  /** `smtp://user:pass@host:port` or `smtps://…`; unset = no e-mail is sent. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Where escalations of overdue notices are e-mailed (unset = recorded only). */
  readonly escalationEmail: string | undefined;
  /** Base URL of this site, for links in e-mails and feeds (default `http://localhost:8080`). */
  readonly publicBaseUrl: string;
  /** True when PUBLIC_BASE_URL was set (false: the default is in use). */
  readonly publicBaseUrlSet: boolean;
  /** Secret that signs one-click decision links; unset → generated into `decisionLinkSecretFile`. */
  readonly decisionLinkSecret: string | undefined;
  readonly decisionLinkSecretFile: string;
  readonly decisionLinkTtlHours: number;
  /** Re-check notices' content during the sweep (takedown monitoring; fetches platform pages). */
  readonly takedownRechecks: boolean;
  /** Timeout of one webhook delivery, ms. */
  readonly webhookTimeoutMs: number;
  /** Who scamnet says it is in X-ARF reports. */
  readonly xarfReporter: {
    readonly org: string;
    readonly contact: string;
    readonly domain: string;
  };
}

/**
 * Parses SANCTION_SCHEDULE: a non-empty JSON array of SanctionStep.
 * @returns the schedule, or Invalid saying what is wrong.
 */
export function parseSanctionSchedule(json: string): SanctionStep[] | Invalid {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return new Invalid('must be JSON');
  }
  if (!Array.isArray(value) || value.length === 0) {
    return new Invalid('must be a non-empty JSON array');
  }
  const steps: SanctionStep[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return new Invalid('entries must be objects');
    const { fromOccurrence, fineMin, fineMax, currency, legalBasis } = item as Record<
      string,
      unknown
    >;
    if (
      typeof fromOccurrence !== 'number' ||
      !Number.isInteger(fromOccurrence) ||
      fromOccurrence < 1 ||
      typeof fineMin !== 'number' ||
      typeof fineMax !== 'number' ||
      fineMin < 0 ||
      fineMax < fineMin ||
      typeof currency !== 'string' ||
      !/^[A-Z]{3}$/.test(currency) ||
      typeof legalBasis !== 'string' ||
      legalBasis.trim() === ''
    ) {
      return new Invalid(
        'entries need fromOccurrence ≥ 1, 0 ≤ fineMin ≤ fineMax, an ISO 4217 currency and a legalBasis',
      );
    }
    steps.push({ fromOccurrence, fineMin, fineMax, currency, legalBasis });
  }
  return steps;
}

/** True when `hostname` (as WHATWG URL gives it) names this machine only: localhost, loopback, unspecified. */
function isLocalHostname(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '0.0.0.0' ||
    host === '::1' ||
    host === '::' ||
    host === '::ffff:127.0.0.1'
  );
}

/** True when a listen address reaches this machine only (not 0.0.0.0 or ::, which are every interface). */
function isLoopbackHost(host: string): boolean {
  return isLocalHostname(host) && host !== '0.0.0.0' && host !== '::' && host !== '[::]';
}

/**
 * The base URL to put in messages that leave this machine (takedown notices, escalations), or
 * null when PUBLIC_BASE_URL names this machine only (localhost, loopback): a platform must never
 * be sent a link to `localhost`, so such messages then carry no link to scamnet's pages.
 */
export function publicLinkBase(workflow: Pick<WorkflowConfig, 'publicBaseUrl'>): string | null {
  try {
    return isLocalHostname(new URL(workflow.publicBaseUrl).hostname)
      ? null
      : workflow.publicBaseUrl;
  } catch {
    return null;
  }
}

/**
 * Start-up warnings about PUBLIC_BASE_URL: left at its default while the server listens
 * elsewhere (on other interfaces, or another port), naming this machine only while the server
 * listens on other interfaces, or naming another port than the one listened on. The default on a
 * local `npm start` (localhost:8080) is no warning: the address is right for whoever is local.
 * @param listen the server's HOST and PORT.
 * @returns one sentence per problem (empty when none).
 */
export function publicBaseUrlWarnings(
  workflow: Pick<WorkflowConfig, 'publicBaseUrl' | 'publicBaseUrlSet'>,
  listen: { host: string; port: number },
): string[] {
  const warnings: string[] = [];
  const url = new URL(workflow.publicBaseUrl);
  const local = isLocalHostname(url.hostname);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const samePlace = isLoopbackHost(listen.host) && (listen.port === 0 || port === listen.port);
  if (!workflow.publicBaseUrlSet && !samePlace) {
    warnings.push(
      `PUBLIC_BASE_URL is not set: links in e-mails and feeds use ${workflow.publicBaseUrl}, and takedown notices carry no link to case pages. Set it to the address people reach this site at.`,
    );
  } else if (local && !isLoopbackHost(listen.host)) {
    warnings.push(
      `PUBLIC_BASE_URL (${workflow.publicBaseUrl}) names this machine only, but the server listens on ${listen.host}: links sent to others would not work, so takedown notices carry none.`,
    );
  }
  if (local && listen.port !== 0 && port !== listen.port) {
    warnings.push(
      `PUBLIC_BASE_URL (${workflow.publicBaseUrl}) names port ${port}, but the server listens on port ${listen.port}.`,
    );
  }
  return warnings;
}
