/**
 * bench/search: keyword search (`searchCases`, GET /api/v1/search) at 1,000,000 cases on SQLite,
 * p50 and p95 per kind of query, beside a baseline measured in the same run on the same rows: a
 * `LIKE '%q%'` scan of the report texts (the same candidate rule: cases whose text holds the
 * query, most recently reported first, at most 1,000).
 *
 * Data: the cases, reports and notices of bench/stats (`populate`: default 1,000,000 cases,
 * ≈1.3 reports each), then every case given a distinct text and its near-duplicate, merge-key and
 * search index rows exactly as intake derives them (bench/case-indexes.ts).
 * Queries (each kind --queries times, default 40, after one warm-up pass):
 *   - common phrase: words of the ten scam messages (投資, 保證獲利, 包裹 …: 10⁴–10⁵ cases each);
 *   - two words of one case (four CJK characters, a handful of cases);
 *   - a LINE ID (a token held by one case);
 *   - a mobile number (an indicator: `ind:phone:` term);
 *   - a miss (a token no case holds).
 * The LIKE baseline runs 5 queries per kind (each is a full scan).
 * Run: `node --import tsx bench/search.ts [--cases N] [--queries N] [--db FILE]` (`--db` keeps the
 * generated store in FILE and reuses it when it exists).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { createStore } from '../src/store/index.js';
import { generatedStore, seeded, tailMaker } from './case-indexes.js';

import { searchCases } from '../src/search/index.js';
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const QUERIES = Number(arg('--queries') ?? 40);
const LIKE_QUERIES = 5;
const PHRASES = [
  '投資',
  '保證獲利',
  '包裹',
  '虛擬貨幣',
  '在家工作',
  '檢察官',
  '慈善募款',
  '提款卡',
  '中獎',
  '客服',
];

/** Nearest-rank percentile of `values` (ms). */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const keep = arg('--db');
  const dir = keep === undefined ? mkdtempSync(path.join(tmpdir(), 'scamnet-bench-search-')) : null;
  const file = keep ?? path.join(dir ?? '.', 'bench.db');
  try {
    const samples = (await generatedStore(file)).samples.map((s) => s.tail);
    const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' });
    const store = createStore(config.store);
    const deps = { db: store.db, config };
    const random = seeded(4242);
    const sample = () => samples[Math.floor(random() * samples.length)] ?? samples[0];
    const missTail = tailMaker(777);
    const kinds: Array<[string, () => string]> = [
      ['common phrase', () => PHRASES[Math.floor(random() * PHRASES.length)] ?? '投資'],
      [
        'two words of one case',
        () => {
          const s = sample();
          const i = Math.floor(random() * 5);
          return `${s?.words[i] ?? ''}${s?.words[i + 1] ?? ''}`;
        },
      ],
      ['LINE ID', () => sample()?.lineId ?? 'x'],
      ['mobile number', () => sample()?.phone ?? '0912345678'],
      ['miss', () => `zq${missTail().lineId}`],
    ];
    const queries = kinds.map(([kind, make]) => ({
      kind,
      list: Array.from({ length: QUERIES }, make),
    }));
    // Warm-up: one pass of every kind.
    for (const { list } of queries) for (const q of list.slice(0, 3)) await searchCases(deps, q);

    const like = async (q: string) =>
      sql`select r.case_id from reports r join cases c on c.id = r.case_id
          where r.text like ${`%${q.replace(/[%_\\]/g, '\\$&')}%`} escape '\\'
          order by c.last_reported_at desc limit 1000`.execute(store.db);

    const all: number[] = [];
    const allLike: number[] = [];
    const lines: string[] = [];
    let found = 0;
    for (const { kind, list } of queries) {
      const times: number[] = [];
      let hits = 0;
      for (const q of list) {
        const t0 = performance.now();
        const result = await searchCases(deps, q);
        times.push(performance.now() - t0);
        if (result.total > 0) hits += 1;
      }
      found += hits;
      const likeTimes: number[] = [];
      for (const q of list.slice(0, LIKE_QUERIES)) {
        const t0 = performance.now();
        await like(q);
        likeTimes.push(performance.now() - t0);
      }
      all.push(...times);
      allLike.push(...likeTimes);
      lines.push(
        `${kind.padEnd(22)} search p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms  (${hits}/${list.length} found)   LIKE p50 ${percentile(likeTimes, 50).toFixed(0).padStart(6)} ms`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    const p50 = percentile(all, 50);
    const p95 = percentile(all, 95);
    const likeP50 = percentile(allLike, 50);
    process.stdout.write(
      `all ${all.length} queries: search p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; baseline LIKE scan p50 ${likeP50.toFixed(0)} ms, p95 ${percentile(allLike, 95).toFixed(0)} ms (${allLike.length} queries)\n` +
        `ratio LIKE p50 / search p50: ${(likeP50 / p50).toFixed(0)}×; queries with hits: ${found}/${all.length}\n`,
    );
    await store.destroy();
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
