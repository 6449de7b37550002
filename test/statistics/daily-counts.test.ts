import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeCases, splitCase } from '../../src/commands/merge.service.js';

import { importRows, submitReport, type ImportRow } from '../../src/intake/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import {
  factCounts,
  generateBulletin,
  getStats,
  periodOf,
  statsOf,
  type FactCount,
} from '../../src/statistics/index.js';
import { statsDaily } from '../../src/store/migrations/0013-stats-daily.js';
import { overrideTriage } from '../../src/triage/index.js';
import { decideCase } from '../../src/verification/index.js';
import { createTestContext, testDialects, type TestContext } from '../harness.js';
import { submitTestReport } from '../factories.js';

import type { Actor } from '../../src/policy/index.js';
const ANALYST: Actor = { role: 'analyst', id: 'user:analyst-test' };

/** Deterministic xorshift32, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

function sorted(rows: readonly FactCount[]): FactCount[] {
  const key = (r: FactCount) => `${r.fact}|${r.verdict}|${r.dimension}`;
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe.each(testDialects())('reports by platform on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect, {
      clock: new FakeClock('2025-07-10T00:00:00Z'),
      env: { NEAR_DUPLICATE_MERGE: 'false' },
    });
  }, 60_000);
  afterAll(async () => ctx.close());

  it('counts each report by its own platform, else its case’s; cases by the case’s', async () => {
    const first = await submitTestReport(ctx, {
      text: '保證獲利的投資群組，老師帶你賺',
      platform: 'facebook',
      receivedAt: '2025-07-01T02:00:00Z',
    });
    // The same message seen on LINE joins the Facebook case: one case, two platforms reported.
    const second = await submitTestReport(ctx, {
      text: '保證獲利的投資群組，老師帶你賺',
      platform: 'line',
      receivedAt: '2025-07-02T02:00:00Z',
    });
    expect(second.case.id).toBe(first.case.id);
    // No platform given: the report counts under its case's platform (from the URL).
    const third = await submitTestReport(ctx, {
      url: 'https://www.tiktok.com/@fake-shop.test/video/1',
      receivedAt: '2025-07-03T02:00:00Z',
    });
    const stats = await getStats(ctx.deps, { from: '2025-07-01', to: '2025-07-07' });
    const group = (name: string) => stats.byPlatform.find((g) => g.group === name);
    expect(stats.reports.current).toBe(3);
    expect(group('meta')?.reports.current).toBe(1);
    expect(group('meta')?.newCases.current).toBe(1);
    expect(group('line')?.reports.current).toBe(1);
    expect(group('line')?.newCases.current).toBe(0);
    expect(group('tiktok')?.reports.current).toBe(1);
    expect(stats.byPlatform.reduce((sum, g) => sum + g.reports.current, 0)).toBe(3);

    // A platform-less report follows its case when the case's platform is corrected.
    await ctx.deps.db
      .updateTable('cases')
      .set({ platform: 'website' })
      .where('id', '=', third.case.id)
      .execute();
    const after = await getStats(ctx.deps, { from: '2025-07-01', to: '2025-07-07' });
    expect(after.byPlatform.find((g) => g.group === 'tiktok')?.reports.current).toBe(0);
    expect(after.byPlatform.find((g) => g.group === 'website')?.reports.current).toBe(1);
    const period = periodOf('2025-07-01', '2025-07-07', 'Asia/Taipei');
    expect(await statsOf(ctx.deps, period, 'daily')).toEqual(
      await statsOf(ctx.deps, period, 'direct'),
    );
  });
});

describe.each(testDialects())('daily counts against the base tables on %s', (dialect) => {
  let ctx: TestContext;
  const random = rng(20251129);
  const pick = <T>(values: readonly T[]): T => {
    const value = values[Math.floor(random() * values.length)];
    if (value === undefined) throw new Error('empty choice');
    return value;
  };
  const START = Date.parse('2025-06-01T00:00:00Z');
  const PLATFORMS = ['facebook', 'instagram', 'line', 'youtube', 'tiktok', 'website'] as const;
  const TEXTS = [
    '虛擬貨幣投資保證獲利',
    '在家工作日領三千',
    '包裹地址有誤請點連結',
    '恭喜中獎請先付手續費',
    '帥哥軍醫想認識你',
    '慈善募款請轉帳',
    '你的帳戶涉及洗錢',
    '高價收購帳戶',
  ];

  /** A random instant in the span, often on or near a UTC or Taipei midnight. */
  function instant(): string {
    const day = START + Math.floor(random() * 21) * 86_400_000;
    const edge = pick([0, 16 * 3_600_000, 0, random() * 86_400_000]);
    const jitter = pick([0, -1, 1, -60_000, 90_000, Math.floor(random() * 7_200_000)]);
    return new Date(day + edge + jitter).toISOString();
  }

  beforeAll(async () => {
    ctx = await createTestContext(dialect, {
      clock: new FakeClock('2025-05-31T00:00:00Z'),
      env: { NEAR_DUPLICATE_MERGE: 'false' },
    });
    const caseIds: string[] = [];
    const imports: ImportRow[] = [];
    for (let i = 0; i < 70; i += 1) {
      const platform = random() < 0.25 ? undefined : pick(PLATFORMS);
      // Some reports repeat a message (same case), some carry a fresh suffix (a new case).
      const text = `${pick(TEXTS)}${random() < 0.5 ? '' : ` ${i}`}`;
      const imported = random() < 0.1;
      const input = {
        text,
        ...(platform === undefined ? {} : { platform }),
        ...(random() < 0.2 ? { url: `https://shop${i}.test/p` } : {}),
        channel: 'api' as const,
        source: imported ? 'tw165' : 'citizen',
        receivedAt: instant(),
        ...(imported
          ? { decision: { verdict: 'fraud' as const, note: 'import', actor: 'import:tw165' } }
          : {}),
      };
      // The second half goes through a batched import (its new cases' counts held back until
      // the batch ends, migration 0031): into new cases, cases of the same batch and older ones.
      if (i >= 35) {
        imports.push({ line: i, input });
        continue;
      }
      const result = await submitReport(ctx.deps, input);
      if (!caseIds.includes(result.case.id)) caseIds.push(result.case.id);
    }
    async function* rows(): AsyncGenerator<ImportRow> {
      yield* imports;
    }
    const summary = await importRows(ctx.deps, rows(), undefined, (_line, result) => {
      if (!caseIds.includes(result.caseId)) caseIds.push(result.caseId);
    });
    expect(summary.accepted).toBe(35);
    expect(summary.newCases).toBeGreaterThan(0);
    expect(summary.newCases).toBeLessThan(35);
    // Decisions at random times (the clock moves forward), some changed later.
    const order = caseIds.map((id) => ({ id, at: Date.parse(instant()) }));
    order.sort((a, b) => a.at - b.at);
    for (const { id, at } of order) {
      if (random() < 0.3) continue;
      ctx.clock.advance(Math.max(0, at - ctx.clock.now()));
      await decideCase(ctx.deps, ANALYST, id, {
        decision: pick(['fraud', 'fraud', 'high_risk', 'not_fraud'] as const),
      }).catch(() => undefined);
    }
    for (const id of caseIds.slice(0, 8)) {
      await overrideTriage(ctx.deps, ANALYST, id, {
        scamType: pick(['investment', 'job', 'romance', 'other'] as const),
        reason: 'analyst review',
      });
    }
    // Merges and splits move reports (and first report times) between cases.
    let merged = 0;
    for (let i = 0; i + 1 < caseIds.length && merged < 6; i += 5) {
      const [target, source] = [caseIds[i], caseIds[i + 1]];
      if (target === undefined || source === undefined) continue;
      const ok = await mergeCases(ctx.deps, ANALYST, { targetId: target, sourceId: source })
        .then(() => true)
        .catch(() => false);
      if (ok) merged += 1;
    }
    expect(merged).toBeGreaterThan(0);
    let split = 0;
    for (const id of caseIds) {
      const reports = await ctx.deps.db
        .selectFrom('reports')
        .select('id')
        .where('case_id', '=', id)
        .orderBy('id')
        .execute();
      const moved = reports[0];
      if (reports.length < 2 || moved === undefined || split >= 3) continue;
      await splitCase(ctx.deps, ANALYST, { caseId: id, reportIds: [moved.id] });
      split += 1;
    }
    expect(split).toBeGreaterThan(0);
    // Writes that bypass every service (a back-filled import, a repair): the triggers see them.
    const some = caseIds.slice(10, 16);
    await ctx.deps.db
      .updateTable('cases')
      .set({ platform: 'google' })
      .where('id', 'in', some.slice(0, 3))
      .execute();
    await ctx.deps.db
      .updateTable('cases')
      .set({ verdict: 'fraud', decided_at: '2025-06-10T15:59:59.999Z', scam_type: null })
      .where('id', 'in', some.slice(3))
      .execute();
    await ctx.deps.db
      .updateTable('reports')
      .set({ received_at: '2025-06-11T00:00:00.000Z', platform: null })
      .where('case_id', '=', caseIds[20] ?? '')
      .execute();
  }, 120_000);
  afterAll(async () => ctx.close());

  it('gives the same counts as GROUP BY over the base tables for any range', async () => {
    const total = await factCounts(ctx.deps.db, { from: '', to: '2030-01-01T00:00:00.000Z' });
    // The data really holds every fact, so the comparisons below compare something.
    for (const fact of ['report', 'new_case', 'decided_platform', 'decided_type']) {
      expect(total.some((r) => r.fact === fact && r.count > 0)).toBe(true);
    }
    const ranges = [
      { from: '', to: '2025-06-15T16:00:00.000Z' },
      { from: '2025-06-01T00:00:00.000Z', to: '2025-06-22T00:00:00.000Z' },
      { from: '2025-06-03T16:00:00.000Z', to: '2025-06-10T16:00:00.000Z' },
      { from: '2025-06-05T05:00:00.000Z', to: '2025-06-05T18:00:00.000Z' },
    ];
    for (let i = 0; i < 30; i += 1) {
      const [a, b] = [instant(), instant()].sort();
      if (a !== undefined && b !== undefined && a < b) ranges.push({ from: a, to: b });
    }
    for (const range of ranges) {
      const daily = await factCounts(ctx.deps.db, range);
      const direct = await factCounts(ctx.deps.db, range, { path: 'direct' });
      expect(sorted(daily), JSON.stringify(range)).toEqual(sorted(direct));
    }
  });

  it('gives the same statistics and bulletin on both paths, in any time zone', async () => {
    for (const timeZone of ['Asia/Taipei', 'UTC', 'Asia/Kolkata', 'America/New_York']) {
      const period = periodOf('2025-06-04', '2025-06-17', timeZone);
      const daily = await statsOf(ctx.deps, period, 'daily');
      expect(daily.reports.current + daily.reports.previous).toBeGreaterThan(0);
      expect(daily).toEqual(await statsOf(ctx.deps, period, 'direct'));
    }
    const bulletin = await generateBulletin(ctx.deps, '2025-W24', [], 'daily');
    expect(bulletin.cumulative.reports).toBeGreaterThan(0);
    expect(bulletin).toEqual(await generateBulletin(ctx.deps, '2025-W24', [], 'direct'));
  });

  it('back-fills the same counts when the migration runs over existing rows', async () => {
    const range = { from: '', to: '2030-01-01T00:00:00.000Z' };
    const kept = sorted(await factCounts(ctx.deps.db, range));
    const rows = await ctx.deps.db.selectFrom('stats_daily_counts').selectAll().execute();
    const down = statsDaily.down;
    if (down === undefined) throw new Error('migration 0013 has no down');
    await down(ctx.deps.db);
    await statsDaily.up(ctx.deps.db);
    expect(sorted(await factCounts(ctx.deps.db, range))).toEqual(kept);
    // Zero rows left by moves aside, the back-filled table holds the same counts.
    const nonZero = (list: ReadonlyArray<{ count: number | string }>) =>
      list.filter((r) => Number(r.count) !== 0).length;
    const rebuilt = await ctx.deps.db.selectFrom('stats_daily_counts').selectAll().execute();
    expect(nonZero(rebuilt)).toBe(nonZero(rows));
    // And the re-created triggers keep counting.
    await ctx.deps.db
      .updateTable('cases')
      .set({ platform: sql<string>`'other'` })
      .where('verdict', '=', 'fraud')
      .execute();
    expect(sorted(await factCounts(ctx.deps.db, range))).toEqual(
      sorted(await factCounts(ctx.deps.db, range, { path: 'direct' })),
    );
  });
});
