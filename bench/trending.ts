/**
 * bench/trending: the cost of the home page's "last 24 hours" lists (issue 9) on SQLite.
 *
 * Store: 50,000 cases with 80,000 reports — 60,000 over the 30 days before (a month at the
 * reference site's peak, DESIGN.md) and 20,000 in the last 24 hours — and 200,000 page views in
 * the last 24 hours spread over the cases (Zipf-like: a few cases get most views), all seeded.
 *
 * Figures, each with a baseline measured in the same run:
 * - recordCaseView (one upsert on (case, hour)) per second, against appending one row per view to
 *   an unindexed log table (the cheapest write a view could cost);
 * - getTrendingCases (24h, 5 each, with the public views of the 10 cases) computed anew, median
 *   ms, against a bare index-range count of the window's reports (the least a "last 24 hours"
 *   query reads); and served from its one-minute cache, against computing it.
 *
 * Run: node --import tsx bench/trending.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { getTrendingCases, recordCaseView } from '../src/cases/trending.service.js';
import { loadConfig } from '../src/config/index.js';
import { FakeClock, isoTime } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest } from '../src/store/index.js';
import { seeded } from './case-indexes.js';

const CASES = 50_000;
const OLD_REPORTS = 60_000;
const RECENT_REPORTS = 20_000;
const VIEWS = 200_000;
const TIMED_VIEWS = 20_000;
const NOW = Date.parse('2026-11-29T02:00:00Z');
const HOUR = 3_600_000;

function caseId(i: number): string {
  return `C${i.toString(36).toUpperCase().padStart(10, '0')}`;
}

/** Loads the cases, reports and hourly view counts with better-sqlite3 in one transaction. */
function populate(file: string): void {
  const random = seeded(9);
  const db = new SQLite(file);
  const zipf = () => Math.min(CASES - 1, Math.floor(CASES * random() ** 4));
  const reports = new Map<number, { n: number; first: number; last: number }>();
  const reportRows: Array<[string, string, string]> = [];
  for (let r = 0; r < OLD_REPORTS + RECENT_REPORTS; r += 1) {
    const recent = r >= OLD_REPORTS;
    const at = recent ? NOW - random() * 24 * HOUR : NOW - 24 * HOUR - random() * 30 * 24 * HOUR;
    const c = zipf();
    const tally = reports.get(c) ?? { n: 0, first: at, last: at };
    reports.set(c, {
      n: tally.n + 1,
      first: Math.min(tally.first, at),
      last: Math.max(tally.last, at),
    });
    reportRows.push([`R${r.toString().padStart(16, '0')}`, caseId(c), isoTime(at)]);
  }
  const views = new Map<string, number>();
  for (let v = 0; v < VIEWS; v += 1) {
    const bucket = isoTime(Math.floor((NOW - random() * 24 * HOUR) / HOUR) * HOUR);
    const key = `${caseId(zipf())}|${bucket}`;
    views.set(key, (views.get(key) ?? 0) + 1);
  }
  const insertCase = db.prepare(
    `insert into cases (id, status, verdict, platform, report_count, first_reported_at,
       last_reported_at, source, created_at, updated_at, summary)
     values (?, 'processing', 'undecided', 'website', ?, ?, ?, 'citizen', ?, ?, ?)`,
  );
  const insertReport = db.prepare(
    `insert into reports (id, case_id, received_at, source, channel) values (?, ?, ?, 'citizen', 'web')`,
  );
  const insertView = db.prepare('insert into case_views (case_id, bucket, views) values (?, ?, ?)');
  db.transaction(() => {
    for (let c = 0; c < CASES; c += 1) {
      const t = reports.get(c) ?? { n: 1, first: NOW - 40 * 24 * HOUR, last: NOW - 40 * 24 * HOUR };
      const first = isoTime(t.first);
      insertCase.run(caseId(c), t.n, first, isoTime(t.last), first, first, `bench case ${c}`);
    }
    for (const row of reportRows) insertReport.run(...row);
    for (const [key, n] of views) {
      const [id = '', bucket = ''] = key.split('|');
      insertView.run(id, bucket, n);
    }
  })();
  db.close();
}

async function median(run: () => Promise<unknown>, times = 21): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(times / 2)] ?? Number.NaN;
}

async function perSecond(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) await run(i);
  return count / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-trending-'));
  const file = path.join(dir, 'bench.db');
  try {
    const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' }, dir);
    const migrating = createStore(config.store);
    await migrateToLatest(migrating.db);
    await migrating.destroy();
    const t0 = performance.now();
    populate(file);
    const store = createStore(config.store);
    const deps: ServiceDeps = {
      db: store.db,
      dialect: 'sqlite',
      clock: new FakeClock(NOW),
      config,
      log: createLogger('silent'),
    };
    const viewRows = await store.db
      .selectFrom('case_views')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    process.stdout.write(
      `rows: ${CASES.toLocaleString('en-US')} cases, ${(OLD_REPORTS + RECENT_REPORTS).toLocaleString('en-US')} reports, ${VIEWS.toLocaleString('en-US')} views in ${Number(viewRows.n).toLocaleString('en-US')} (case, hour) rows (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );

    await sql`create table view_log (case_id text not null, at text not null)`.execute(store.db);
    const random = seeded(11);
    const targets = Array.from({ length: TIMED_VIEWS }, () =>
      caseId(Math.floor(CASES * random() ** 4)),
    );
    const at = isoTime(NOW);
    const baselineViews = await perSecond(TIMED_VIEWS, (i) =>
      sql`insert into view_log (case_id, at) values (${targets[i] ?? ''}, ${at})`.execute(store.db),
    );
    const upsertViews = await perSecond(TIMED_VIEWS, (i) =>
      // Each view from another viewer, so every one is counted (a viewer counts once an hour).
      recordCaseView(deps, targets[i] ?? '', `viewer-${i}`),
    );

    const since = isoTime(NOW - 24 * HOUR);
    const baselineQuery = await median(() =>
      sql`select count(*) as n from reports where received_at >= ${since}`.execute(store.db),
    );
    const trending = await median(() =>
      getTrendingCases(deps, { window: '24h', limit: 5, fresh: true }),
    );
    const cached = await median(() => getTrendingCases(deps, { window: '24h', limit: 5 }));
    const check = await getTrendingCases(deps, { window: '24h', limit: 5 });

    process.stdout.write(
      [
        `recordCaseView: ${Math.round(upsertViews).toLocaleString('en-US')} views/s ` +
          `(baseline, append one row per view: ${Math.round(baselineViews).toLocaleString('en-US')}/s; ratio ${(upsertViews / baselineViews).toFixed(2)})`,
        `getTrendingCases 24h, 5 + 5 cases: ${trending.toFixed(1)} ms median ` +
          `(baseline, count of the window's reports: ${baselineQuery.toFixed(1)} ms; ratio ${(trending / baselineQuery).toFixed(1)})`,
        `getTrendingCases from the one-minute cache: ${(cached * 1000).toFixed(0)} µs median (computing it takes ${Math.round(trending / cached).toLocaleString('en-US')}× as long)`,
        `top reported: ${check.mostReported.map((e) => `${e.case.id}×${e.count}`).join(', ')}`,
        `top viewed: ${check.mostViewed.map((e) => `${e.case.id}×${e.count}`).join(', ')}`,
      ].join('\n') + '\n',
    );
    await store.destroy();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
