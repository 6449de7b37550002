/**
 * bench/lookup-nodes: how long a change made through one node takes to reach the checks of
 * another (issue 14: "within 1 s of a change on every node"). Two nodes, as two servers would
 * be, in one process: each opens the store (openDeps, its own connection pool) and builds its
 * app with its own lookup index (LISTEN/NOTIFY, and the safety-net poll of
 * LOOKUP_INDEX_POLL_MS). Node A takes `--rounds` reports of new sites (each a new case), then a
 * verdict on each; after each 201 from A, node B's `GET /api/v1/lookup` is asked every 2 ms until
 * it shows the change. Printed: the time from A's answer to B's first showing it (p50, p95,
 * max, and how many within 1 s), beside A's own time to take the report or the verdict in the
 * same run (the baseline).
 *
 * Needs PostgreSQL: `--database-url postgres://…/postgres` names the server; a database
 * `scamnet_bench_nodes` is made afresh there and dropped at the end.
 * Run: `npm run bench:lookup-nodes -- [--rounds N] [--database-url URL]`
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp, type ScamnetApp } from '../src/app/index.js';
import { openDeps } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/index.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ROUNDS = Number(arg('--rounds') ?? 100);
const SERVER_URL = arg('--database-url') ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'scamnet_bench_nodes';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Runs `statement` on the server's maintenance database. */
async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** One node: its own pool and lookup index on the shared database. */
async function startNode(databaseUrl: string, dir: string) {
  const env = {
    DATABASE_URL: databaseUrl,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN,
    TAKEDOWN_RECHECKS: 'false',
    REPORT_RATE_LIMIT_PER_MINUTE: '0',
    LOOKUP_RATE_LIMIT_PER_MINUTE: '0',
    API_RATE_LIMIT_PER_MINUTE: '0',
    WEB_ROOT: path.join(dir, 'no-web'),
  };
  const { deps, close } = await openDeps(loadConfig(env, dir));
  const app = await buildApp({ deps, adminToken: ADMIN_TOKEN });
  await app.lookupIndex?.whenReady();
  return { app, close: async () => (await app.close(), await close()) };
}

/** Milliseconds until `seen()` holds, asking every 2 ms (throws after 30 s). */
async function timeUntil(seen: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (!(await seen())) {
    if (performance.now() - start > 30_000) throw new Error('the change never reached node B');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - start;
}

async function check(app: ScamnetApp, url: string) {
  const res = await app.inject({ url: `/api/v1/lookup?url=${encodeURIComponent(url)}` });
  return res.json<{ found: boolean; cases: Array<{ id: string; verdict: string }> }>();
}

function summary(name: string, spread: number[], own: number[]): string {
  const sorted = [...spread].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const ownSorted = [...own].sort((x, y) => x - y);
  const ownP50 = ownSorted[Math.floor(ownSorted.length / 2)] ?? 0;
  const within = sorted.filter((ms) => ms <= 1000).length;
  return (
    `${name.padEnd(8)} seen on B after p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, ` +
    `max ${(sorted.at(-1) ?? 0).toFixed(1)} ms; ${within}/${sorted.length} within 1 s ` +
    `(A's own answer p50 ${ownP50.toFixed(1)} ms)`
  );
}

async function main(): Promise<void> {
  await onServer(`drop database if exists ${DATABASE}`);
  await onServer(`create database ${DATABASE}`);
  const databaseUrl = new URL(SERVER_URL);
  databaseUrl.pathname = `/${DATABASE}`;
  const dir = path.join(process.cwd(), 'var', 'bench-lookup-nodes');
  const a = await startNode(databaseUrl.toString(), path.join(dir, 'a'));
  const b = await startNode(databaseUrl.toString(), path.join(dir, 'b'));
  try {
    const reports: number[] = [];
    const verdicts: number[] = [];
    const ownReports: number[] = [];
    const ownVerdicts: number[] = [];
    const cases: Array<{ url: string; id: string }> = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const url = `https://nodes-bench-${i}.com.tw/pay`;
      const t = performance.now();
      const res = await a.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers,
        payload: { url, platform: 'website' },
      });
      ownReports.push(performance.now() - t);
      if (res.statusCode !== 201) throw new Error(`report: ${res.statusCode} ${res.body}`);
      const id = res.json<{ case: { id: string } }>().case.id;
      cases.push({ url, id });
      reports.push(await timeUntil(async () => (await check(b.app, url)).found));
    }
    for (const { url, id } of cases) {
      const t = performance.now();
      const res = await a.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/verdict`,
        headers,
        payload: { verdict: 'fraud' },
      });
      ownVerdicts.push(performance.now() - t);
      if (res.statusCode >= 300) throw new Error(`verdict: ${res.statusCode} ${res.body}`);
      verdicts.push(
        await timeUntil(async () => (await check(b.app, url)).cases[0]?.verdict === 'fraud'),
      );
    }
    console.log(`two nodes on one PostgreSQL, ${ROUNDS} rounds each:`);
    console.log(summary('report', reports, ownReports));
    console.log(summary('verdict', verdicts, ownVerdicts));
  } finally {
    await b.close();
    await a.close();
    await onServer(`drop database if exists ${DATABASE}`);
  }
}

await main();
