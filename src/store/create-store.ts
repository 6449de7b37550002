import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type MigrationProvider,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
import type { StoreConfig } from '../config/index.js';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { WriteWatch, registerWriteWatch, watchCommits } from './write-watch.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open store: the Kysely handle, its dialect, and how to close it. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  destroy(): Promise<void>;
}

/**
 * Opens the store that `config` names. SQLite: creates the parent folder (0700 when new), makes
 * the database file and its WAL/shared-memory files readable by their owner only (0600: they hold
 * reporters' contact data and password hashes; SQLite gives a new WAL file the database file's
 * mode), WAL journal, foreign keys on, 5 s busy timeout. PostgreSQL: a pool of `poolSize` connections; `searchPath` selects a
 * schema (tests use one schema each). Every handle counts the queries that may write through it
 * (writesThrough, for the lookup index). Does not migrate: call `migrateToLatest`.
 */
export function createStore(
  config: StoreConfig,
  options: { poolSize?: number; searchPath?: string } = {},
): Store {
  if (config.dialect === 'sqlite') {
    const onDisk = config.path !== ':memory:' && config.path !== '';
    if (onDisk) mkdirSync(path.dirname(config.path), { recursive: true, mode: 0o700 });
    const database = new SQLite(config.path);
    if (onDisk) ownerOnly(config.path);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    const watch = new WriteWatch();
    const db = new Kysely<Database>({
      dialect: watchCommits(new SqliteDialect({ database: withStatementCache(database) }), watch),
      plugins: [watch],
    });
    registerWriteWatch(db, watch);
    return { db, dialect: 'sqlite', destroy: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: options.poolSize ?? 10,
    ...(options.searchPath === undefined
      ? {}
      : { options: `-c search_path=${options.searchPath}` }),
  });
  const watch = new WriteWatch();
  const db = new Kysely<Database>({
    dialect: watchCommits(new PostgresDialect({ pool }), watch),
    plugins: [watch],
  });
  registerWriteWatch(db, watch);
  return { db, dialect: 'postgres', destroy: () => db.destroy() };
}

/** Prepared statements kept per SQLite connection (least recently prepared evicted first). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Wraps a better-sqlite3 connection so Kysely reuses prepared statements by SQL text instead of
 * compiling every query again (Kysely's SQLite driver prepares on each execution). Schema
 * changes invalidate nothing: better-sqlite3 re-prepares a statement whose schema changed.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (sqlText: string) => {
      let statement = cache.get(sqlText);
      if (statement === undefined) {
        statement = database.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/**
 * Checks that the store answers (`select 1`), for the health check.
 * @throws the driver's error when it does not (connection refused, file unreadable).
 */
export async function pingStore(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/**
 * Applies every pending migration in one run.
 * @returns the names of the migrations applied now (empty when already current).
 * @throws Error naming the failed migration; nothing of that migration stays applied on PostgreSQL.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one; on PostgreSQL
  // name the current schema, so databases holding several schemas (tests, other apps) don't clash.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const schema = sqlite
    ? undefined
    : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
        ?.schema;
  const migrator = new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** chmod 0600 the SQLite database `file` and its `-wal`/`-shm` companions where they exist. */
function ownerOnly(file: string): void {
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(name)) chmodSync(name, 0o600);
  }
}
