import type { CountryCode } from 'libphonenumber-js';
import { DEFAULT_PROTECTED_DOMAINS } from './protected-domains.js';
import { Invalid, parseVariables } from './parse-variables.js';
import type { StatisticsConfig } from './statistics-config.js';
import { VARIABLES } from './variables.js';
import { DEFAULT_SANCTION_SCHEDULE, type WorkflowConfig } from './workflow-config.js';

export { MIN_ADMIN_TOKEN_LENGTH, MIN_DECISION_LINK_SECRET_LENGTH } from './variables.js';

/** The store a DATABASE_URL selects. */
export type StoreConfig =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

/** The whole, validated configuration of a scamnet process. Frozen; pass it in, never re-read env. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly store: StoreConfig;
  /** Evidence capture, blob store, takedown re-checks, log signing key (EVIDENCE_*, CAPTURE_*, …). */
  readonly evidence: EvidenceConfig;
  /** The blocklist: protection guard and RPZ zone rendering (BLOCKLIST_*, RPZ_*). */
  readonly blocklist: BlocklistConfig;
  /** The RPZ DNS server of `scamnet blocklist dns` (DNS_*). */
  readonly dns: DnsConfig;
  /** Bearer token of the analyst/admin API; `undefined` → generated into `adminTokenFile` at start. */
  readonly adminToken: string | undefined;
  /** Where a generated admin token is written (mode 0600) when ADMIN_TOKEN is unset. */
  readonly adminTokenFile: string;
  readonly logLevel: string;
  /** Import the shipped demo data set when the database holds no case. */
  readonly demoData: boolean;
  /** ISO 3166-1 alpha-2 region for phone numbers written without a country code. */
  readonly defaultRegion: CountryCode;
  /** Maximum request body, bytes. */
  readonly bodyLimitBytes: number;
  /** Folder of the built web UI served under `/`. */
  readonly webRoot: string;
  /** Honour X-Forwarded-* headers (only behind a trusted reverse proxy). */
  readonly trustProxy: boolean;
  /** Reports accepted per client IP per minute on the public API (0 = no limit). */
  readonly reportRateLimitPerMinute: number;
  /**
   * Redis where every node counts the per-client rate limits together (RATE_LIMIT_REDIS_URL);
   * undefined → each node counts its own. Never logged (it may hold a password).
   */
  readonly rateLimitRedisUrl: string | undefined;
  /** Largest screenshot a report may carry, bytes (multipart POST /api/v1/reports). */
  readonly reportScreenshotMaxBytes: number;
  /** Largest body of a batch of reports from a source credential (reports/batch, scanner), bytes. */
  readonly reportBatchBodyLimitBytes: number;
  /** The privacy-preserving hash-prefix API (HASH_*; search/hash-lists.service.ts). */
  readonly hashLists: HashListsConfig;
  /** Lifetime of a web sign-in session, hours (absolute, from sign-in). */
  readonly sessionTtlHours: number;
  /** Mark the session cookie `Secure` (browsers treat http://localhost as secure). */
  readonly cookieSecure: boolean;
  /** Sign-in attempts per e-mail address and client IP per 15 minutes (0 = no limit). */
  readonly loginRateLimitPer15Minutes: number;
  /** Per-client limits of the other routes (0 = no limit); see RateLimitsConfig. */
  readonly rateLimits: RateLimitsConfig;
  /** Bound on concurrent password hashing (identity/password.ts). */
  readonly passwordHashing: { readonly concurrency: number; readonly queue: number };
  /** Case workflow: notices, deliveries, sweeps, decision links, e-mail. */
  readonly workflow: WorkflowConfig;
  /** Statistics and the weekly bulletin: time zone and week start (STATS_*, BULLETIN_*). */
  readonly statistics: StatisticsConfig;
  /** Merge near-duplicate messages into one case at intake (MinHash/LSH; NEAR_DUPLICATE_MERGE). */
  readonly nearDuplicateMerge: boolean;
  /** The in-memory lookup index (LOOKUP_INDEX, LOOKUP_INDEX_POLL_MS; search/lookup-index.ts). */
  readonly lookupIndex: {
    readonly enabled: boolean;
    readonly pollMs: number;
  };
  /** The LINE bot (LINE_*; src/line); undefined when it is off (no channel configured). */
  readonly line: LineConfig | undefined;
  /** Web Push to followers of a case (WEB_PUSH_*); null = off (routes answer 404 push_disabled). */
  readonly webPush: WebPushConfig | null;
}

/** The LINE Messaging API channel of the bot (LINE_*). Secrets: never logged. */
export interface LineConfig {
  /** Checks `x-line-signature` (HMAC-SHA256) and keys reporters' pseudonyms. */
  readonly channelSecret: string;
  /** Bearer token of API calls. */
  readonly channelAccessToken: string;
  /** `https://api.line.me` (reply, push, profile), without a trailing slash. */
  readonly apiBaseUrl: string;
  /** `https://api-data.line.me` (message content), without a trailing slash. */
  readonly dataApiBaseUrl: string;
  /** Webhook requests per client IP per minute (0 = only the API-wide limit). */
  readonly webhookPerMinute: number;
}

/**
 * Per-client rate limits (requests per client IP unless said otherwise; 0 = no limit), counted
 * per node or in RATE_LIMIT_REDIS_URL. A refused request answers 429 `rate_limited`.
 */
export interface RateLimitsConfig {
  /** Any /api/ route without a limit of its own, per minute. */
  readonly apiPerMinute: number;
  /** `GET /api/v1/search`, per minute. */
  readonly searchPerMinute: number;
  /** `GET`/`POST /api/v1/lookup`, per minute. */
  readonly lookupPerMinute: number;
  /** Sign-in attempts per client IP whatever the e-mail addresses, per 15 minutes. */
  readonly loginPerIpPer15Minutes: number;
  /** Sign-in attempts per e-mail address from every IP together, per 15 minutes. */
  readonly loginPerAccountPer15Minutes: number;
}

/** The VAPID identity (RFC 8292) every node signs Web Push requests with. */
export interface WebPushConfig {
  /** Uncompressed P-256 point, base64url (65 bytes). */
  readonly publicKey: string;
  /** P-256 private scalar, base64url (32 bytes). Never logged. */
  readonly privateKey: string;
  /** `mailto:` or `https:` contact sent in the JWT's `sub`. */
  readonly subject: string;
}

/** Settings of the hash-prefix API (`GET /api/v1/hashes/search`, `GET /api/v1/hash-lists/{name}`). */
export interface HashListsConfig {
  /** Requests to hashes/search per client IP per minute (0 = no limit). */
  readonly searchRateLimitPerMinute: number;
  /** Requests to hash-lists per client IP per minute (0 = no limit). */
  readonly listRateLimitPerMinute: number;
  /**
   * The lists are republished (the warn-worthy set diffed against the last version) at most this
   * often, seconds; 0 = on every request. Also the `cacheSeconds` of a hashes/search answer.
   */
  readonly publishSeconds: number;
  /** Versions of each list whose changes are kept for incremental updates. */
  readonly historyVersions: number;
}

/** Thrown by loadConfig with every invalid variable listed. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parses DATABASE_URL by its entry in the variable table: unset or empty → SQLite at
 * `<cwd>/var/scamnet.db`; `sqlite:/abs.db`, `sqlite:///abs.db` or `file:/abs.db` → SQLite at that
 * path; `postgres://` or `postgresql://` → PostgreSQL. Returns a problem string instead of throwing.
 */
export function parseDatabaseUrl(value: string | undefined, cwd: string): StoreConfig | string {
  const store = VARIABLES.DATABASE_URL.parse(value?.trim() ?? '', { cwd });
  return store instanceof Invalid ? `DATABASE_URL ${store.reason}` : store;
}

/**
 * Reads the configuration from `env` once: every variable of the table in `variables.ts` (each
 * documented with its default in `.env.example`), then the checks that span variables. The result
 * is deep-frozen (nested objects and arrays too; Buffers cannot be frozen). The only reader of
 * process.env in scamnet.
 * @param cwd the folder relative paths (DATABASE_URL, *_FILE, *_DIR, WEB_ROOT) are resolved against.
 * @throws ConfigError listing every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const v = parseVariables(VARIABLES, env, { cwd }, problems);

  let rpzAction: RpzActionConfig = { kind: 'nxdomain' };
  if (v.RPZ_ACTION === 'nodata') rpzAction = { kind: 'nodata' };
  if (v.RPZ_ACTION === 'walled-garden') {
    if (v.RPZ_LANDING_HOST === undefined) {
      problems.push('RPZ_LANDING_HOST is required when RPZ_ACTION=walled-garden');
    } else {
      rpzAction = { kind: 'walled_garden', landingHost: v.RPZ_LANDING_HOST };
    }
  }
  if ((v.LINE_CHANNEL_SECRET === undefined) !== (v.LINE_CHANNEL_ACCESS_TOKEN === undefined)) {
    problems.push(
      'LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN must be set together (or neither: the LINE bot is off)',
    );
  }
  const webPushSet = [
    v.WEB_PUSH_VAPID_PUBLIC_KEY,
    v.WEB_PUSH_VAPID_PRIVATE_KEY,
    v.WEB_PUSH_SUBJECT,
  ].filter((value) => value !== undefined).length;
  if (webPushSet !== 0 && webPushSet !== 3) {
    problems.push(
      'WEB_PUSH_VAPID_PUBLIC_KEY, WEB_PUSH_VAPID_PRIVATE_KEY and WEB_PUSH_SUBJECT must be set together',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    store: v.DATABASE_URL,
    evidence: {
      blobDir: v.EVIDENCE_DIR,
      logSigningKey: v.LOG_SIGNING_KEY,
      logSigningKeyFile: v.LOG_SIGNING_KEY_FILE,
      logSequenceMs: v.LOG_SEQUENCE_MS,
      captureAllowLoopback: v.CAPTURE_ALLOW_LOOPBACK,
      captureAllowedPorts: v.CAPTURE_ALLOWED_PORTS,
      captureMaxRedirects: v.CAPTURE_MAX_REDIRECTS,
      captureMaxBytes: v.CAPTURE_MAX_BYTES,
      captureTimeoutMs: v.CAPTURE_TIMEOUT_MS,
      captureUserAgent: v.CAPTURE_USER_AGENT,
      captureScreenshots: v.CAPTURE_SCREENSHOTS,
      chromiumPath: v.CHROMIUM_PATH,
      recheckIntervalMinutes: v.RECHECK_INTERVAL_MINUTES,
      recheckDurationHours: v.RECHECK_DURATION_HOURS,
    },
    blocklist: {
      protectedDomains: [
        ...new Set([...DEFAULT_PROTECTED_DOMAINS, ...v.BLOCKLIST_PROTECTED_DOMAINS]),
      ],
      rpzOrigin: v.RPZ_ORIGIN,
      rpzAction,
      rpzTtl: v.RPZ_TTL,
      rpzNameserver: v.RPZ_NAMESERVER,
      rpzHostmaster: v.RPZ_HOSTMASTER ?? `hostmaster.${v.RPZ_ORIGIN}`,
      feedRevocationDays: v.FEED_REVOCATION_DAYS,
    },
    dns: {
      host: v.DNS_HOST,
      port: v.DNS_PORT,
      notify: v.DNS_NOTIFY,
      tsigKey: v.DNS_TSIG_KEY,
      transferAllow: v.DNS_TRANSFER_ALLOW,
      pollSeconds: v.DNS_POLL_SECONDS,
    },
    adminToken: v.ADMIN_TOKEN,
    adminTokenFile: v.ADMIN_TOKEN_FILE,
    logLevel: v.LOG_LEVEL,
    demoData: v.DEMO_DATA,
    defaultRegion: v.DEFAULT_REGION,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    webRoot: v.WEB_ROOT,
    trustProxy: v.TRUST_PROXY,
    reportRateLimitPerMinute: v.REPORT_RATE_LIMIT_PER_MINUTE,
    rateLimitRedisUrl: v.RATE_LIMIT_REDIS_URL,
    reportScreenshotMaxBytes: v.REPORT_SCREENSHOT_MAX_BYTES,
    reportBatchBodyLimitBytes: v.REPORT_BATCH_BODY_LIMIT_BYTES,
    hashLists: {
      searchRateLimitPerMinute: v.HASH_SEARCH_RATE_LIMIT_PER_MINUTE,
      listRateLimitPerMinute: v.HASH_LIST_RATE_LIMIT_PER_MINUTE,
      publishSeconds: v.HASH_LIST_PUBLISH_SECONDS,
      historyVersions: v.HASH_LIST_HISTORY_VERSIONS,
    },
    sessionTtlHours: v.SESSION_TTL_HOURS,
    cookieSecure: v.COOKIE_SECURE,
    loginRateLimitPer15Minutes: v.LOGIN_RATE_LIMIT_PER_15_MINUTES,
    rateLimits: {
      apiPerMinute: v.API_RATE_LIMIT_PER_MINUTE,
      searchPerMinute: v.SEARCH_RATE_LIMIT_PER_MINUTE,
      lookupPerMinute: v.LOOKUP_RATE_LIMIT_PER_MINUTE,
      loginPerIpPer15Minutes: v.LOGIN_RATE_LIMIT_PER_IP_PER_15_MINUTES,
      loginPerAccountPer15Minutes: v.LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_15_MINUTES,
    },
    passwordHashing: {
      concurrency: v.PASSWORD_HASH_CONCURRENCY,
      queue: v.PASSWORD_HASH_QUEUE,
    },
    workflow: {
      noticeDeadlineHours: v.NOTICE_DEADLINE_HOURS,
      sweepIntervalSeconds: v.SWEEP_INTERVAL_SECONDS,
      sanctionSchedule: v.SANCTION_SCHEDULE ?? DEFAULT_SANCTION_SCHEDULE,
      smtpUrl: v.SMTP_URL,
      mailFrom: v.MAIL_FROM,
      escalationEmail: v.ESCALATION_EMAIL,
      publicBaseUrl: v.PUBLIC_BASE_URL ?? 'http://localhost:8080',
      publicBaseUrlSet: v.PUBLIC_BASE_URL !== undefined,
      decisionLinkSecret: v.DECISION_LINK_SECRET,
      decisionLinkSecretFile: v.DECISION_LINK_SECRET_FILE,
      decisionLinkTtlHours: v.DECISION_LINK_TTL_HOURS,
      takedownRechecks: v.TAKEDOWN_RECHECKS,
      webhookTimeoutMs: v.WEBHOOK_TIMEOUT_MS,
      xarfReporter: {
        org: v.XARF_REPORTER_ORG,
        contact: v.XARF_REPORTER_CONTACT,
        domain: v.XARF_REPORTER_DOMAIN,
      },
    },
    statistics: { timeZone: v.STATS_TIME_ZONE, weekStart: v.BULLETIN_WEEK_START },
    nearDuplicateMerge: v.NEAR_DUPLICATE_MERGE,
    lookupIndex: {
      enabled: v.LOOKUP_INDEX,
      pollMs: v.LOOKUP_INDEX_POLL_MS,
    },
    line:
      v.LINE_CHANNEL_SECRET === undefined || v.LINE_CHANNEL_ACCESS_TOKEN === undefined
        ? undefined
        : {
            channelSecret: v.LINE_CHANNEL_SECRET,
            channelAccessToken: v.LINE_CHANNEL_ACCESS_TOKEN,
            apiBaseUrl: v.LINE_API_BASE_URL,
            dataApiBaseUrl: v.LINE_DATA_API_BASE_URL,
            webhookPerMinute: v.LINE_WEBHOOK_RATE_LIMIT_PER_MINUTE,
          },
    webPush:
      v.WEB_PUSH_VAPID_PUBLIC_KEY !== undefined &&
      v.WEB_PUSH_VAPID_PRIVATE_KEY !== undefined &&
      v.WEB_PUSH_SUBJECT !== undefined
        ? {
            publicKey: v.WEB_PUSH_VAPID_PUBLIC_KEY,
            privateKey: v.WEB_PUSH_VAPID_PRIVATE_KEY,
            subject: v.WEB_PUSH_SUBJECT,
          }
        : null,
  };
  return deepFreeze(config);
}

/**
 * `config` with the shared secrets set as if configured (ADMIN_TOKEN, DECISION_LINK_SECRET,
 * LOG_SIGNING_KEY), so the code that resolves them reads no file: on PostgreSQL they come from
 * the store (identity shareSecrets). Deep-frozen like loadConfig's result.
 */
export function withSharedSecrets(
  config: Config,
  secrets: { logSigningKey: string; decisionLinkSecret: string; adminToken: string },
): Config {
  return deepFreeze({
    ...config,
    adminToken: secrets.adminToken,
    evidence: { ...config.evidence, logSigningKey: secrets.logSigningKey },
    workflow: { ...config.workflow, decisionLinkSecret: secrets.decisionLinkSecret },
  });
}

/**
 * loadConfig for CLI commands: as loadConfig, but logging at `warn` unless LOG_LEVEL says
 * otherwise, so that a command's output is not buried in info logs.
 * @throws ConfigError listing every invalid variable.
 */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  return loadConfig({ LOG_LEVEL: 'warn', ...env }, cwd);
}

/**
 * Freezes `value` and every object and array inside it. ArrayBuffer views (the TSIG secret's
 * Buffer) are left as they are: JavaScript cannot freeze them.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/** What the RPZ zone answers for a blocked name (draft-vixie-dnsop-dns-rpz-00 §3.x actions). */
export type RpzActionConfig =
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'nodata' }
  | { readonly kind: 'walled_garden'; readonly landingHost: string };

/** Blocklist settings: the protected list of the guard and how the RPZ zone is rendered. */
export interface BlocklistConfig {
  /** The shipped DEFAULT_PROTECTED_DOMAINS plus BLOCKLIST_PROTECTED_DOMAINS, lower-case ASCII. */
  readonly protectedDomains: readonly string[];
  /** Zone name (no trailing dot), e.g. `rpz.scamnet`. */
  readonly rpzOrigin: string;
  readonly rpzAction: RpzActionConfig;
  /** TTL of the zone's records, seconds. */
  readonly rpzTtl: number;
  /** SOA MNAME and the zone's NS, absolute host name without the trailing dot. */
  readonly rpzNameserver: string;
  /** SOA RNAME (the contact mailbox as a domain name), without the trailing dot. */
  readonly rpzHostmaster: string;
  /**
   * Days an indicator that left the published set stays in the STIX feed (`revoked: true`) and
   * the MISP feed (`deleted: true`) after it left, so that every polling consumer sees the
   * revocation (FEED_REVOCATION_DAYS, default 30).
   */
  readonly feedRevocationDays: number;
}

/** A TSIG key (RFC 8945): name, algorithm and shared secret. */
export interface TsigKeyConfig {
  /** Key name, lower-case, without the trailing dot. */
  readonly name: string;
  readonly algorithm: 'hmac-sha256';
  readonly secret: Buffer;
}

/** The DNS server that serves the RPZ zone by SOA, AXFR and IXFR and sends NOTIFY. */
export interface DnsConfig {
  /** Listen address (UDP and TCP). */
  readonly host: string;
  /** Listen port (UDP and TCP); 0 picks a free port. */
  readonly port: number;
  /** Secondaries told of every new serial by NOTIFY (RFC 1996), over UDP. */
  readonly notify: readonly { readonly host: string; readonly port: number }[];
  /** When set, zone transfers require this key and NOTIFY messages are signed with it. */
  readonly tsigKey: TsigKeyConfig | undefined;
  /**
   * Clients that may transfer the zone (AXFR, IXFR) unsigned while no `tsigKey` is set; others
   * are REFUSED. With a `tsigKey`, every transfer must be signed with it instead.
   */
  readonly transferAllow: readonly CidrConfig[];
  /** How often the server looks for a new serial (changes made by other processes), seconds. */
  readonly pollSeconds: number;
}

/** A block of client addresses: `address/prefix` (DNS_TRANSFER_ALLOW). */
export interface CidrConfig {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** Evidence capture, the blob store, takedown re-checks and the Merkle log's signing key. */
export interface EvidenceConfig {
  /** Root folder of the content-addressed blob store (bodies, screenshots). */
  readonly blobDir: string;
  /**
   * Ed25519 private key (PKCS#8, PEM text or base64 DER) signing the log's tree heads;
   * `undefined` → generated into `logSigningKeyFile` (mode 0600) on first use. Never logged.
   */
  readonly logSigningKey: string | undefined;
  readonly logSigningKeyFile: string;
  /**
   * How often the log's sequencer integrates committed events into the Merkle tree and signs a
   * tree head, ms (log/sequencer.ts): an event is a leaf this long after its commit, plus one
   * round, while a server runs.
   */
  readonly logSequenceMs: number;
  /** Tests only: let capture connect to loopback addresses (127.0.0.0/8, ::1). Off by default. */
  readonly captureAllowLoopback: boolean;
  /** TCP ports capture may connect to. */
  readonly captureAllowedPorts: readonly number[];
  /** Redirects followed per URL (each hop is checked and recorded). */
  readonly captureMaxRedirects: number;
  /** Largest body kept per hop, bytes; a longer body is cut there and marked truncated. */
  readonly captureMaxBytes: number;
  /** Time limit for one URL, all hops together, ms. */
  readonly captureTimeoutMs: number;
  /** User-Agent of capture requests. */
  readonly captureUserAgent: string;
  /** Take a screenshot in headless Chromium with each capture. */
  readonly captureScreenshots: boolean;
  /** The Chromium executable for screenshots (Debian's `chromium`). */
  readonly chromiumPath: string;
  /** Takedown re-checks: time between checks, minutes. */
  readonly recheckIntervalMinutes: number;
  /** Takedown re-checks: how long after the notice checks go on, hours. */
  readonly recheckDurationHours: number;
}
