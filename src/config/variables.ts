import { isIP } from 'node:net';
import path from 'node:path';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import type { CidrConfig, StoreConfig, TsigKeyConfig } from './config.js';
import {
  Invalid,
  bool,
  filePath,
  int,
  list,
  oneOf,
  optional,
  text,
  type Variable,
} from './parse-variables.js';
import { parseSanctionSchedule } from './workflow-config.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const MIN_ADMIN_TOKEN_LENGTH = 24;
export const MIN_DECISION_LINK_SECRET_LENGTH = 32;

const DNS_NAME = /^(?=.{1,253}$)((?!-)[a-z0-9_-]{1,63}(?<!-)\.)*(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const ED25519_PKCS8_PREFIX = '302e020100300506032b657004220420';

/** A DNS name, lower-cased and without the trailing dot. */
function dnsName(value: string): string | Invalid {
  const name = value.toLowerCase().replace(/\.$/, '');
  return DNS_NAME.test(name) ? name : new Invalid('must be a lower-case ASCII DNS name');
}

/** `host:port` or `[ipv6]:port`, port 1–65535. */
function hostPort(value: string): { host: string; port: number } | Invalid {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:\s]+)):(\d{1,5})$/i.exec(value);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    return new Invalid('must be host:port');
  }
  return { host, port };
}

/**
 * An address block `address/prefix` (IPv4 or IPv6, as node:net BlockList takes it); a bare
 * address is the block of that address alone.
 */
function cidr(value: string): CidrConfig | Invalid {
  const [address = '', prefixText, extra] = value.split('/');
  const version = isIP(address);
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (
    version === 0 ||
    extra !== undefined ||
    (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > bits
  ) {
    return new Invalid('must be an IPv4 or IPv6 address or address/prefix');
  }
  return { address, prefix, family };
}

function port(value: string): number | Invalid {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : new Invalid('must be a port 1-65535');
}

/** `name:base64secret`, HMAC-SHA256 (RFC 8945), secret at least 16 bytes. */
function tsigKey(value: string): TsigKeyConfig | Invalid {
  const colon = value.lastIndexOf(':');
  const name = value.slice(0, colon).toLowerCase().replace(/\.$/, '');
  const secret = Buffer.from(value.slice(colon + 1), 'base64');
  if (colon < 1 || !DNS_NAME.test(name) || secret.length < 16) {
    return new Invalid('must be name:base64secret with a secret of at least 16 bytes');
  }
  return { name, algorithm: 'hmac-sha256', secret };
}

/** An Ed25519 private key, PKCS#8 (RFC 8410) as PEM or base64 DER; kept as given. */
function ed25519PrivateKey(value: string): string | Invalid {
  const der = value.startsWith('-----BEGIN PRIVATE KEY-----')
    ? Buffer.from(value.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64')
    : Buffer.from(value, 'base64');
  return der.length === 48 && der.subarray(0, 16).toString('hex') === ED25519_PKCS8_PREFIX
    ? value
    : new Invalid('must be an Ed25519 private key (PKCS#8 PEM or base64 DER)');
}

/**
 * DATABASE_URL: empty → SQLite at `<cwd>/var/scamnet.db`; `sqlite:/abs.db`, `sqlite:///abs.db` or
 * `file:/abs.db` → SQLite at that path (relative paths against `cwd`); `postgres://` or
 * `postgresql://` → PostgreSQL.
 */
function storeFromUrl(url: string, cwd: string): StoreConfig | Invalid {
  if (url === '') return { dialect: 'sqlite', path: path.join(cwd, 'var', 'scamnet.db') };
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', connectionString: url };
  const file = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(url)?.[1];
  if (file === undefined) {
    return new Invalid('must start with postgres://, postgresql://, sqlite: or file:');
  }
  if (file === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
  return { dialect: 'sqlite', path: path.isAbsolute(file) ? file : path.resolve(cwd, file) };
}

function region(value: string): CountryCode | Invalid {
  const code = value.toUpperCase();
  return isSupportedCountry(code)
    ? code
    : new Invalid('must be a supported ISO 3166-1 alpha-2 region');
}

/** An IANA time zone that this Node.js knows. */
function timeZone(value: string): string | Invalid {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    return new Invalid('must be an IANA time zone such as Asia/Taipei');
  }
}

function matching(pattern: RegExp, reason: string): (value: string) => string | Invalid {
  return (value) => (pattern.test(value) ? value : new Invalid(reason));
}

function atLeast(length: number): (value: string) => string | Invalid {
  return (value) =>
    value.length >= length ? value : new Invalid(`must be at least ${length} characters`);
}

/** `length` bytes in base64url without padding (RFC 4648 §5), as Web Push keys are written. */
function base64UrlBytes(length: number, reason: string): (value: string) => string | Invalid {
  return (value) =>
    /^[A-Za-z0-9_-]+$/.test(value) && Buffer.from(value, 'base64url').length === length
      ? value
      : new Invalid(reason);
}

function httpUrl(value: string): string | Invalid {
  const url = value.replace(/\/+$/, '');
  return /^https?:\/\/[^/]+/.test(url) ? url : new Invalid('must be an http(s) URL');
}

/**
 * Every environment variable scamnet reads, in the order of `.env.example` (a test holds the two
 * to each other): name → default, description and parser with its bounds. loadConfig parses the
 * table once and builds the Config from the values.
 */
export const VARIABLES = {
  PORT: int({ default: 8080, min: 0, max: 65535, description: 'HTTP listen port.' }),
  HOST: text({
    default: 'localhost',
    description: 'HTTP listen address (0.0.0.0 = every interface).',
  }),
  DATABASE_URL: {
    default: '',
    description:
      'Store: unset → SQLite at ./var/scamnet.db; sqlite:/abs/path.db or file:/abs/path.db → SQLite; postgres://… → PostgreSQL.',
    secret: true,
    parse: (value, { cwd }) => storeFromUrl(value, cwd),
  } satisfies Variable<StoreConfig>,
  ADMIN_TOKEN: optional(
    {
      description: `Bearer token of the analyst/admin API (≥ ${MIN_ADMIN_TOKEN_LENGTH} characters); unset → generated into ADMIN_TOKEN_FILE.`,
      secret: true,
    },
    atLeast(MIN_ADMIN_TOKEN_LENGTH),
  ),
  ADMIN_TOKEN_FILE: filePath({
    default: 'var/admin-token',
    description: 'Where a generated admin token is kept (mode 0600).',
  }),
  DEMO_DATA: bool({
    default: true,
    description:
      'Import the shipped demo data when the database holds no case, or complete a demo import a killed start left unfinished.',
  }),
  DEFAULT_REGION: {
    default: 'TW',
    description: 'ISO 3166-1 alpha-2 region for phone numbers written without a country code.',
    parse: region,
  } satisfies Variable<CountryCode>,
  BODY_LIMIT_BYTES: int({
    default: 65_536,
    min: 1_024,
    max: 10_485_760,
    description: 'Largest request body, bytes.',
  }),
  NEAR_DUPLICATE_MERGE: bool({
    default: true,
    description: 'Merge near-duplicate messages into one case at intake (MinHash/LSH).',
  }),
  LOOKUP_INDEX: bool({
    default: true,
    description:
      'Answer lookups from the in-memory lookup index (built at start; the store answers until it is ready).',
  }),
  LOOKUP_INDEX_POLL_MS: int({
    default: 1000,
    min: 50,
    max: 3_600_000,
    description:
      'How often the lookup index reads the change table as a safety net, ms (changes also arrive by NOTIFY on PostgreSQL).',
  }),
  REPORT_RATE_LIMIT_PER_MINUTE: int({
    default: 30,
    min: 0,
    max: 1_000_000,
    description:
      'Reports accepted per client IP per minute on the public API (0 = only the API-wide limit).',
  }),
  API_RATE_LIMIT_PER_MINUTE: int({
    default: 3000,
    min: 0,
    max: 1_000_000,
    description:
      'Requests per client IP per minute to any /api/ route without a limit of its own (0 = no limit).',
  }),
  SEARCH_RATE_LIMIT_PER_MINUTE: int({
    default: 120,
    min: 0,
    max: 1_000_000,
    description:
      'Requests to GET /api/v1/search per client IP per minute (0 = only the API-wide limit).',
  }),
  LOOKUP_RATE_LIMIT_PER_MINUTE: int({
    default: 600,
    min: 0,
    max: 1_000_000,
    description:
      'Requests to GET and POST /api/v1/lookup per client IP per minute (0 = only the API-wide limit).',
  }),
  RATE_LIMIT_REDIS_URL: optional(
    {
      description:
        'redis:// or rediss:// server where every node counts the per-client rate limits together; unset → each node counts its own.',
      secret: true,
    },
    matching(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
  ),
  REPORT_SCREENSHOT_MAX_BYTES: int({
    default: 5_242_880,
    min: 1_024,
    max: 52_428_800,
    description: 'Largest screenshot a report may carry, bytes.',
  }),
  REPORT_BATCH_BODY_LIMIT_BYTES: int({
    default: 8_388_608,
    min: 65_536,
    max: 67_108_864,
    description:
      'Largest body of POST /api/v1/reports/batch and POST /api/v1/scanner/ads (up to 1,000 ' +
      'reports from a source credential), bytes.',
  }),
  HASH_SEARCH_RATE_LIMIT_PER_MINUTE: int({
    default: 600,
    min: 0,
    max: 1_000_000,
    description:
      'Requests to GET /api/v1/hashes/search per client IP per minute (0 = only the API-wide limit).',
  }),
  HASH_LIST_RATE_LIMIT_PER_MINUTE: int({
    default: 30,
    min: 0,
    max: 1_000_000,
    description:
      'Requests to GET /api/v1/hash-lists/{name} per client IP per minute (0 = only the API-wide limit).',
  }),
  HASH_LIST_PUBLISH_SECONDS: int({
    default: 60,
    min: 0,
    max: 86_400,
    description:
      'Hash-prefix lists are republished at most this often, seconds (on demand; also the cacheSeconds clients get).',
  }),
  HASH_LIST_HISTORY_VERSIONS: int({
    default: 200,
    min: 1,
    max: 100_000,
    description:
      'Versions of each hash-prefix list kept for incremental updates; an older client gets the whole list.',
  }),
  SESSION_TTL_HOURS: int({
    default: 12,
    min: 1,
    max: 720,
    description: 'Lifetime of a web sign-in session, hours from sign-in.',
  }),
  COOKIE_SECURE: bool({ default: true, description: 'Mark the session cookie Secure.' }),
  LOGIN_RATE_LIMIT_PER_15_MINUTES: int({
    default: 10,
    min: 0,
    max: 1_000_000,
    description: 'Sign-in attempts per e-mail address and client IP per 15 minutes (0 = no limit).',
  }),
  LOGIN_RATE_LIMIT_PER_IP_PER_15_MINUTES: int({
    default: 60,
    min: 0,
    max: 1_000_000,
    description:
      'Sign-in attempts per client IP per 15 minutes, whatever the e-mail addresses (password spraying; 0 = no limit).',
  }),
  LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_15_MINUTES: int({
    default: 30,
    min: 0,
    max: 1_000_000,
    description:
      'Sign-in attempts per e-mail address per 15 minutes, from every IP together (0 = no limit).',
  }),
  PASSWORD_HASH_CONCURRENCY: int({
    default: 2,
    min: 1,
    max: 64,
    description: 'Password hashes (scrypt) computed at once by this process; others wait.',
  }),
  PASSWORD_HASH_QUEUE: int({
    default: 64,
    min: 0,
    max: 100_000,
    description:
      'Password hashes that may wait for one of those; beyond, a sign-in is refused with 503 busy.',
  }),
  TRUST_PROXY: bool({
    default: false,
    description: 'Honour X-Forwarded-* headers (only behind a reverse proxy you control).',
  }),
  WEB_ROOT: filePath({ default: 'web/dist', description: 'Folder of the built web UI.' }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', description: 'pino log level.' }),

  EVIDENCE_DIR: filePath({
    default: 'var/evidence',
    description:
      'Root folder of the content-addressed blob store on SQLite (on PostgreSQL blobs live in the database; this folder is read only for blobs older versions stored).',
  }),
  LOG_SIGNING_KEY: optional(
    {
      description:
        "Ed25519 private key (PKCS#8 PEM or base64 DER) signing the log's tree heads; unset → generated into LOG_SIGNING_KEY_FILE.",
      secret: true,
    },
    ed25519PrivateKey,
  ),
  LOG_SIGNING_KEY_FILE: filePath({
    default: 'var/log-signing-key.pem',
    description: 'Where a generated log signing key is kept (mode 0600).',
  }),
  LOG_SEQUENCE_MS: int({
    default: 500,
    min: 10,
    max: 60_000,
    description:
      "How often the log's sequencer integrates committed events into the Merkle tree and signs a tree head, ms (the merge delay's bound, plus one round).",
  }),
  CAPTURE_ALLOWED_PORTS: list(
    {
      default: '80,443',
      nonEmpty: true,
      description: 'Comma list of TCP ports outbound requests may connect to.',
    },
    port,
  ),
  CAPTURE_MAX_REDIRECTS: int({
    default: 10,
    min: 0,
    max: 30,
    description: 'Redirects followed per URL.',
  }),
  CAPTURE_MAX_BYTES: int({
    default: 10_485_760,
    min: 1_024,
    max: 104_857_600,
    description: 'Largest body kept per hop, bytes.',
  }),
  CAPTURE_TIMEOUT_MS: int({
    default: 20_000,
    min: 100,
    max: 300_000,
    description: 'Time limit for one URL, all hops together, ms.',
  }),
  CAPTURE_USER_AGENT: text({
    default:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 scamnet-evidence',
    description: 'User-Agent of capture requests.',
  }),
  CAPTURE_SCREENSHOTS: bool({
    default: false,
    description: 'Screenshot each capture in headless Chromium.',
  }),
  CHROMIUM_PATH: text({
    default: '/usr/bin/chromium',
    description: 'The Chromium executable for screenshots.',
  }),
  CAPTURE_ALLOW_LOOPBACK: bool({
    default: false,
    description: 'Tests only: let outbound requests connect to loopback addresses.',
  }),
  RECHECK_INTERVAL_MINUTES: int({
    default: 120,
    min: 1,
    max: 10_080,
    description: 'Takedown re-checks: minutes between checks.',
  }),
  RECHECK_DURATION_HOURS: int({
    default: 168,
    min: 1,
    max: 8_760,
    description: 'Takedown re-checks: hours of monitoring after a notice.',
  }),

  BLOCKLIST_PROTECTED_DOMAINS: list(
    {
      default: '',
      description: 'Comma list of domains no blocklist entry may block, added to the shipped list.',
    },
    dnsName,
  ),
  RPZ_ORIGIN: {
    default: 'rpz.scamnet',
    description: 'Name of the RPZ zone.',
    parse: dnsName,
  } satisfies Variable<string>,
  RPZ_ACTION: oneOf(['nxdomain', 'nodata', 'walled-garden'], {
    default: 'nxdomain',
    description: 'What the RPZ zone answers for a blocked name.',
  }),
  RPZ_LANDING_HOST: optional(
    { description: 'Host a walled garden points blocked names to (required for walled-garden).' },
    dnsName,
  ),
  RPZ_TTL: int({
    default: 300,
    min: 0,
    max: 86_400,
    description: "TTL of the zone's records, seconds.",
  }),
  RPZ_NAMESERVER: {
    default: 'localhost',
    description: "SOA MNAME and the zone's NS.",
    parse: dnsName,
  } satisfies Variable<string>,
  RPZ_HOSTMASTER: optional({ description: 'SOA RNAME; unset → hostmaster.<RPZ_ORIGIN>.' }, dnsName),
  FEED_REVOCATION_DAYS: int({
    default: 30,
    min: 1,
    max: 3650,
    description: 'Days an unpublished indicator stays in the STIX and MISP feeds as revoked.',
  }),
  DNS_HOST: text({
    default: '127.0.0.1',
    description: 'Listen address of `scamnet blocklist dns`.',
  }),
  DNS_PORT: int({
    default: 5300,
    min: 0,
    max: 65535,
    description: 'Listen port of `scamnet blocklist dns` (UDP and TCP).',
  }),
  DNS_NOTIFY: list(
    { default: '', description: 'Comma list of host:port secondaries sent NOTIFY.' },
    hostPort,
  ),
  DNS_TSIG_KEY: optional(
    {
      description:
        'TSIG key name:base64secret (HMAC-SHA256) that zone transfers must be signed with.',
      secret: true,
    },
    tsigKey,
  ),
  DNS_TRANSFER_ALLOW: {
    default: '127.0.0.0/8,::1',
    description:
      'Comma list of client addresses or CIDR blocks that may transfer the zone (AXFR/IXFR) without TSIG, or `none`; others are REFUSED. Ignored when DNS_TSIG_KEY is set: then every transfer must be signed with it.',
    parse: (value, context) =>
      value === 'none' ? [] : list({ default: '', description: '' }, cidr).parse(value, context),
  } satisfies Variable<readonly CidrConfig[]>,
  DNS_POLL_SECONDS: int({
    default: 5,
    min: 1,
    max: 3600,
    description: 'How often the DNS server looks for a new serial, seconds.',
  }),

  NOTICE_DEADLINE_HOURS: int({
    default: 24,
    min: 1,
    max: 720,
    description: 'Takedown deadline after a notice is delivered, hours.',
  }),
  SWEEP_INTERVAL_SECONDS: int({
    default: 60,
    min: 0,
    max: 86_400,
    description: 'How often the server runs the sweep, seconds (0 = never).',
  }),
  SANCTION_SCHEDULE: optional(
    {
      description:
        "JSON array of { fromOccurrence, fineMin, fineMax, currency, legalBasis }; unset → the Act's default.",
    },
    parseSanctionSchedule,
  ),
  SMTP_URL: optional(
    { description: 'smtp:// or smtps:// server for e-mail; unset → no e-mail.', secret: true },
    matching(/^smtps?:\/\//, 'must start with smtp:// or smtps://'),
  ),
  MAIL_FROM: text({
    default: 'scamnet <no-reply@localhost>',
    description: 'Sender of e-mails.',
  }),
  ESCALATION_EMAIL: optional(
    { description: 'Where escalations of overdue notices are e-mailed.' },
    matching(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address'),
  ),
  PUBLIC_BASE_URL: optional(
    {
      description:
        "This site's address for links in e-mails and feeds; unset → http://localhost:8080 (a start-up warning when listening elsewhere).",
    },
    httpUrl,
  ),
  DECISION_LINK_SECRET: optional(
    {
      description: `HMAC key of one-click decision links (≥ ${MIN_DECISION_LINK_SECRET_LENGTH} characters); unset → generated into DECISION_LINK_SECRET_FILE.`,
      secret: true,
    },
    atLeast(MIN_DECISION_LINK_SECRET_LENGTH),
  ),
  DECISION_LINK_SECRET_FILE: filePath({
    default: 'var/decision-link-secret',
    description: 'Where a generated decision link key is kept (mode 0600).',
  }),
  DECISION_LINK_TTL_HOURS: int({
    default: 72,
    min: 1,
    max: 720,
    description: 'How long a decision link works, hours.',
  }),
  WEBHOOK_TIMEOUT_MS: int({
    default: 10_000,
    min: 100,
    max: 120_000,
    description: 'Time limit of one webhook delivery, ms.',
  }),
  TAKEDOWN_RECHECKS: bool({
    default: true,
    description: "Re-check notices' content during the sweep.",
  }),
  XARF_REPORTER_ORG: text({ default: 'scamnet', description: 'Reporter org in X-ARF reports.' }),
  // X-ARF requires an e-mail address with a real-looking domain; .invalid is reserved (RFC 2606).
  XARF_REPORTER_CONTACT: {
    default: 'abuse@scamnet.invalid',
    description: 'Reporter contact in X-ARF reports.',
    parse: matching(
      /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i,
      'must be an e-mail address such as abuse@example.org',
    ),
  } satisfies Variable<string>,
  XARF_REPORTER_DOMAIN: text({
    default: 'scamnet.invalid',
    description: 'Reporter domain in X-ARF reports.',
  }),

  WEB_PUSH_VAPID_PUBLIC_KEY: optional(
    {
      description:
        'VAPID public key (RFC 8292; P-256 point, 65 bytes base64url) of Web Push to followers of a case; unset → no Web Push. `scamnet webpush keys` makes a pair.',
    },
    base64UrlBytes(65, 'must be a P-256 public key: 65 bytes, base64url'),
  ),
  WEB_PUSH_VAPID_PRIVATE_KEY: optional(
    {
      description: 'VAPID private key (32 bytes base64url) matching WEB_PUSH_VAPID_PUBLIC_KEY.',
      secret: true,
    },
    base64UrlBytes(32, 'must be a P-256 private key: 32 bytes, base64url'),
  ),
  WEB_PUSH_SUBJECT: optional(
    { description: 'VAPID contact (mailto: or https: URL) push services may write to.' },
    matching(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, 'must be a mailto: or https: URL'),
  ),

  STATS_TIME_ZONE: {
    default: 'Asia/Taipei',
    description: 'IANA time zone of the dates and weeks of statistics and bulletins.',
    parse: timeZone,
  } satisfies Variable<string>,
  BULLETIN_WEEK_START: oneOf(['sunday', 'monday'], {
    default: 'sunday',
    description: 'First day of a bulletin week.',
  }),

  LINE_CHANNEL_SECRET: optional(
    {
      description:
        'Channel secret of the LINE Messaging API channel (checks x-line-signature); with LINE_CHANNEL_ACCESS_TOKEN it enables POST /api/v1/line/webhook, unset → the bot is off (404).',
      secret: true,
    },
    atLeast(16),
  ),
  LINE_CHANNEL_ACCESS_TOKEN: optional(
    {
      description:
        'Long-lived channel access token of the LINE channel (reply, push, profile and content calls); set with LINE_CHANNEL_SECRET.',
      secret: true,
    },
    atLeast(16),
  ),
  LINE_API_BASE_URL: {
    default: 'https://api.line.me',
    description: 'Base URL of the LINE Messaging API (reply, push, profile).',
    parse: httpUrl,
  } satisfies Variable<string>,
  LINE_DATA_API_BASE_URL: {
    default: 'https://api-data.line.me',
    description: 'Base URL of the LINE Messaging API content endpoint (images users send).',
    parse: httpUrl,
  } satisfies Variable<string>,
  LINE_WEBHOOK_RATE_LIMIT_PER_MINUTE: int({
    default: 6000,
    min: 0,
    max: 1_000_000,
    description:
      "Requests to POST /api/v1/line/webhook per client IP per minute (LINE's platform sends every user's events from a few addresses; 0 = only the API-wide limit).",
  }),
} as const satisfies Readonly<Record<string, Variable<unknown>>>;

/** The name of a variable scamnet reads. */
export type VariableName = keyof typeof VARIABLES;
