import path from 'node:path';

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

type IntVar = (name: string, fallback: number, min: number, max: number) => number;
type BoolVar = (name: string, fallback: boolean) => boolean;

/**
 * Parses the workflow variables (see `.env.example`), appending a problem per invalid one.
 * @param intVar the shared integer parser bound to `env` and `problems` (boolVar likewise).
 */
export function parseWorkflowConfig(
  env: NodeJS.ProcessEnv,
  cwd: string,
  problems: string[],
  intVar: IntVar,
  boolVar: BoolVar,
): WorkflowConfig {
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  let sanctionSchedule: readonly SanctionStep[] = DEFAULT_SANCTION_SCHEDULE;
  const scheduleJson = text('SANCTION_SCHEDULE');
  if (scheduleJson !== undefined) {
    const parsed = parseSanctionSchedule(scheduleJson);
    if (typeof parsed === 'string') problems.push(parsed);
    else sanctionSchedule = parsed;
  }
  const smtpUrl = text('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl))
    problems.push('SMTP_URL must start with smtp:// or smtps://');
  const publicBaseUrl = (text('PUBLIC_BASE_URL') ?? 'http://localhost:8080').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicBaseUrl))
    problems.push('PUBLIC_BASE_URL must be an http(s) URL');
  const secret = text('DECISION_LINK_SECRET');
  if (secret !== undefined && secret.length < 32)
    problems.push('DECISION_LINK_SECRET must be at least 32 characters');
  const email = /^[^\s@]+@[^\s@]+$/;
  const mailFrom = text('MAIL_FROM') ?? 'scamnet <no-reply@localhost>';
  const escalationEmail = text('ESCALATION_EMAIL');
  if (escalationEmail !== undefined && !email.test(escalationEmail))
    problems.push('ESCALATION_EMAIL must be an e-mail address');
  // X-ARF requires an e-mail address with a real-looking domain; .invalid is reserved (RFC 2606).
  const xarfContact = text('XARF_REPORTER_CONTACT') ?? 'abuse@scamnet.invalid';
  if (!/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(xarfContact)) {
    problems.push('XARF_REPORTER_CONTACT must be an e-mail address such as abuse@example.org');
  }
  return {
    noticeDeadlineHours: intVar('NOTICE_DEADLINE_HOURS', 24, 1, 720),
    sweepIntervalSeconds: intVar('SWEEP_INTERVAL_SECONDS', 60, 0, 86_400),
    sanctionSchedule,
    smtpUrl,
    mailFrom,
    escalationEmail,
    publicBaseUrl,
    publicBaseUrlSet: text('PUBLIC_BASE_URL') !== undefined,
    decisionLinkSecret: secret,
    decisionLinkSecretFile: path.resolve(
      cwd,
      text('DECISION_LINK_SECRET_FILE') ?? path.join('var', 'decision-link-secret'),
    ),
    decisionLinkTtlHours: intVar('DECISION_LINK_TTL_HOURS', 72, 1, 720),
    webhookTimeoutMs: intVar('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    takedownRechecks: boolVar('TAKEDOWN_RECHECKS', true),
    xarfReporter: {
      org: text('XARF_REPORTER_ORG') ?? 'scamnet',
      contact: xarfContact,
      domain: text('XARF_REPORTER_DOMAIN') ?? 'scamnet.invalid',
    },
  };
}

/**
 * Parses SANCTION_SCHEDULE (a JSON array of SanctionStep).
 * @returns the schedule, or a problem string naming what is wrong.
 */
function parseSanctionSchedule(json: string): SanctionStep[] | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'SANCTION_SCHEDULE must be JSON';
  }
  if (!Array.isArray(value) || value.length === 0)
    return 'SANCTION_SCHEDULE must be a non-empty JSON array';
  const steps: SanctionStep[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null)
      return 'SANCTION_SCHEDULE entries must be objects';
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
      return 'SANCTION_SCHEDULE entries need fromOccurrence ≥ 1, 0 ≤ fineMin ≤ fineMax, an ISO 4217 currency and a legalBasis';
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
