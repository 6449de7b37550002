/**
 * bench/lookup: check throughput over loopback against the real server on SQLite (issue 14).
 *
 * A SQLite store is bulk-loaded with N indicators (`--indicators N` or LOOKUP_BENCH_INDICATORS,
 * default 200,000; 10,000,000 for the issue's large figure): N/2 cases, half of them a reported
 * website (a `url` and a `domain` indicator each), half a message giving a LINE ID and a mobile
 * number (two indicators and a text merge key), derived by intake's `prepareReport` and written
 * with better-sqlite3 in one transaction (the bulk path; its time is printed). Verdicts are
 * spread as in bench/stats (45 % fraud, 10 % high risk, 10 % not fraud, the rest open).
 *
 * A child process (`--serve`) opens the store as the server does (openDeps), builds the lookup
 * index (build time; heap growth per indicator and per lookup key, after a forced GC) and listens
 * on four loopback ports: the scamnet app answering from the index, the scamnet app with the
 * index switched off (the SQL path, as before issue 14), a bare Fastify route returning the
 * body of one real check, and that route sending the app's response headers too (`headers`).
 * This process then drives each with autocannon (`--connections`,
 * default 32; `--seconds` each, default 10), rotating over `--queries` different checks (default
 * 2,000: known site pages, unknown URLs, and short texts: known and unknown LINE IDs and phone
 * numbers). Long messages are left out: bench/lookup-texts.ts measures their near-duplicate step. The
 * index's answer cache (5,000) holds every rotated check after the warm-up: the figure is that of
 * repeated checks; `--computed` switches the answer cache off (LOOKUP_INDEX_LIMITS.answers 0) to
 * measure checks computed from the index every time (a long tail of links never asked before).
 *
 * Prints req/s and p99 of each, and the ratios to the bare route; and the server process's CPU
 * time per request of each (read from the child between drives), whose ratio does not depend on
 * what else the machine runs.
 * Run: `npm run bench:lookup -- [--indicators N] [--seconds S] [--connections C] [--db FILE] [--fast] [--load-only] [--only T,…] [--warmup S] [--computed]`
 * (`--db` keeps the generated store in FILE and reuses it when it exists).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { buildApp } from '../src/app/index.js';
import { openDeps } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/index.js';
import { PUBLIC_FORM_VERSION, prepareReport } from '../src/intake/index.js';
import { textFingerprint } from '../src/triage/index.js';
import {
  LOOKUP_INDEX_LIMITS,
  LookupIndex,
  LookupIndexThread,
  lookupUrl,
} from '../src/search/index.js';
import { createStore, migrateToLatest } from '../src/store/index.js';
import { seeded } from './case-indexes.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const INDICATORS = Number(arg('--indicators') ?? process.env.LOOKUP_BENCH_INDICATORS ?? 200_000);
const SECONDS = Number(arg('--seconds') ?? 10);
const CONNECTIONS = Number(arg('--connections') ?? 32);
const QUERIES = Number(arg('--queries') ?? 2000);
const WARMUP_SECONDS = Number(arg('--warmup') ?? 5);
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const HOSTS = ['shop', 'gift', 'invest', 'promo', 'bank-login', 'delivery', 'lucky', 'coin'];
const TLDS = ['com.tw', 'tw', 'net', 'top', 'com', 'shop'];

/**
 * The reported URL of generated case `i` (an even `i`): a registrable domain of its own, so
 * each check of a known page matches its one case (a domain shared by many reported sites makes
 * every check of it list them all, on either path).
 */
function siteOf(i: number): string {
  const host = HOSTS[i % HOSTS.length] ?? 'shop';
  const tld = TLDS[i % TLDS.length] ?? 'tw';
  return `https://www.${host}-${i.toString(36)}.${tld}/p/${i % 50}`;
}

/** The LINE ID and mobile number of generated case `i` (an odd `i`). */
function contactsOf(i: number): { lineId: string; phone: string } {
  return { lineId: `lk${i.toString(36)}`, phone: `09${String(10_000_000 + i).slice(-8)}` };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Bulk path: writes N/2 generated cases with their reports, indicators, links and merge keys
 * straight into the migrated SQLite store at `file` (one transaction, prepared statements), as
 * intake would have stored them. Returns the number of indicator links written.
 */
function bulkLoad(file: string, indicators: number): number {
  const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, DEMO_DATA: 'false' });
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // Above FAST_ABOVE indicators the rows are made by fastRows and the store's triggers (change
  // table, daily counts) are dropped while loading and made again after: intake's own path would
  // take hours. What this bench reads (cases, indicators, links, keys) is the same.
  const fast = indicators > FAST_ABOVE || process.argv.includes('--fast');
  const triggers = fast
    ? (db.prepare(`select name, sql from sqlite_master where type = 'trigger'`).all() as {
        name: string;
        sql: string;
      }[])
    : [];
  for (const t of triggers) db.exec(`drop trigger ${t.name}`);
  const insertCase = db.prepare(
    `insert into cases (id, status, verdict, platform, summary, report_count, first_reported_at, last_reported_at,
       decided_at, removed_at, source, created_at, updated_at, stage, overrides, public_form_version)
     values (?, ?, ?, ?, ?, 1, ?, ?, ?, null, 'bench', ?, ?, ?, '[]', ?)`,
  );
  const insertReport = db.prepare(
    `insert into reports (id, case_id, received_at, source, channel, platform, url, canonical_url, text, title, external_id)
     values (?, ?, ?, 'bench', 'api', ?, ?, ?, ?, null, null)`,
  );
  const insertIndicator = db.prepare(
    `insert or ignore into indicators (id, type, value, expression, registrable_domain, first_seen_at)
     values (?, ?, ?, ?, ?, ?)`,
  );
  const insertLink = db.prepare(
    `insert or ignore into case_indicators (case_id, indicator_id, first_seen_at, personal) values (?, ?, ?, 0)`,
  );
  const insertKey = db.prepare(
    `insert or ignore into case_keys (key, case_id, created_at) values (?, ?, ?)`,
  );
  const random = seeded(1414);
  const start = Date.UTC(2025, 0, 1);
  let links = 0;
  let i = 0;
  // One transaction per BULK_BATCH cases, so the write-ahead log stays small.
  const batch = db.transaction(() => {
    for (const end = i + BULK_BATCH; links < indicators && i < end; i += 1) {
      const id = `C${i.toString(36).padStart(9, '0')}`;
      const at = iso(start + i * 60_000);
      const site = i % 2 === 0;
      const { lineId, phone } = contactsOf(i);
      const input = site
        ? { url: siteOf(i), platform: 'website' as const, channel: 'api' as const, source: 'bench' }
        : {
            text: `加LINE ID: ${lineId} 或電話 ${phone} 領取投資名額`,
            channel: 'api' as const,
            source: 'bench',
          };
      const prepared: BulkRows =
        fast && i >= CHECKED_ROWS ? fastRows(i) : prepareReport(input, config);
      if (fast && i < CHECKED_ROWS) expectSameRows(prepared, fastRows(i), i);
      const r = random();
      const verdict =
        r < 0.45 ? 'fraud' : r < 0.55 ? 'high_risk' : r < 0.65 ? 'not_fraud' : 'undecided';
      const status =
        verdict === 'undecided' ? 'processing' : verdict === 'fraud' ? 'fraud_notified' : verdict;
      insertCase.run(
        id,
        status,
        verdict,
        prepared.platform,
        prepared.summary,
        at,
        at,
        verdict === 'undecided' ? null : at,
        at,
        at,
        verdict === 'undecided' ? 'verification' : 'decided',
        PUBLIC_FORM_VERSION,
      );
      insertReport.run(
        `R${i.toString(36).padStart(9, '0')}`,
        id,
        at,
        prepared.platform,
        input.url ?? null,
        prepared.canonicalUrl,
        input.text ?? null,
      );
      for (const ind of prepared.indicators) {
        insertIndicator.run(ind.id, ind.type, ind.value, ind.expression, ind.registrableDomain, at);
        insertLink.run(id, ind.id, at);
        links += 1;
      }
      for (const key of prepared.keys) insertKey.run(key, id, at);
    }
  });
  while (links < indicators) {
    batch();
    if (fast) process.stdout.write(`\r  ${links.toLocaleString()} indicators`);
  }
  if (fast) process.stdout.write('\n');
  for (const t of triggers) db.exec(t.sql);
  // The bulk rows' change-table rows are older than any index built from the store.
  db.exec('delete from lookup_changes');
  db.close();
  return links;
}

/** Indicators above which bulkLoad takes its fast path (fastRows, triggers off). */
const FAST_ABOVE = 1_000_000;
/** Cases written per bulk transaction. */
const BULK_BATCH = 50_000;
/** Cases of the fast path also derived by prepareReport and compared (see expectSameRows). */
const CHECKED_ROWS = 1000;

/** intake's content-addressed indicator ID: the first 32 hex of SHA-256(`type:value`). */
function indicatorId(type: string, value: string): string {
  return createHash('sha256').update(`${type}:${value}`).digest('hex').slice(0, 32);
}

/** What bulkLoad writes of a prepared report. */
type BulkRows = Pick<
  ReturnType<typeof prepareReport>,
  'platform' | 'summary' | 'canonicalUrl' | 'keys'
> & {
  indicators: readonly {
    id: string;
    type: string;
    value: string;
    expression: string | null;
    registrableDomain: string | null;
  }[];
};

/**
 * The rows intake would derive for generated case `i`, written out for the generator's known
 * shapes (bulkLoad's fast path): a site's URL and domain with their Safe Browsing expressions,
 * and a message's LINE ID and E.164 phone. The message's merge key is the fingerprint of its
 * text without intake's replacements (no check of the bench sends the whole message).
 */
function fastRows(i: number): BulkRows {
  if (i % 2 === 0) {
    const url = siteOf(i);
    const host = new URL(url).hostname;
    const domain = host.slice('www.'.length);
    const ind = (type: string, value: string, expression: string) => ({
      id: indicatorId(type, value),
      type,
      value,
      expression,
      registrableDomain: domain,
    });
    return {
      platform: 'website',
      summary: null,
      canonicalUrl: url,
      keys: [`url:${url}`],
      indicators: [
        ind('url', url, url.slice('https://'.length)),
        ind('domain', domain, `${domain}/`),
      ],
    };
  }
  const { lineId, phone } = contactsOf(i);
  const text = `加LINE ID: ${lineId} 或電話 ${phone} 領取投資名額`;
  const e164 = `+886${phone.slice(1)}`;
  const ind = (type: string, value: string) => ({
    id: indicatorId(type, value),
    type,
    value,
    expression: null,
    registrableDomain: null,
  });
  return {
    platform: 'other',
    summary: text,
    canonicalUrl: null,
    keys: [textFingerprint(text) ?? ''],
    // A personal LINE ID has 4 to 20 characters (canonicalLineId): `lk1` is none.
    indicators: [...(lineId.length >= 4 ? [ind('line_id', lineId)] : []), ind('phone', e164)],
  };
}

/** Throws when fastRows(i) differs from intake's rows (but for a message's merge key). */
function expectSameRows(intake: BulkRows, fast: BulkRows, i: number): void {
  const pick = (r: BulkRows) =>
    JSON.stringify({
      platform: r.platform,
      summary: r.summary,
      canonicalUrl: r.canonicalUrl,
      indicators: r.indicators.map(({ id, type, value, expression, registrableDomain }) => ({
        id,
        type,
        value,
        expression,
        registrableDomain,
      })),
      keys: i % 2 === 0 ? r.keys : r.keys.length,
    });
  if (pick(intake) !== pick(fast)) {
    throw new Error(`fastRows(${i}) differs from intake:\n${pick(intake)}\n${pick(fast)}`);
  }
}

/** The checks rotated over: `/api/v1/lookup?…` paths, about half of them known. */
function queryPaths(cases: number, count: number): string[] {
  const random = seeded(77);
  const paths: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const i = Math.floor(random() * cases);
    const kind = n % 4;
    if (kind === 0) {
      const known = siteOf(i - (i % 2));
      paths.push(`url=${encodeURIComponent(`${known}/detail?ref=${n}`)}`);
    } else if (kind === 1) {
      paths.push(`url=${encodeURIComponent(`https://unknown-${n}.example.org/login`)}`);
    } else if (kind === 2) {
      paths.push(`q=${encodeURIComponent(`@${contactsOf(i - (i % 2) + 1).lineId}`)}`);
    } else {
      const phone =
        random() < 0.5 ? contactsOf(i - (i % 2) + 1).phone : `09${String(90_000_000 + n)}`;
      paths.push(`q=${encodeURIComponent(phone)}`);
    }
  }
  return paths.map((q) => `/api/v1/lookup?${q}`);
}

/** What the server child reports once it listens. */
interface Served {
  ports: { index: number; sql: number; bare: number; headers: number };
  buildMs: number;
  /** The index worker's heap beyond an empty worker's, and what the HTTP thread's grew by. */
  heapBytes: number;
  mainHeapBytes: number;
  holdings: number;
  lookupKeys: number;
  cases: number;
}

function heapUsed(): number {
  const gc: unknown = Reflect.get(globalThis, 'gc');
  if (typeof gc === 'function') gc();
  return process.memoryUsage().heapUsed;
}

/** The child: opens the store, builds the index, listens on three loopback ports. */
async function serve(file: string): Promise<void> {
  const env = {
    DATABASE_URL: `sqlite:${file}`,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    // The per-client limits would answer most of one loopback client's checks with 429.
    LOOKUP_RATE_LIMIT_PER_MINUTE: '0',
    API_RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_TOKEN,
    TAKEDOWN_RECHECKS: 'false',
    WEB_ROOT: path.join(path.dirname(file), 'no-web'),
  };
  const { deps } = await openDeps(loadConfig(env, path.dirname(file)));
  if (process.argv.includes('--computed')) {
    // A bench-only switch: the limits are constants of the code, not configuration.
    (LOOKUP_INDEX_LIMITS as { answers: number }).answers = 0;
  }
  const emptyWorker = new LookupIndexThread({ onLost: () => undefined });
  const emptyWorkerBytes = await emptyWorker.call('heapUsed');
  await emptyWorker.close();
  const before = heapUsed();
  const started = performance.now();
  const index = new LookupIndex(deps, { pollMs: 1000 });
  index.start();
  await index.whenReady();
  const buildMs = performance.now() - started;
  const mainHeapBytes = heapUsed() - before;
  const heapBytes = ((await index.heapBytes()) ?? Number.NaN) - emptyWorkerBytes;
  const withIndex = await buildApp({ deps, adminToken: ADMIN_TOKEN, lookupIndex: index });
  const sqlDeps = {
    ...deps,
    config: loadConfig({ ...env, LOOKUP_INDEX: 'false' }, path.dirname(file)),
  };
  const withSql = await buildApp({ deps: sqlDeps, adminToken: ADMIN_TOKEN });
  // The bare route returns the body of one real check (a known site, found).
  const body = await lookupUrl(deps, siteOf(0));
  const bare = Fastify();
  bare.get('/api/v1/lookup', async () => body);
  // The same bare route sending the app's response headers too (security headers, cache
  // control…): what separates the index from it is the app's work per request, not the bytes.
  const sample = await withIndex.inject({
    url: `/api/v1/lookup?url=${encodeURIComponent(siteOf(0))}`,
  });
  const perResponse = new Set(['content-length', 'date', 'connection', 'keep-alive']);
  const appHeaders = Object.fromEntries(
    Object.entries(sample.headers).flatMap(([name, value]) =>
      perResponse.has(name) || typeof value !== 'string' ? [] : [[name, value]],
    ),
  );
  const headers = Fastify();
  headers.get('/api/v1/lookup', async (_request, reply) => {
    reply.headers(appHeaders);
    return JSON.stringify(body);
  });
  // The server process's CPU time so far (µs), read between drives: CPU per request does not
  // depend on what else the machine runs, as req/s does.
  bare.get('/cpu', async () => {
    const { user, system } = process.cpuUsage();
    return { micros: user + system };
  });
  const listen = async (app: { listen: (o: { host: string; port: number }) => Promise<string> }) =>
    Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);
  const served: Served = {
    ports: {
      index: await listen(withIndex),
      sql: await listen(withSql),
      bare: await listen(bare),
      headers: await listen(headers),
    },
    buildMs,
    heapBytes,
    mainHeapBytes,
    cases: index.stats().cases,
    holdings: index.stats().holdings,
    lookupKeys: index.stats().lookupKeys,
  };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  // An orderly exit on SIGTERM, so that --cpu-prof writes its profile.
  process.once('SIGTERM', () => process.exit(0));
}

/** Starts the server child on `file` and waits for its report. */
async function startServer(file: string): Promise<{ served: Served; stop: () => void }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=16384',
      // LOOKUP_BENCH_NODE_FLAGS adds flags of node's or V8's (e.g. `--trace-gc`, to see when
      // either thread collects); what the child prints is passed on to stderr, timed.
      ...(process.env.LOOKUP_BENCH_NODE_FLAGS?.split(' ').filter((flag) => flag !== '') ?? []),
      // LOOKUP_BENCH_CPU_PROF=DIR writes the server's CPU profile there (to see where time goes).
      ...(process.env.LOOKUP_BENCH_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOOKUP_BENCH_CPU_PROF]
        : []),
      '--import',
      'tsx',
      self,
      '--serve',
      file,
      ...(process.argv.includes('--computed') ? ['--computed'] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Every line is read to the end (a child that prints, e.g. with --trace-gc, must not block on
  // a full pipe); the first JSON line is the child's report.
  const lines = createInterface({ input: child.stdout });
  const served = await new Promise<Served>((resolve, reject) => {
    let reported = false;
    lines.on('line', (line) => {
      if (!reported && line.startsWith('{')) {
        reported = true;
        resolve(JSON.parse(line) as Served); // written by serve() above
      } else mark(`server: ${line}`);
    });
    lines.on('close', () => {
      if (!reported) reject(new Error('the server child ended without listening'));
    });
  });
  return { served, stop: () => child.kill('SIGTERM') };
}

const benchStarted = performance.now();
/** Writes `what` to stderr with the seconds since this bench started (to line up with traces). */
function mark(what: string): void {
  process.stderr.write(`[${((performance.now() - benchStarted) / 1000).toFixed(1)} s] ${what}\n`);
}

/** `bytes` as a signed whole number of MiB (`+3 MiB`, `-1 MiB`, `+0 MiB`). */
function signedMiB(bytes: number): string {
  const mib = Math.round(bytes / 2 ** 20);
  return `${mib < 0 ? '-' : '+'}${Math.abs(mib)} MiB`;
}

/**
 * Drives `port` with autocannon over `paths` (each connection takes the next path) for
 * `seconds`, or for `amount` requests.
 */
async function drive(
  port: number,
  paths: readonly string[],
  length: { seconds: number } | { amount: number },
) {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.amount }),
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % paths.length;
          return { ...request, path: paths[next] ?? '/' };
        },
      },
    ],
  });
  return {
    total: result.requests.total,
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  const keep = arg('--db');
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-lookup-'));
  const file = keep ?? path.join(dir, 'bench.db');
  let stop: (() => void) | undefined;
  try {
    if (!existsSync(file)) {
      const store = createStore({ dialect: 'sqlite', path: file });
      await migrateToLatest(store.db);
      await store.destroy();
      const t = performance.now();
      const links = bulkLoad(file, INDICATORS);
      console.log(
        `bulk load: ${links.toLocaleString()} indicators in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }
    // `--load-only`: make the store (`--db FILE`) now, measure later.
    if (process.argv.includes('--load-only')) return;
    const server = await startServer(file);
    stop = server.stop;
    const { served } = server;
    console.log(
      `index: ${served.cases.toLocaleString()} cases, ${served.holdings.toLocaleString()} indicators, ` +
        `${served.lookupKeys.toLocaleString()} lookup keys; built in ${(served.buildMs / 1000).toFixed(1)} s; ` +
        `heap +${(served.heapBytes / 2 ** 20).toFixed(0)} MiB = ${Math.round(served.heapBytes / served.holdings)} B/indicator ` +
        `(${Math.round(served.heapBytes / served.lookupKeys)} B/lookup key) in its worker thread; ` +
        `the HTTP thread's heap ${signedMiB(served.mainHeapBytes)}`,
    );
    const paths = queryPaths(served.cases, QUERIES);
    // `--only index` drives one target (e.g. to profile it alone); the default drives all four.
    // A target named twice is driven twice (e.g. `--only index,bare,index` for the effect of
    // order); bare's figure for the ratios is the mean of its drives.
    const targets = (arg('--only') ?? 'bare,headers,index,sql').split(
      ',',
    ) as (keyof Served['ports'])[];
    // Warm-up: every rotated check asked twice (its answer computed once and cached: the
    // figure is that of repeated checks), then every target to be driven for `--warmup`
    // seconds (default 5), so that each is measured at its steady state: with 2 s, the drives
    // of the first 40 s ran up to 1.9× the CPU per request of later drives of the same target
    // at 200,000 indicators, whose build leaves the JIT no time.
    await drive(served.ports.index, paths, { amount: paths.length * 2 });
    for (const target of new Set(targets)) {
      await drive(served.ports[target], paths, { seconds: WARMUP_SECONDS });
    }
    const results: Array<
      [keyof Served['ports'], Awaited<ReturnType<typeof drive>> & { cpuPerRequest: number }]
    > = [];
    const cpu = async () => {
      const res = await fetch(`http://127.0.0.1:${served.ports.bare}/cpu`);
      return ((await res.json()) as { micros: number }).micros;
    };
    for (const target of targets) {
      if (process.env.LOOKUP_BENCH_NODE_FLAGS) mark(`driving ${target}`);
      const before = await cpu();
      const r = await drive(served.ports[target], paths, { seconds: SECONDS });
      results.push([
        target,
        { ...r, cpuPerRequest: ((await cpu()) - before) / Math.max(1, r.total) },
      ]);
    }
    const bares = results.filter(([name]) => name === 'bare').map(([, r]) => r);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const bare =
      bares.length === 0
        ? null
        : { rps: mean(bares.map((r) => r.rps)), cpu: mean(bares.map((r) => r.cpuPerRequest)) };
    for (const [name, r] of results) {
      const ratio = bare
        ? `${(r.rps / bare.rps).toFixed(2)}× bare; server CPU ${r.cpuPerRequest.toFixed(0)} µs/request = ` +
          `${(bare.cpu / r.cpuPerRequest).toFixed(2)}× bare's requests per CPU second`
        : `server CPU ${r.cpuPerRequest.toFixed(0)} µs/request`;
      console.log(
        `${name.padEnd(6)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${r.p99} ms  errors ${r.errors}  ${ratio}`,
      );
    }
  } finally {
    stop?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) {
  await serve(arg('--serve') ?? '');
} else {
  await main();
}
