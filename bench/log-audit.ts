/**
 * bench/log-audit: `scamnet log audit` (auditLog) over a log of N leaves on SQLite or PostgreSQL,
 * beside a baseline measured in the same run: SHA-256 alone of the same N leaf inputs, the least
 * any audit must do (it recomputes each leaf hash; it also parses each event, re-canonicalises
 * it, hashes the tree's nodes and reads every row from the store).
 *
 * Setup (timed and printed apart): N `case.verdict` events, their leaves, the nodes they complete
 * and the log head are bulk-loaded in chunks (what recordEvent would have written, never all in
 * memory): raw better-sqlite3 statements with the secondary indexes rebuilt after, or Kysely
 * multi-row inserts into a fresh PostgreSQL schema (dropped at the end). The audit is then run as
 * the CLI runs it, against the log head at its start, with the resident memory sampled per page.
 *
 * Run: `npm run bench:log-audit -- --leaves 10000000` (SQLite in a temporary folder) or
 * `… -- --leaves 1000000 --database-url postgres://…` (PostgreSQL).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';

import { loadConfig } from '../src/config/index.js';
import { auditLog, canonicalJson, eventLeafInput } from '../src/log/index.js';
import {
  EMPTY_FRONTIER,
  appendToFrontier,
  frontierRoot,
  leafHash,
  toHex,
  type Frontier,
  type NewNode,
} from '../src/log/merkle.js';
import { systemClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest, type Store } from '../src/store/index.js';

const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const LEAVES = Number(option('--leaves') ?? 1_000_000);
if (!Number.isSafeInteger(LEAVES) || LEAVES < 1) throw new Error('--leaves must be a count');
const POSTGRES_URL = option('--database-url');
const CHUNK = 65_536;
const SCHEMA = 'bench_log_audit';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The rows of the i-th event (0-based; its seq and leaf are i + 1 and i). */
function eventRow(i: number) {
  return {
    seq: i + 1,
    at: new Date(Date.UTC(2026, 10, 29) + i * 1000).toISOString(),
    type: 'case.verdict',
    subject_type: 'case',
    subject_id: `C${String(i).padStart(10, '0')}`,
    actor: 'admin:token',
    data: canonicalJson({ after: { verdict: 'fraud', n: i } }),
  };
}
type EventRow = ReturnType<typeof eventRow>;
const leafInputOf = (e: EventRow): string =>
  eventLeafInput({
    seq: e.seq,
    at: e.at,
    type: e.type,
    subjectType: e.subject_type,
    subjectId: e.subject_id,
    actor: e.actor,
    data: JSON.parse(e.data),
  });

interface Loader {
  write(
    events: readonly EventRow[],
    leaves: readonly Uint8Array[],
    nodes: NewNode[],
  ): Promise<void>;
  finish(frontier: Frontier): Promise<void>;
}

function sqliteLoader(file: string): Loader {
  const raw = new SQLite(file);
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -1048576');
  const indexes = raw
    .prepare(
      "select name, sql from sqlite_master where type = 'index' and sql is not null " +
        "and tbl_name in ('events', 'log_leaves', 'log_nodes')",
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) raw.exec(`drop index ${index.name}`);
  const insertEvent = raw.prepare(
    'insert into events (seq, at, type, subject_type, subject_id, actor, data) ' +
      'values (@seq, @at, @type, @subject_type, @subject_id, @actor, @data)',
  );
  const insertLeaf = raw.prepare(
    'insert into log_leaves (leaf_index, event_seq, leaf_hash) values (?, ?, ?)',
  );
  const insertNode = raw.prepare(
    'insert into log_nodes (level, node_index, hash) values (?, ?, ?)',
  );
  const write = raw.transaction(
    (events: readonly EventRow[], leaves: readonly Uint8Array[], nodes: NewNode[]) => {
      events.forEach((e, j) => {
        insertEvent.run(e);
        insertLeaf.run(e.seq - 1, e.seq, leaves[j]);
      });
      for (const n of nodes) insertNode.run(n.level, n.index, n.hash);
    },
  );
  return {
    write: async (events, leaves, nodes) => write(events, leaves, nodes),
    finish: async (frontier) => {
      raw
        .prepare('update log_head set tree_size = ?, frontier = ? where id = 1')
        .run(frontier.size, Buffer.concat(frontier.hashes.map((h) => Buffer.from(h))));
      for (const index of indexes) raw.exec(index.sql);
      raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
    },
  };
}

function postgresLoader(store: Store): Loader {
  const { db } = store;
  const inBatches = async <T>(
    rows: readonly T[],
    size: number,
    run: (batch: T[]) => Promise<unknown>,
  ) => {
    for (let i = 0; i < rows.length; i += size) await run(rows.slice(i, i + size));
  };
  return {
    write: (events, leaves, nodes) =>
      db.transaction().execute(async (trx) => {
        await inBatches(events, 8_000, (b) => trx.insertInto('events').values(b).execute());
        await inBatches(
          events.map((e, j) => ({
            leaf_index: e.seq - 1,
            event_seq: e.seq,
            leaf_hash: Buffer.from(leaves[j] ?? []),
          })),
          16_000,
          (b) => trx.insertInto('log_leaves').values(b).execute(),
        );
        await inBatches(
          nodes.map((n) => ({ level: n.level, node_index: n.index, hash: Buffer.from(n.hash) })),
          16_000,
          (b) => trx.insertInto('log_nodes').values(b).execute(),
        );
      }),
    finish: async (frontier) => {
      await db
        .updateTable('log_head')
        .set({
          tree_size: frontier.size,
          frontier: Buffer.concat(frontier.hashes.map((h) => Buffer.from(h))),
        })
        .where('id', '=', 1)
        .execute();
      // The events' sequence continues after the loaded rows, as after real appends.
      await sql`select setval(pg_get_serial_sequence('events', 'seq'), ${frontier.size})`.execute(
        db,
      );
      await sql`analyze`.execute(db);
    },
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-log-audit-'));
const config = loadConfig(
  {
    DATABASE_URL: POSTGRES_URL ?? `sqlite:${path.join(dir, 'bench.db')}`,
    LOG_LEVEL: 'silent',
    LOG_SIGNING_KEY_FILE: path.join(dir, 'log-signing-key.pem'),
  },
  dir,
);
let admin: Store | undefined;
if (POSTGRES_URL !== undefined) {
  admin = createStore(config.store);
  await sql`drop schema if exists ${sql.id(SCHEMA)} cascade`.execute(admin.db);
  await sql`create schema ${sql.id(SCHEMA)}`.execute(admin.db);
}
const store = createStore(config.store, admin === undefined ? {} : { searchPath: SCHEMA });
await migrateToLatest(store.db);
const dialect = POSTGRES_URL === undefined ? 'sqlite' : 'postgres';
const deps: ServiceDeps = {
  db: store.db,
  dialect,
  clock: systemClock,
  config,
  log: createLogger('silent'),
};

console.log(`bench/log-audit: ${fmt(LEAVES)} leaves on ${dialect}; node ${process.version}\n`);
try {
  const loader =
    dialect === 'sqlite' ? sqliteLoader(path.join(dir, 'bench.db')) : postgresLoader(store);
  let frontier: Frontier = EMPTY_FRONTIER;
  let loadMs = 0;
  let baselineMs = 0;
  let sink = 0;
  const loadStart = performance.now();
  for (let start = 0; start < LEAVES; start += CHUNK) {
    const events = Array.from({ length: Math.min(CHUNK, LEAVES - start) }, (_, j) =>
      eventRow(start + j),
    );
    const inputs = events.map(leafInputOf);
    // Baseline: SHA-256 alone of each leaf input.
    const t = performance.now();
    for (const input of inputs) sink ^= createHash('sha256').update(input).digest()[0] ?? 0;
    baselineMs += performance.now() - t;
    const leaves = inputs.map((input) => leafHash(input));
    const nodes: NewNode[] = [];
    for (const leaf of leaves) {
      const next = appendToFrontier(frontier, leaf);
      frontier = next.frontier;
      nodes.push(...next.created);
    }
    await loader.write(events, leaves, nodes);
    if ((start / CHUNK) % 16 === 15) {
      process.stderr.write(
        `  loaded ${fmt(start + events.length)} leaves, ${seconds(performance.now() - loadStart)}\n`,
      );
    }
  }
  await loader.finish(frontier);
  loadMs = performance.now() - loadStart;
  console.log(
    `setup: bulk load of ${fmt(LEAVES)} events, leaves and nodes ${seconds(loadMs)} ` +
      `(${fmt((LEAVES / loadMs) * 1000)} leaves/s, generation and hashing included)`,
  );

  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const auditStart = performance.now();
  const report = await auditLog(deps, {
    onProgress: (done) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (done % 1_000_000 < 5_000) {
        process.stderr.write(
          `  audited ${fmt(done)} leaves, ${seconds(performance.now() - auditStart)}\n`,
        );
      }
    },
  });
  const auditMs = performance.now() - auditStart;
  if (report.problems.length > 0 || report.rootHash !== toHex(frontierRoot(frontier))) {
    throw new Error(`the audit failed: ${report.problems.slice(0, 3).join('; ')}`);
  }
  const auditRate = (LEAVES / auditMs) * 1000;
  const baselineRate = (LEAVES / baselineMs) * 1000;
  console.log(
    `baseline: SHA-256 alone of the ${fmt(LEAVES)} leaf inputs ${fmt(baselineRate)} leaves/s ` +
      `(${seconds(baselineMs)}; sink ${sink})`,
  );
  console.log(
    `auditLog: ${fmt(report.leavesChecked)} leaves, ${fmt(report.nodesChecked)} nodes in ` +
      `${seconds(auditMs)} = ${fmt(auditRate)} leaves/s = ${((auditRate / baselineRate) * 100).toFixed(1)} % ` +
      `of the baseline; ok, root ${report.rootHash}; RSS ${fmt(startRss / 2 ** 20)} MiB at the start, ` +
      `${fmt(peakRss / 2 ** 20)} MiB at most during the audit`,
  );
} finally {
  await store.destroy();
  if (admin !== undefined) {
    await sql`drop schema if exists ${sql.id(SCHEMA)} cascade`.execute(admin.db);
    await admin.destroy();
  }
  rmSync(dir, { recursive: true, force: true });
}
