/**
 * bench/stats: statistics for one week and for a whole year over 1,000,000 cases on SQLite,
 * beside baselines measured in the same run on the same rows.
 *
 * Data: N cases (default 1,000,000) spread evenly over 2024-01-01 … 2025-12-31 (Asia/Taipei),
 * 1–3 reports each (≈1.3 per case), verdicts ≈45% fraud / 10% high risk / 10% not fraud / rest
 * undecided, the eleven platforms and ten scam types, 30 impersonated entities, summaries drawn
 * from a pool of Traditional Chinese scam messages with random variation, and a takedown notice
 * for each fraud case on a notice platform (≈90% removed, some late). Rows are inserted directly
 * with better-sqlite3 prepared statements in one transaction (not through intake: that is
 * bench/ingest's subject).
 * Here every case's summary is distinct (a pool message, a random word and the case number: the
 * option `distinctSummaries` of the generator), as intake's text fingerprints make them, so the keyword cache cannot reuse one case's words for
 * another. The daily-count triggers (migration 0013) run during the load, as they would in use.
 * Figures (median of 5 runs after one warm-up, milliseconds), each on the daily-count path (what
 * the API serves) and on the direct path (GROUP BY over the base tables, the baseline), with the
 * ratio direct / daily:
 *   - getStats for one week and for the year 2025 (each with its previous period);
 *   - generateBulletin for one week, with the keyword cache warm (a draft viewed again) and cold
 *     (emptied before each run: jieba segments ≈5 weeks of summaries);
 *   - the transparency report of 2025;
 *   - for scale: a plain `count(*)` of the year's reports, and takedown compliance of the year
 *     alone (src/takedown, part of getStats and the transparency report).
 * Run: `node --import tsx bench/stats.ts [--cases N]`; `KEEP_DB=1` keeps the generated store and
 * `--db FILE` measures such a kept store again without generating it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { FakeClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import {
  clearKeywordCache,
  generateBulletin,
  periodOf,
  statsOf,
  transparencyOf,
  weekPeriod,
  type CountPath,
} from '../src/statistics/index.js';
import { createStore, migrateToLatest } from '../src/store/index.js';
import { complianceFigures } from '../src/takedown/index.js';
import {
  isNoticePlatform,
  NOTICE_PLATFORMS,
  PLATFORMS,
  SCAM_TYPES,
} from '../src/vocabulary/index.js';
const casesArg = process.argv.indexOf('--cases');
export const CASES = casesArg > 0 ? Number(process.argv[casesArg + 1]) : 1_000_000;
const START = Date.parse('2023-12-31T16:00:00Z');
const END = Date.parse('2025-12-31T16:00:00Z');
const MESSAGES = [
  '老師帶你投資台股飆股，加入LINE群組免費領取明牌',
  '虛擬貨幣投資保證獲利，每日出金，名額有限',
  '在家工作日領三千，輕鬆兼職無經驗可',
  '您的包裹地址有誤，請點擊連結更新資料',
  '恭喜中獎！請先支付手續費領取獎金',
  '網購訂單設定錯誤，請加客服辦理退款',
  '帥哥軍醫想認識你，一起投資賺錢',
  '慈善募款幫助受災兒童，請轉帳捐款',
  '你的帳戶涉及洗錢，檢察官要求監管帳戶',
  '高價收購帳戶，提供存摺提款卡即可賺錢',
];
const EXTRA = ['限時', '加碼', '穩賺', '內線', '保證金', '客服', '股票', '帶單', '分析師', '獎金'];

/** Deterministic xorshift32, so every run builds the same rows. */
export function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Fills the migrated SQLite store at `file` with CASES generated cases (see the header), their
 * reports and takedown notices; exported for the other benches at 1M cases (search, dedup-scale).
 */
export function populate(
  file: string,
  options: { distinctSummaries?: boolean } = {},
): { reports: number; notices: number } {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const random = rng(20250705);
  const now = iso(END);
  const insertEntity = db.prepare(
    `insert into entities (id, kind, name_zh, name_en, aliases, domains, contact_email, created_at, updated_at, disabled_at)
     values (?, 'public_figure', ?, ?, '[]', '[]', null, ?, ?, null)`,
  );
  const insertCase = db.prepare(
    `insert into cases (id, status, verdict, platform, summary, report_count, first_reported_at, last_reported_at,
       decided_at, removed_at, source, created_at, updated_at, stage, scam_type, impersonated_entity_id, overrides)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, 'bench', ?, ?, ?, ?, ?, '[]')`,
  );
  const insertReport = db.prepare(
    `insert into reports (id, case_id, received_at, source, channel, platform, url, canonical_url, text, title, external_id)
     values (?, ?, ?, 'bench', 'api', ?, null, null, ?, null, null)`,
  );
  const insertNotice = db.prepare(
    `insert into takedown_notices (id, case_id, platform, state, content_url, created_at, sent_at, first_deadline_at,
       deadline_at, acknowledged_at, resolved_at, outcome_reason, missed_deadlines, updated_at)
     values (?, ?, ?, ?, null, ?, ?, ?, ?, null, ?, null, ?, ?)`,
  );
  let reports = 0;
  let notices = 0;
  db.transaction(() => {
    for (let e = 0; e < 30; e += 1)
      insertEntity.run(`ENT-${e}`, `名人${e}`, `Figure ${e}`, now, now);
    const span = END - START;
    for (let i = 0; i < CASES; i += 1) {
      const id = `C${i.toString(36).padStart(8, '0')}`;
      const first = START + Math.floor((i / CASES) * span);
      const platform = PLATFORMS[Math.floor(random() * PLATFORMS.length)] ?? 'other';
      const message = MESSAGES[Math.floor(random() * MESSAGES.length)] ?? '';
      const extra = EXTRA[Math.floor(random() * EXTRA.length)] ?? '';
      const summary = `${message}${extra}${options.distinctSummaries === true ? ` #${i}` : ''}`;
      const r = random();
      const verdict =
        r < 0.45 ? 'fraud' : r < 0.55 ? 'high_risk' : r < 0.65 ? 'not_fraud' : 'undecided';
      const decided =
        verdict === 'undecided' ? null : first + Math.floor(random() * 3 * 86_400_000);
      const count = random() < 0.75 ? 1 : random() < 0.8 ? 2 : 3;
      const entity = random() < 0.2 ? `ENT-${Math.floor(random() * 30)}` : null;
      insertCase.run(
        id,
        verdict === 'undecided' ? 'processing' : verdict === 'fraud' ? 'fraud_notified' : verdict,
        verdict,
        platform,
        summary,
        count,
        iso(first),
        iso(first + (count - 1) * 3_600_000),
        decided === null ? null : iso(decided),
        iso(first),
        iso(decided ?? first),
        verdict === 'undecided' ? 'verification' : 'decided',
        SCAM_TYPES[Math.floor(random() * SCAM_TYPES.length)] ?? 'other',
        entity,
      );
      for (let k = 0; k < count; k += 1) {
        reports += 1;
        insertReport.run(
          `R${reports.toString(36).padStart(9, '0')}`,
          id,
          iso(first + k * 3_600_000),
          platform,
          summary,
        );
      }
      if (verdict === 'fraud' && decided !== null && isNoticePlatform(platform)) {
        notices += 1;
        const deadline = decided + 86_400_000;
        const removed = random() < 0.9;
        const resolved = removed ? decided + Math.floor(random() * 40 * 3_600_000) : null;
        const late = resolved !== null && resolved > deadline;
        insertNotice.run(
          `N${notices.toString(36).padStart(8, '0')}`,
          id,
          platform,
          removed ? 'removed' : 'sent',
          iso(decided),
          iso(decided),
          iso(deadline),
          iso(late ? deadline + 86_400_000 : deadline),
          resolved === null ? null : iso(resolved),
          late ? 1 : 0,
          iso(resolved ?? decided),
        );
      }
    }
  })();
  db.exec('analyze');
  db.close();
  return { reports, notices };
}

async function median(run: () => Promise<unknown>, times = 5): Promise<number> {
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

async function main(): Promise<void> {
  const dbArg = process.argv.indexOf('--db');
  const reuse = dbArg > 0 ? process.argv[dbArg + 1] : undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-stats-'));
  const file = reuse ?? path.join(dir, 'bench.db');
  try {
    const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' }, dir);
    const migrating = createStore(config.store);
    await migrateToLatest(migrating.db);
    await migrating.destroy();

    if (reuse === undefined) {
      const t0 = performance.now();
      const { reports, notices } = populate(file, { distinctSummaries: true });
      const loadSeconds = (performance.now() - t0) / 1000;
      process.stdout.write(
        `rows: ${CASES.toLocaleString('en-US')} cases, ${reports.toLocaleString('en-US')} reports, ${notices.toLocaleString('en-US')} takedown notices (loaded in ${loadSeconds.toFixed(1)} s)\n`,
      );
    } else {
      process.stdout.write(`rows: those of ${reuse} (a store kept by an earlier run)\n`);
    }

    const store = createStore(config.store);
    const deps: ServiceDeps = {
      db: store.db,
      dialect: 'sqlite',
      clock: new FakeClock('2026-01-05T00:00:00Z'),
      config,
      log: createLogger('silent'),
    };
    const week = weekPeriod('2025-W27', 'sunday', 'Asia/Taipei');
    const year = periodOf('2025-01-01', '2025-12-31', 'Asia/Taipei');
    const countReports = (from: string, to: string) =>
      sql`select count(*) as n from reports where received_at >= ${from} and received_at < ${to}`.execute(
        store.db,
      );

    const figures: Array<[string, (path: CountPath) => Promise<unknown>]> = [
      ['getStats, one week (2025-W27) + previous week', (path) => statsOf(deps, week, path)],
      ['getStats, year 2025 + previous year', (path) => statsOf(deps, year, path)],
      [
        'generateBulletin 2025-W27, keyword cache warm',
        (path) => generateBulletin(deps, '2025-W27', [], path),
      ],
      [
        'generateBulletin 2025-W27, keyword cache cold',
        (path) => {
          clearKeywordCache();
          return generateBulletin(deps, '2025-W27', [], path);
        },
      ],
      ['transparency report, year 2025', (path) => transparencyOf(deps, year, path)],
    ];
    const rows: Array<[string, number, number]> = [];
    for (const [label, run] of figures) {
      rows.push([label, await median(() => run('daily')), await median(() => run('direct'), 3)]);
    }
    const scale: Array<[string, number]> = [
      [
        'count(*) of the year’s reports',
        await median(() => countReports(year.startsAt, year.endsAt)),
      ],
      [
        'takedown compliance of the year alone',
        await median(() =>
          complianceFigures(deps, { from: year.startsAt, to: year.endsAt }, NOTICE_PLATFORMS),
        ),
      ],
    ];
    const width = Math.max(...[...rows, ...scale].map(([label]) => label.length));
    process.stdout.write(
      `${''.padEnd(width)}  ${'daily'.padStart(9)}     ${'direct'.padStart(9)}     direct/daily\n`,
    );
    for (const [label, daily, direct] of rows) {
      const ratio = daily === 0 ? Number.NaN : direct / daily;
      process.stdout.write(
        `${label.padEnd(width)}  ${daily.toFixed(1).padStart(9)} ms  ${direct.toFixed(1).padStart(9)} ms  ${ratio.toFixed(1).padStart(6)}×\n`,
      );
    }
    for (const [label, ms] of scale) {
      process.stdout.write(`${label.padEnd(width)}  ${ms.toFixed(1).padStart(9)} ms\n`);
    }
    await store.destroy();
  } finally {
    if (process.env.KEEP_DB === undefined) rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`kept ${file}\n`);
  }
}

// Run only as a script, not when another bench imports the generator.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
