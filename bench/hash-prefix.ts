/**
 * bench/hash-prefix: the privacy-preserving hash-prefix API (issue 14) over loopback against the
 * real server (buildApp listening on 127.0.0.1), on SQLite.
 *
 * Store: `--cases N` (default 100,000) confirmed-fraud cases, bulk-loaded with better-sqlite3:
 * half hold a phone number and a LINE ID (`indicators` list), half report a website of their own
 * (a `url` and a `domain` indicator, `urls` list).
 *
 * Figures, each with its baseline from the same run:
 * - the publisher's first run (a full run: every warn-worthy indicator read, hashed, written);
 * - `GET /api/v1/hashes/search` throughput and latency with autocannon (in a worker thread),
 *   rotating over 1,000 listed prefixes (one per request), beside a bare Fastify route returning
 *   the same body to the same requests, and the app's cheapest route (`/healthz`) for the app's
 *   fixed cost per request;
 * - a whole `GET /api/v1/hash-lists/{name}` download (bytes, time) per list;
 * - after 1,000 changes (500 cases no longer fraud, 500 new), the publisher's run (incremental:
 *   the changed cases and the holders of their hashes only) and the incremental update of a client at the previous version (bytes, time), beside the whole list.
 *
 * Run: npm run bench:hash-prefix [-- --cases N --seconds S --connections C]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { buildApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import { matchKey, registrableDomain } from '../src/indicators/index.js';
import {
  HASH_LIST_NAMES,
  hashInputOf,
  fullHashOf,
  prefixBase64Url,
  publishHashLists,
  type HashListResponse,
  type HashSearchResponse,
} from '../src/search/index.js';
import { FakeClock, isoTime } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest } from '../src/store/index.js';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
  },
});
const CASES = Number(args.cases);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const CHANGES = 1_000;
const ROTATION = 1_000;
const NOW = Date.parse('2026-11-29T02:00:00Z');
const TOKEN = 'bench-admin-token-0123456789abcdef';

const caseId = (i: number) => `C${i.toString(36).toUpperCase().padStart(10, '0')}`;
const phoneOf = (i: number) => `+8869${String(10_000_000 + i).slice(-8)}`;
const lineIdOf = (i: number) => `bench${i.toString(36)}`;
const siteOf = (i: number) => `https://bench-scam-${i.toString(36)}.com.tw/`;

/**
 * Loads `count` fraud cases from `from` with their indicators (and, for websites, a report of
 * the site) in one transaction.
 */
function populate(file: string, from: number, count: number): void {
  const db = new SQLite(file);
  const at = isoTime(NOW - 86_400_000);
  const insertCase = db.prepare(
    `insert into cases (id, status, verdict, platform, report_count, first_reported_at,
       last_reported_at, source, created_at, updated_at, decided_at)
     values (?, ?, 'fraud', ?, 1, ?, ?, 'citizen', ?, ?, ?)`,
  );
  const insertReport = db.prepare(
    `insert into reports (id, case_id, received_at, source, channel, platform, url)
     values (?, ?, ?, 'citizen', 'web', ?, ?)`,
  );
  const insertIndicator = db.prepare(
    `insert into indicators (id, type, value, expression, registrable_domain, first_seen_at)
     values (?, ?, ?, ?, ?, ?)`,
  );
  const link = db.prepare(
    'insert into case_indicators (case_id, indicator_id, first_seen_at) values (?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = from; i < from + count; i += 1) {
      const id = caseId(i);
      const website = i % 2 === 1;
      insertCase.run(
        id,
        website ? 'site_confirmed' : 'fraud_confirmed',
        website ? 'website' : 'line',
        at,
        at,
        at,
        at,
        at,
      );
      if (website) {
        const url = siteOf(i);
        const key = matchKey(url)?.matchKey ?? url;
        const domain = registrableDomain(url) ?? '';
        insertReport.run(`R${id}`, id, at, 'website', url);
        insertIndicator.run(`U${id}`, 'url', key, key.replace(/^https?:\/\//, ''), domain, at);
        insertIndicator.run(`D${id}`, 'domain', domain, `${domain}/`, domain, at);
        link.run(id, `U${id}`, at);
        link.run(id, `D${id}`, at);
      } else {
        insertReport.run(`R${id}`, id, at, null, null);
        insertIndicator.run(`P${id}`, 'phone', phoneOf(i), null, null, at);
        insertIndicator.run(`L${id}`, 'line_id', lineIdOf(i), null, null, at);
        link.run(id, `P${id}`, at);
        link.run(id, `L${id}`, at);
      }
    }
  })();
  db.close();
}

/** Marks `count` cases from `from` as not fraud (the publisher reads the public state). */
function unconfirm(file: string, from: number, count: number): void {
  const db = new SQLite(file);
  const update = db.prepare(
    `update cases set status = 'not_fraud', verdict = 'not_fraud' where id = ?`,
  );
  db.transaction(() => {
    for (let i = from; i < from + count; i += 1) update.run(caseId(i));
  })();
  db.close();
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

async function getBody(url: string): Promise<{ bytes: number; text: string }> {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text}`);
  return { bytes: Buffer.byteLength(text), text };
}

/**
 * autocannon over `base`, each connection cycling through `paths`, from a worker thread so the
 * load generator does not share the server's event loop.
 */
async function load(base: string, paths: readonly string[]) {
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    workers: 1,
    requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-hash-'));
  const file = path.join(dir, 'bench.db');
  const bare = Fastify();
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let store: ReturnType<typeof createStore> | undefined;
  try {
    const config = loadConfig(
      {
        DATABASE_URL: `sqlite:${file}`,
        LOG_LEVEL: 'silent',
        DEMO_DATA: 'false',
        ADMIN_TOKEN: TOKEN,
        HASH_SEARCH_RATE_LIMIT_PER_MINUTE: '0',
        HASH_LIST_RATE_LIMIT_PER_MINUTE: '0',
        API_RATE_LIMIT_PER_MINUTE: '0',
        WEB_ROOT: path.join(dir, 'no-web'),
      },
      dir,
    );
    store = createStore(config.store);
    await migrateToLatest(store.db);
    const load0 = performance.now();
    populate(file, 0, CASES);
    process.stdout.write(
      `store: ${fmt(CASES)} fraud cases (${fmt(CASES)} phone + LINE ID pairs and sites), ` +
        `loaded in ${((performance.now() - load0) / 1000).toFixed(1)} s\n`,
    );
    const clock = new FakeClock(NOW);
    const deps: ServiceDeps = {
      db: store.db,
      dialect: 'sqlite',
      clock,
      config,
      log: createLogger('silent'),
    };
    const first = await timed(() => publishHashLists(deps, { force: true }));
    process.stdout.write(
      `publisher, first run (${first.value.mode ?? 'none'}): ${(first.ms / 1000).toFixed(2)} s → versions ${JSON.stringify(first.value.versions)}\n`,
    );

    app = await buildApp({ deps, adminToken: TOKEN });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    // --- hashes/search beside a bare route returning the same body ---------------------------
    const prefixes = Array.from({ length: ROTATION }, (_, r) => {
      const i = Math.floor((r * CASES) / ROTATION);
      const input =
        i % 2 === 1 ? `bench-scam-${i.toString(36)}.com.tw/` : hashInputOf('phone', phoneOf(i));
      return prefixBase64Url(fullHashOf(input).readUInt32BE(0));
    });
    const sample = await getBody(`${base}/api/v1/hashes/search?prefixes=${prefixes[0] ?? ''}`);
    const parsed = JSON.parse(sample.text) as HashSearchResponse;
    if (parsed.fullHashes.length === 0) throw new Error('the sample prefix found nothing');
    // The same path and query strings as the real route, so both runs send identical requests.
    bare.get('/api/v1/hashes/search', async () => parsed);
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;
    const paths = prefixes.map((p) => `/api/v1/hashes/search?prefixes=${p}`);
    const search = await load(base, paths);
    const baseline = await load(bareBase, paths);
    // The app's own cost per request (helmet, hooks, schemas), on its cheapest route.
    const health = await load(base, ['/healthz']);
    process.stdout.write(
      `hashes/search (1 prefix, ${fmt(ROTATION)} rotating, ${CONNECTIONS} connections, ${SECONDS} s): ` +
        `${fmt(search.rps)} req/s, p50 ${search.p50} ms, p99 ${search.p99} ms, errors ${search.errors}\n` +
        `bare Fastify route, same body (${sample.bytes} B): ${fmt(baseline.rps)} req/s, p50 ${baseline.p50} ms, ` +
        `p99 ${baseline.p99} ms → ratio ${(search.rps / baseline.rps).toFixed(2)}×\n` +
        `the same app's GET /healthz (one store ping): ${fmt(health.rps)} req/s, p50 ${health.p50} ms\n`,
    );

    // --- whole lists, then 1,000 changes and an incremental update --------------------------
    const before = new Map<string, HashListResponse>();
    for (const name of HASH_LIST_NAMES) {
      const whole = await timed(() => getBody(`${base}/api/v1/hash-lists/${name}`));
      const body = JSON.parse(whole.value.text) as HashListResponse;
      before.set(name, body);
      const count = Buffer.from(body.additions, 'base64').length / 4;
      process.stdout.write(
        `hash-lists/${name} whole: ${fmt(count)} prefixes, ${kb(whole.value.bytes)} in ${whole.ms.toFixed(1)} ms\n`,
      );
    }
    unconfirm(file, 0, CHANGES / 2);
    populate(file, CASES, CHANGES / 2);
    clock.advance(config.hashLists.publishSeconds * 1000 + 1000);
    const second = await timed(() => publishHashLists(deps));
    process.stdout.write(
      `publisher after ${fmt(CHANGES)} changes (${CHANGES / 2} cases unconfirmed, ${CHANGES / 2} new): ` +
        `${(second.ms / 1000).toFixed(2)} s (${second.value.mode ?? 'none'}, ${fmt(second.value.changedCases)} changed cases) → versions ${JSON.stringify(second.value.versions)}\n`,
    );
    for (const name of HASH_LIST_NAMES) {
      const old = before.get(name);
      const update = await timed(() =>
        getBody(`${base}/api/v1/hash-lists/${name}?version=${old?.version ?? 0}`),
      );
      const body = JSON.parse(update.value.text) as HashListResponse;
      // The first request after a new version also loads its prefixes into the node; the next
      // client's is served from them.
      const again = await timed(() =>
        getBody(`${base}/api/v1/hash-lists/${name}?version=${old?.version ?? 0}`),
      );
      const whole = await timed(() => getBody(`${base}/api/v1/hash-lists/${name}`));
      process.stdout.write(
        `hash-lists/${name} update v${old?.version ?? 0}→v${body.version}: +${Buffer.from(body.additions, 'base64').length / 4} ` +
          `−${body.removalIndices.length} prefixes, ${kb(update.value.bytes)} in ${update.ms.toFixed(1)} ms ` +
          `(first after the version) / ${again.ms.toFixed(1)} ms (next client); ` +
          `whole list now ${kb(whole.value.bytes)} in ${whole.ms.toFixed(1)} ms\n`,
      );
    }
  } finally {
    await app?.close();
    await bare.close();
    await store?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
