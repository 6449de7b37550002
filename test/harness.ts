import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config/index.js';

import {
  SESSION_COOKIE,
  createApiKey,
  createUser as createIdentityUser,
  type AccountRole,
} from '../src/identity/index.js';

import { FakeClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest, type Dialect } from '../src/store/index.js';

import { buildApp } from '../src/app/index.js';
import type { Platform } from '../src/vocabulary/index.js';
import type { ScamnetApp } from '../src/app/index.js';
import type { Actor } from '../src/policy/index.js';
/** The dialects a store or service suite runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDialects(): Dialect[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** The actor harness helpers create accounts and keys as. */
const TEST_ADMIN_ACTOR: Actor = { role: 'admin', id: 'admin:test' };

/** Environment variables over the test defaults, and the clock to use (a fresh FakeClock otherwise). */
export interface TestOptions {
  env?: Record<string, string>;
  clock?: FakeClock;
}

export interface TestContext {
  deps: ServiceDeps;
  clock: FakeClock;
  config: Config;
  /** The PostgreSQL schema of this context's store (undefined on SQLite). */
  schema?: string;
  close: () => Promise<void>;
}

/** Advisory lock key that orders test suites' migrations against their schema drops. */
const SCHEMA_LOCK_KEY = 7_431_018;

/**
 * Runs `work` holding the schema lock on TEST_DATABASE_URL: `shared` for a migration, `exclusive`
 * for dropping a suite's schema. Kysely's migrator reads the catalog of every schema
 * (`pg_get_serial_sequence` over each table), which fails with 3F000 "schema does not exist"
 * when another test file drops its schema at that moment: seen once in a whole-suite run.
 */
/**
 * Runs `work` holding the test schemas' advisory lock: `shared` to migrate a schema, `exclusive`
 * to drop one (PostgreSQL DDL in one schema can fail while another is dropped). Tests that make
 * schemas of their own use it too.
 */
export async function withSchemaLock<T>(
  mode: 'shared' | 'exclusive',
  work: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  const suffix = mode === 'shared' ? '_shared' : '';
  try {
    await client.query(`select pg_advisory_lock${suffix}($1)`, [SCHEMA_LOCK_KEY]);
    return await work();
  } finally {
    await client.query(`select pg_advisory_unlock${suffix}($1)`, [SCHEMA_LOCK_KEY]).catch(() => 0);
    await client.end();
  }
}

/** A PostgreSQL schema of a test's own on TEST_DATABASE_URL (createTestSchema). */
export interface TestSchema {
  schema: string;
  /** TEST_DATABASE_URL selecting the schema (`options=-c search_path=…`), for child processes. */
  databaseUrl: string;
  /** Drops the schema and all in it, under the exclusive schema lock. */
  drop: () => Promise<void>;
}

/**
 * Creates a new, empty schema on TEST_DATABASE_URL, for tests whose nodes or child processes
 * open the store themselves (migrate it under withSchemaLock('shared', …) before they do).
 * @throws Error when TEST_DATABASE_URL is not set.
 */
export async function createTestSchema(): Promise<TestSchema> {
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const query = async (text: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await query(`create schema ${schema}`);
  const options = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    schema,
    databaseUrl: `${url}${url.includes('?') ? '&' : '?'}${options}`,
    drop: () => withSchemaLock('exclusive', () => query(`drop schema ${schema} cascade`)),
  };
}

/**
 * Where a test store of `dialect` lives: the SQLite file `file`, or a new, empty schema of its
 * own on TEST_DATABASE_URL (the caller drops it).
 */
export async function testDatabase(
  dialect: Dialect,
  file: string,
): Promise<{ databaseUrl: string; schema?: string }> {
  if (dialect === 'sqlite') return { databaseUrl: `sqlite:${file}` };
  const { schema } = await createTestSchema();
  return { databaseUrl: process.env.TEST_DATABASE_URL ?? '', schema };
}

/**
 * Fresh, migrated store of `dialect` with a fake clock: SQLite in a temporary folder, PostgreSQL
 * in a schema of its own (dropped by `close`).
 */
export async function createTestContext(
  dialect: Dialect,
  options: TestOptions = {},
): Promise<TestContext> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-test-'));
  const clock = options.clock ?? new FakeClock('2026-11-29T02:00:00Z');
  const { databaseUrl, schema } = await testDatabase(dialect, path.join(dir, 'test.db'));
  const config = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      // Per-client limits are off unless a test sets them (test/http/rate-limits.test.ts).
      REPORT_RATE_LIMIT_PER_MINUTE: '0',
      API_RATE_LIMIT_PER_MINUTE: '0',
      SEARCH_RATE_LIMIT_PER_MINUTE: '0',
      LOOKUP_RATE_LIMIT_PER_MINUTE: '0',
      LOGIN_RATE_LIMIT_PER_IP_PER_15_MINUTES: '0',
      LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_15_MINUTES: '0',
      WEB_ROOT: path.join(dir, 'no-web'),
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      // Re-checks fetch the notices' content: tests that want them switch them on with loopback.
      TAKEDOWN_RECHECKS: 'false',
      ...options.env,
    },
    dir,
  );
  const store = createStore(
    config.store,
    schema === undefined ? {} : { searchPath: schema, poolSize: 4 },
  );
  if (schema === undefined) await migrateToLatest(store.db);
  else await withSchemaLock('shared', () => migrateToLatest(store.db));
  const deps: ServiceDeps = { db: store.db, dialect, clock, config, log: createLogger('silent') };
  return {
    deps,
    clock,
    config,
    ...(schema === undefined ? {} : { schema }),
    close: async () => {
      if (schema !== undefined) {
        const name = schema;
        await withSchemaLock('exclusive', () =>
          sql`drop schema ${sql.id(name)} cascade`.execute(store.db),
        );
      }
      await store.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test context plus the HTTP app built on it (use `app.inject`), its lookup index ready. */
export async function buildTestApp(dialect: Dialect, options: TestOptions = {}): Promise<TestApp> {
  const context = await createTestContext(dialect, options);
  const app = await buildApp({ deps: context.deps, adminToken: TEST_ADMIN_TOKEN });
  await app.ready();
  // Checks through the app then answer from the lookup index, not the store's fallback.
  await app.lookupIndex?.whenReady();
  return {
    ...context,
    app,
    close: async () => {
      await app.close();
      await context.close();
    },
  };
}

/**
 * Another server process on the store of `ctx`, as a second node behind a load balancer would
 * be: its own connection pool and app (its own timers and caches), the same database and clock,
 * and the config of `ctx` or `options.config` (e.g. another EVIDENCE_DIR: a node's own disk).
 * `close` closes this node only.
 */
export async function buildTestNode(
  ctx: TestContext,
  options: { config?: Config } = {},
): Promise<{ deps: ServiceDeps; app: ScamnetApp; close: () => Promise<void> }> {
  const store = createStore(
    ctx.config.store,
    ctx.schema === undefined ? {} : { searchPath: ctx.schema, poolSize: 4 },
  );
  const deps: ServiceDeps = { ...ctx.deps, db: store.db, config: options.config ?? ctx.config };
  const app = await buildApp({ deps, adminToken: TEST_ADMIN_TOKEN });
  await app.ready();
  return {
    deps,
    app,
    close: async () => {
      await app.close();
      await store.destroy();
    },
  };
}

/** What useTestApp fills in: a test context and its HTTP app. */
export type TestApp = TestContext & { app: ScamnetApp };

/**
 * Registers a suite's `beforeAll`/`afterAll` around a resource built by `build` and returns the
 * object the resource is copied into by `beforeAll` (read it in hooks and tests only: it is
 * empty while the suite is being declared). `afterAll` closes it, after the suite's own
 * `afterAll` hooks (Vitest runs them as a stack).
 */
function useSuiteResource<T extends { close: () => Promise<void> }>(build: () => Promise<T>): T {
  const resource = {} as T;
  beforeAll(async () => {
    Object.assign(resource, await build());
  });
  afterAll(async () => {
    // Undefined when `build` failed: that failure is the one to report.
    await (resource.close as T['close'] | undefined)?.();
  });
  return resource;
}

/** A suite's test app on `dialect` (buildTestApp), built before its tests and closed after. */
export function useTestApp(dialect: Dialect, options: TestOptions = {}): TestApp {
  return useSuiteResource(() => buildTestApp(dialect, options));
}

/** A suite's test context on `dialect` (createTestContext), made before its tests and closed after. */
export function useTestContext(dialect: Dialect, options: TestOptions = {}): TestContext {
  return useSuiteResource(() => createTestContext(dialect, options));
}

/** A fresh test context on `dialect` for each test of the suite (createTestContext), closed after it. */
export function useTestContextPerTest(dialect: Dialect): TestContext {
  const ctx = {} as TestContext;
  beforeEach(async () => {
    Object.assign(ctx, await createTestContext(dialect));
  });
  afterEach(async () => {
    await (ctx.close as TestContext['close'] | undefined)?.();
  });
  return ctx;
}

/**
 * A second node over the store of `ctx` (buildTestNode), built before the suite's tests, after
 * `ctx`, and closed after them; with `blobDir`, a disk of its own (its evidence blob folder).
 */
export function useTestNode(
  ctx: TestContext,
  options: { blobDir?: string } = {},
): Awaited<ReturnType<typeof buildTestNode>> {
  const { blobDir } = options;
  return useSuiteResource(() =>
    buildTestNode(
      ctx,
      blobDir === undefined
        ? {}
        : { config: { ...ctx.config, evidence: { ...ctx.config.evidence, blobDir } } },
    ),
  );
}

/** `Authorization` header carrying the test admin token. */
export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } as const;

/** An account made by createUser, with its clear-text password (tests only). */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: AccountRole;
}

let testUserCount = 0;

/**
 * Creates an account through the identity service (as the admin token would). Verifiers need
 * `entityIds`, platform liaisons a `platform`; email and password default to unique values.
 */
export async function createUser(
  ctx: Pick<TestContext, 'deps'>,
  options: {
    role: AccountRole;
    entityIds?: string[];
    platform?: Platform;
    email?: string;
    password?: string;
    displayName?: string;
  },
): Promise<TestUser> {
  testUserCount += 1;
  const email =
    options.email ??
    `${options.role}-${testUserCount}-${randomBytes(3).toString('hex')}@example.test`;
  const password = options.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const { user } = await createIdentityUser(ctx.deps, TEST_ADMIN_ACTOR, {
    email,
    password,
    role: options.role,
    displayName: options.displayName,
    entityIds: options.entityIds,
    platform: options.platform,
  });
  return { id: user.id, email: user.email, password, role: user.role };
}

/** A signed-in web session: send `headers` (cookie and CSRF token) with each request. */
export interface TestSession {
  /** `scamnet_session=<token>`, ready for a `cookie` header. */
  cookie: string;
  csrfToken: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

/**
 * Signs `user` in through `POST /api/v1/auth/login`.
 * @throws Error when the sign-in is refused.
 */
export async function loginAs(
  ctx: { app: ScamnetApp },
  user: { email: string; password: string },
): Promise<TestSession> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const token = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  const body: unknown = res.json();
  const csrfToken =
    typeof body === 'object' && body !== null && 'csrfToken' in body ? body.csrfToken : undefined;
  if (token === undefined || typeof csrfToken !== 'string') throw new Error('login set no session');
  const cookie = `${SESSION_COOKIE}=${token}`;
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/**
 * Creates an API key through the identity service, scoped like createUser.
 * @returns its ID, the key, and `headers` carrying it as a bearer token.
 */
export async function apiKeyFor(
  ctx: Pick<TestContext, 'deps'>,
  options: {
    role: AccountRole;
    entityIds?: string[];
    platform?: Platform;
    name?: string;
    sourceKind?: string;
    sourceName?: string;
  },
): Promise<{ id: string; key: string; headers: { authorization: string } }> {
  const { apiKey, key } = await createApiKey(ctx.deps, TEST_ADMIN_ACTOR, {
    name: options.name ?? `test ${options.role} key`,
    role: options.role,
    entityIds: options.entityIds,
    platform: options.platform,
    sourceKind: options.sourceKind,
    sourceName: options.sourceName,
  });
  return { id: apiKey.id, key, headers: { authorization: `Bearer ${key}` } };
}

/** An HTTP server a test runs on the loopback address (see listenOnLoopback). */
export interface LoopbackServer {
  /** The ephemeral port it listens on at 127.0.0.1. */
  port: number;
  /** Drops its open connections and stops it. */
  close: () => Promise<void>;
}

/** Starts an HTTP server answering with `handler` on 127.0.0.1 at a free port. */
export async function listenOnLoopback(handler: RequestListener): Promise<LoopbackServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Runs `work` with `resource` (e.g. `createTestContext(dialect)` or `buildTestApp(dialect)`) once
 * it is made, and closes it afterwards, whatever happens.
 */
export async function withClosing<R extends { close: () => Promise<void> }, T>(
  resource: Promise<R>,
  work: (resource: R) => Promise<T>,
): Promise<T> {
  const opened = await resource;
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

/**
 * Runs `work` with a new temporary directory (named `prefix` and random characters, under the
 * OS temporary directory) and removes the directory and all in it afterwards, whatever happens.
 */
export async function withTempDir<T>(
  prefix: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
