import path from 'node:path';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';

/** The store a DATABASE_URL selects. */
export type StoreConfig =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

/** The whole, validated configuration of a scamnet process. Frozen; pass it in, never re-read env. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly store: StoreConfig;
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
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
