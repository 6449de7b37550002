import path from 'node:path';
import { parseWorkflowConfig, type WorkflowConfig } from './workflow-config.js';
import { parseStatisticsConfig, type StatisticsConfig } from './statistics-config.js';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { DEFAULT_PROTECTED_DOMAINS } from './protected-domains.js';

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
  /** Largest screenshot a report may carry, bytes (multipart POST /api/v1/reports). */
  readonly reportScreenshotMaxBytes: number;
  /** Lifetime of a web sign-in session, hours (absolute, from sign-in). */
  readonly sessionTtlHours: number;
  /** Mark the session cookie `Secure` (browsers treat http://localhost as secure). */
  readonly cookieSecure: boolean;
  /** Sign-in attempts per e-mail address and client IP per 15 minutes (0 = no limit). */
  readonly loginRateLimitPer15Minutes: number;
  /** Case workflow: notices, deliveries, sweeps, decision links, e-mail. */
  readonly workflow: WorkflowConfig;
  /** Statistics and the weekly bulletin: time zone and week start (STATS_*, BULLETIN_*). */
  readonly statistics: StatisticsConfig;
  /** Merge near-duplicate messages into one case at intake (MinHash/LSH; NEAR_DUPLICATE_MERGE). */
  readonly nearDuplicateMerge: boolean;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const MIN_ADMIN_TOKEN_LENGTH = 24;

/**
 * Parses DATABASE_URL: unset or empty → SQLite at `<cwd>/var/scamnet.db`; `sqlite:/abs.db`,
 * `sqlite:///abs.db` or `file:/abs.db` → SQLite at that path; `postgres://` or `postgresql://` →
 * PostgreSQL. Returns a problem string instead of throwing.
 */
export function parseDatabaseUrl(value: string | undefined, cwd: string): StoreConfig | string {
  if (value === undefined || value.trim() === '') {
    return { dialect: 'sqlite', path: path.join(cwd, 'var', 'scamnet.db') };
  }
  const url = value.trim();
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', connectionString: url };
  const sqlite = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(url);
  if (sqlite?.[1] !== undefined) {
    const file = sqlite[1];
    if (file === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
    return { dialect: 'sqlite', path: path.isAbsolute(file) ? file : path.resolve(cwd, file) };
  }
  return 'DATABASE_URL must start with postgres://, postgresql://, sqlite: or file:';
}

function parseIntVar(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

function parseBoolVar(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: boolean,
  problems: string[],
): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

/**
 * Reads the configuration from `env` once. The only reader of process.env in scamnet.
 * Every variable is documented in `.env.example`.
 * @throws ConfigError listing every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const port = parseIntVar(env, 'PORT', 8080, 0, 65535, problems);
  const host = env.HOST?.trim() || 'localhost';
  const store = parseDatabaseUrl(env.DATABASE_URL, cwd);
  if (typeof store === 'string') problems.push(store);

  const adminToken =
    env.ADMIN_TOKEN === undefined || env.ADMIN_TOKEN === '' ? undefined : env.ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    problems.push(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const region = (env.DEFAULT_REGION?.trim() || 'TW').toUpperCase();
  if (!isSupportedCountry(region))
    problems.push(`DEFAULT_REGION "${region}" is not a supported region`);

  const config: Config = {
    port,
    host,
    store: typeof store === 'string' ? { dialect: 'sqlite', path: ':memory:' } : store,
    evidence: parseEvidenceConfig(env, cwd, problems),
    ...parseBlocklistAndDns(env, problems),
    adminToken,
    adminTokenFile: path.resolve(
      cwd,
      env.ADMIN_TOKEN_FILE?.trim() || path.join('var', 'admin-token'),
    ),
    logLevel,
    demoData: parseBoolVar(env, 'DEMO_DATA', true, problems),
    defaultRegion: isSupportedCountry(region) ? region : 'TW',
    bodyLimitBytes: parseIntVar(env, 'BODY_LIMIT_BYTES', 65_536, 1_024, 10_485_760, problems),
    webRoot: path.resolve(cwd, env.WEB_ROOT?.trim() || path.join('web', 'dist')),
    trustProxy: parseBoolVar(env, 'TRUST_PROXY', false, problems),
    reportRateLimitPerMinute: parseIntVar(
      env,
      'REPORT_RATE_LIMIT_PER_MINUTE',
      30,
      0,
      1_000_000,
      problems,
    ),
    reportScreenshotMaxBytes: parseIntVar(
      env,
      'REPORT_SCREENSHOT_MAX_BYTES',
      5_242_880,
      1_024,
      52_428_800,
      problems,
    ),
    sessionTtlHours: parseIntVar(env, 'SESSION_TTL_HOURS', 12, 1, 720, problems),
    cookieSecure: parseBoolVar(env, 'COOKIE_SECURE', true, problems),
    loginRateLimitPer15Minutes: parseIntVar(
      env,
      'LOGIN_RATE_LIMIT_PER_15_MINUTES',
      10,
      0,
      1_000_000,
      problems,
    ),
    workflow: parseWorkflowConfig(
      env,
      cwd,
      problems,
      (name, fallback, min, max) => parseIntVar(env, name, fallback, min, max, problems),
      (name, fallback) => parseBoolVar(env, name, fallback, problems),
    ),
    statistics: parseStatisticsConfig(env, problems),
    nearDuplicateMerge: parseBoolVar(env, 'NEAR_DUPLICATE_MERGE', true, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
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
  /** How often the server looks for a new serial (changes made by other processes), seconds. */
  readonly pollSeconds: number;
}

const DNS_NAME = /^(?=.{1,253}$)((?!-)[a-z0-9_-]{1,63}(?<!-)\.)*(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

function parseDnsName(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: string,
  problems: string[],
): string {
  const value = (env[name]?.trim() || fallback).toLowerCase().replace(/\.$/, '');
  if (!DNS_NAME.test(value)) {
    problems.push(`${name} must be a DNS name (got "${env[name] ?? ''}")`);
    return fallback;
  }
  return value;
}

function parseHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:\s]+)):(\d{1,5})$/i.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/**
 * Reads the blocklist, RPZ and DNS variables (documented in .env.example):
 * BLOCKLIST_PROTECTED_DOMAINS (comma list added to the shipped protected list), RPZ_ORIGIN,
 * RPZ_ACTION (`nxdomain` | `nodata` | `walled-garden`), RPZ_LANDING_HOST (required for a walled
 * garden), RPZ_TTL, RPZ_NAMESERVER, RPZ_HOSTMASTER, DNS_HOST, DNS_PORT, DNS_NOTIFY (comma list of
 * host:port), DNS_TSIG_KEY (`name:base64secret`, HMAC-SHA256, secret ≥ 16 bytes), DNS_POLL_SECONDS,
 * FEED_REVOCATION_DAYS (1–3650).
 * Problems are appended to `problems`.
 */
function parseBlocklistAndDns(
  env: NodeJS.ProcessEnv,
  problems: string[],
): { blocklist: BlocklistConfig; dns: DnsConfig } {
  const extra = (env.BLOCKLIST_PROTECTED_DOMAINS ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase().replace(/\.$/, ''))
    .filter((d) => d !== '');
  for (const domain of extra) {
    if (!DNS_NAME.test(domain)) {
      problems.push(`BLOCKLIST_PROTECTED_DOMAINS: "${domain}" is not a lower-case ASCII domain`);
    }
  }
  const rpzOrigin = parseDnsName(env, 'RPZ_ORIGIN', 'rpz.scamnet', problems);
  const actionName = (env.RPZ_ACTION?.trim() || 'nxdomain').toLowerCase();
  let rpzAction: RpzActionConfig = { kind: 'nxdomain' };
  if (actionName === 'nodata') rpzAction = { kind: 'nodata' };
  else if (actionName === 'walled-garden') {
    const landing = env.RPZ_LANDING_HOST?.trim() ?? '';
    if (landing === '') problems.push('RPZ_LANDING_HOST is required when RPZ_ACTION=walled-garden');
    else
      rpzAction = {
        kind: 'walled_garden',
        landingHost: parseDnsName(env, 'RPZ_LANDING_HOST', 'invalid', problems),
      };
  } else if (actionName !== 'nxdomain') {
    problems.push(`RPZ_ACTION must be nxdomain, nodata or walled-garden (got "${actionName}")`);
  }
  const notify: { host: string; port: number }[] = [];
  for (const item of (env.DNS_NOTIFY ?? '').split(',').filter((v) => v.trim() !== '')) {
    const target = parseHostPort(item);
    if (target === undefined) problems.push(`DNS_NOTIFY: "${item.trim()}" is not host:port`);
    else notify.push(target);
  }
  let tsigKey: TsigKeyConfig | undefined;
  const rawKey = env.DNS_TSIG_KEY?.trim() ?? '';
  if (rawKey !== '') {
    const colon = rawKey.lastIndexOf(':');
    const name = rawKey.slice(0, colon).toLowerCase().replace(/\.$/, '');
    const secret = Buffer.from(rawKey.slice(colon + 1), 'base64');
    if (colon < 1 || !DNS_NAME.test(name) || secret.length < 16) {
      problems.push('DNS_TSIG_KEY must be name:base64secret with a secret of at least 16 bytes');
    } else {
      tsigKey = { name, algorithm: 'hmac-sha256', secret };
    }
  }
  return {
    blocklist: {
      protectedDomains: Object.freeze([...new Set([...DEFAULT_PROTECTED_DOMAINS, ...extra])]),
      rpzOrigin,
      rpzAction,
      rpzTtl: parseIntVar(env, 'RPZ_TTL', 300, 0, 86_400, problems),
      rpzNameserver: parseDnsName(env, 'RPZ_NAMESERVER', 'localhost', problems),
      rpzHostmaster: parseDnsName(env, 'RPZ_HOSTMASTER', `hostmaster.${rpzOrigin}`, problems),
      feedRevocationDays: parseIntVar(env, 'FEED_REVOCATION_DAYS', 30, 1, 3650, problems),
    },
    dns: {
      host: env.DNS_HOST?.trim() || '127.0.0.1',
      port: parseIntVar(env, 'DNS_PORT', 5300, 0, 65535, problems),
      notify,
      tsigKey,
      pollSeconds: parseIntVar(env, 'DNS_POLL_SECONDS', 5, 1, 3600, problems),
    },
  };
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

const ED25519_PKCS8_PREFIX = '302e020100300506032b657004220420';

/**
 * Reads the evidence variables (documented in .env.example): EVIDENCE_DIR, LOG_SIGNING_KEY,
 * LOG_SIGNING_KEY_FILE, CAPTURE_ALLOW_LOOPBACK, CAPTURE_ALLOWED_PORTS (comma list),
 * CAPTURE_MAX_REDIRECTS, CAPTURE_MAX_BYTES, CAPTURE_TIMEOUT_MS, CAPTURE_USER_AGENT,
 * CAPTURE_SCREENSHOTS, CHROMIUM_PATH, RECHECK_INTERVAL_MINUTES, RECHECK_DURATION_HOURS.
 * LOG_SIGNING_KEY must be an Ed25519 PKCS#8 key (RFC 8410) as PEM or base64 DER; its value never
 * appears in a problem message. Problems are appended to `problems`.
 */
function parseEvidenceConfig(
  env: NodeJS.ProcessEnv,
  cwd: string,
  problems: string[],
): EvidenceConfig {
  const rawKey = env.LOG_SIGNING_KEY?.trim() ?? '';
  let logSigningKey: string | undefined;
  if (rawKey !== '') {
    const der = rawKey.startsWith('-----BEGIN PRIVATE KEY-----')
      ? Buffer.from(rawKey.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64')
      : Buffer.from(rawKey, 'base64');
    if (der.length === 48 && der.subarray(0, 16).toString('hex') === ED25519_PKCS8_PREFIX) {
      logSigningKey = rawKey;
    } else {
      problems.push('LOG_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM or base64 DER)');
    }
  }
  const ports = (env.CAPTURE_ALLOWED_PORTS?.trim() || '80,443').split(',').map((p) => p.trim());
  const captureAllowedPorts = ports.map(Number);
  if (captureAllowedPorts.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    problems.push(`CAPTURE_ALLOWED_PORTS must be a comma list of ports 1-65535`);
  }
  return {
    blobDir: path.resolve(cwd, env.EVIDENCE_DIR?.trim() || path.join('var', 'evidence')),
    logSigningKey,
    logSigningKeyFile: path.resolve(
      cwd,
      env.LOG_SIGNING_KEY_FILE?.trim() || path.join('var', 'log-signing-key.pem'),
    ),
    captureAllowLoopback: parseBoolVar(env, 'CAPTURE_ALLOW_LOOPBACK', false, problems),
    captureAllowedPorts: Object.freeze(captureAllowedPorts),
    captureMaxRedirects: parseIntVar(env, 'CAPTURE_MAX_REDIRECTS', 10, 0, 30, problems),
    captureMaxBytes: parseIntVar(
      env,
      'CAPTURE_MAX_BYTES',
      10_485_760,
      1_024,
      104_857_600,
      problems,
    ),
    captureTimeoutMs: parseIntVar(env, 'CAPTURE_TIMEOUT_MS', 20_000, 100, 300_000, problems),
    captureUserAgent:
      env.CAPTURE_USER_AGENT?.trim() ||
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 scamnet-evidence',
    captureScreenshots: parseBoolVar(env, 'CAPTURE_SCREENSHOTS', false, problems),
    chromiumPath: env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium',
    recheckIntervalMinutes: parseIntVar(env, 'RECHECK_INTERVAL_MINUTES', 120, 1, 10_080, problems),
    recheckDurationHours: parseIntVar(env, 'RECHECK_DURATION_HOURS', 168, 1, 8_760, problems),
  };
}
