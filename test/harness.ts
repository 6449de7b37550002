import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config/index.js';
import { buildApp, type ScamnetApp } from '../src/http/index.js';
import { FakeClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest, type Dialect } from '../src/store/index.js';

/** The dialects a store or service suite runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDialects(): Dialect[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestContext {
  deps: ServiceDeps;
  clock: FakeClock;
  config: Config;
  close: () => Promise<void>;
}

/**
 * Fresh, migrated store of `dialect` with a fake clock: SQLite in a temporary folder, PostgreSQL
 * in a schema of its own (dropped by `close`).
 */
export async function createTestContext(
  dialect: Dialect,
  options: { env?: Record<string, string>; clock?: FakeClock } = {},
): Promise<TestContext> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-test-'));
  const clock = options.clock ?? new FakeClock('2026-11-29T02:00:00Z');
  let schema: string | undefined;
  let databaseUrl = `sqlite:${path.join(dir, 'test.db')}`;
  if (dialect === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (url === undefined) throw new Error('TEST_DATABASE_URL is not set');
    schema = `t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
    databaseUrl = url;
  }
  const config = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      REPORT_RATE_LIMIT_PER_MINUTE: '0',
      WEB_ROOT: path.join(dir, 'no-web'),
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      ...options.env,
    },
    dir,
  );
  const store = createStore(
    config.store,
    schema === undefined ? {} : { searchPath: schema, poolSize: 4 },
  );
  await migrateToLatest(store.db);
  const deps: ServiceDeps = { db: store.db, dialect, clock, config, log: createLogger('silent') };
  return {
    deps,
    clock,
    config,
    close: async () => {
      if (schema !== undefined) await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
      await store.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test context plus the HTTP app built on it (use `app.inject`). */
export async function buildTestApp(
  dialect: Dialect,
  options: { env?: Record<string, string>; clock?: FakeClock } = {},
): Promise<TestContext & { app: ScamnetApp }> {
  const context = await createTestContext(dialect, options);
  const app = await buildApp({ deps: context.deps, adminToken: TEST_ADMIN_TOKEN });
  await app.ready();
  return {
    ...context,
    app,
    close: async () => {
      await app.close();
      await context.close();
    },
  };
}

/** `Authorization` header carrying the test admin token. */
export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } as const;
