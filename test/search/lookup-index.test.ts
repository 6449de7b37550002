/**
 * The in-memory lookup index answers every check exactly as the SQL path does (issue 14): a
 * seeded random history of reports (URLs, messages with phones, LINE IDs, e-mail addresses and
 * links, on several platforms), verdicts, merges, splits and blocklist changes made through the
 * HTTP API, with many random checks compared after each round, on both dialects. And while the
 * index builds, checks are answered from the store, the same.
 */
// The harness first: it loads the app in the order the server does.
import {
  adminHeaders,
  buildTestApp,
  createTestContext,
  TEST_ADMIN_TOKEN,
  testDialects,
} from '../harness.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/index.js';
import {
  LookupIndex,
  LookupIndexLost,
  LookupIndexThread,
  lookupText,
  lookupUrl,
  sqlLookupSource,
  type LookupResult,
  type LookupSource,
} from '../../src/search/index.js';
import { rebuildIndexes } from '../../src/commands/index.js';
import { clearNearDuplicates } from '../../src/triage/index.js';
import { seededRandom } from '../seeded-random.js';
import { pino } from 'pino';
import { sql } from 'kysely';
import pg from 'pg';
import { postReport } from '../factories.js';

const prng = seededRandom;

const DOMAINS = [
  'shop-sale.com.tw',
  'gift.example-bank.tw',
  'invest-888.net',
  'line-promo.top',
  'a.b.c.d.news.tw',
];
const PATHS = ['/', '/p/1', '/p/1/detail', '/login', '/a/b/c?id=9', '/gift?utm_source=x'];
const PHONES = ['0912345678', '0987654321', '+886223456789', '0911222333'];
const LINE_IDS = ['lai659', 'invest888', 'vip_666', 'stock.king'];
const EMAILS = ['help@invest-888.net', 'agent@mail.tw'];
const WORDS = [
  '保證獲利',
  '加入群組',
  '飆股明牌',
  '免費領取',
  '限時優惠',
  '中獎通知',
  '請點擊連結',
  '投資老師',
];
const PLATFORMS = ['none', 'website', 'facebook', 'line', 'other'] as const;

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;

function pick<T>(random: () => number, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function randomUrl(random: () => number): string {
  const host = pick(random, DOMAINS);
  const sub = random() < 0.3 ? `${pick(random, ['www', 'm', 'shop'])}.` : '';
  return `${random() < 0.5 ? 'https' : 'http'}://${sub}${host}${pick(random, PATHS)}`;
}

/** A message: a few words, maybe a phone, a LINE ID, an e-mail, a link; `variant` varies it a little. */
function randomMessage(random: () => number): string {
  const parts: string[] = [];
  for (let i = 0; i < 4 + Math.floor(random() * 6); i++) parts.push(pick(random, WORDS));
  if (random() < 0.5) parts.push(`電話 ${pick(random, PHONES)}`);
  if (random() < 0.5) parts.push(`加LINE ID: ${pick(random, LINE_IDS)}`);
  if (random() < 0.2) parts.push(pick(random, EMAILS));
  if (random() < 0.4) parts.push(randomUrl(random));
  return parts.join('，');
}

const GREETINGS = ['早安！', '大家好，', '轉傳：', '分享給大家～\n'];

/**
 * A repost of `text` as scammers make them (bench/dedup-scale.ts): a greeting, the full-width
 * commas as ASCII, a sign-off: the same case by near-duplicate, not by fingerprint.
 */
function repost(random: () => number, text: string): string {
  return `${pick(random, GREETINGS)}${text.replace(/，/g, ', ')}${random() < 0.5 ? '\n感恩' : '！！'}`;
}

/** Whether an answer lists a case found as a near-duplicate message. */
function similar(result: LookupResult): boolean {
  return JSON.stringify(result).includes('similar_message');
}

/** Equality of two check answers, with a readable message naming the query. */
function expectSame(index: LookupResult, store: LookupResult, what: string): void {
  expect(index, what).toEqual(store);
}

describe.each(testDialects())('lookup index equals the SQL path on %s', (dialect) => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
  });
  afterAll(async () => ctx?.close());

  const post = (url: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url, headers: adminHeaders, payload });

  async function indexSource(): Promise<LookupSource> {
    const source = await ctx.app.lookupIndex?.current();
    if (source === null || source === undefined) throw new Error('the lookup index is not ready');
    return source;
  }

  /**
   * The check through POST /api/v1/lookup (the index and its answer cache, which every change
   * must empty) answers as the SQL path `expected` does.
   */
  async function expectRouteSame(payload: { url: string } | { q: string }, expected: LookupResult) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/lookup', payload });
    expect(res.statusCode).toBe(200);
    expect(res.json(), JSON.stringify(payload)).toEqual(JSON.parse(JSON.stringify(expected)));
  }

  /** Runs `count` random checks through both sources and expects the same answers. */
  async function compareChecks(random: () => number, messages: readonly string[], count: number) {
    let found = 0;
    let nearDuplicates = 0;
    for (let i = 0; i < count; i++) {
      const roll = random();
      const sql = sqlLookupSource(ctx.deps);
      const memory = await indexSource();
      if (roll < 0.4) {
        const url = randomUrl(random);
        const [a, b] = [
          await lookupUrl(ctx.deps, url, memory),
          await lookupUrl(ctx.deps, url, sql),
        ];
        expectSame(a, b, `url ${url}`);
        await expectRouteSame({ url }, b);
        if (b.found) found++;
        continue;
      }
      const q =
        roll < 0.55
          ? pick(random, PHONES)
          : roll < 0.65
            ? `@${pick(random, LINE_IDS)}`
            : roll < 0.7
              ? pick(random, EMAILS)
              : roll < 0.8 && messages.length > 0
                ? pick(random, messages)
                : roll < 0.9 && messages.length > 0
                  ? repost(random, pick(random, messages))
                  : randomMessage(random);
      const [a, b] = [await lookupText(ctx.deps, q, memory), await lookupText(ctx.deps, q, sql)];
      expectSame(a, b, `q ${q}`);
      await expectRouteSame({ q }, b);
      if (b.found) found++;
      if (similar(b)) nearDuplicates++;
    }
    return { found, nearDuplicates };
  }

  it('answers random checks the same after random reports, verdicts, merges, splits and blocks', async () => {
    const random = prng(dialect === 'sqlite' ? 14 : 1414);
    const caseIds: string[] = [];
    const messages: string[] = [];
    const fraudCases: string[] = [];
    const done = { verdict: 0, merge: 0, split: 0, block: 0 };
    let found = 0;
    let nearDuplicates = 0;
    for (let round = 0; round < 8; round++) {
      for (let op = 0; op < 12; op++) {
        const roll = random();
        ctx.clock.advance(60_000);
        if (roll < 0.55 || caseIds.length < 3) {
          const platform = pick(random, PLATFORMS);
          // A third of the messages are reported again, so cases gather reports to split.
          const again = messages.length > 0 && random() < 0.3;
          const text = again
            ? pick(random, messages)
            : random() < 0.7
              ? randomMessage(random)
              : undefined;
          const url = text === undefined || random() < 0.4 ? randomUrl(random) : undefined;
          const res = await ctx.app.inject({
            method: 'POST',
            url: '/api/v1/reports',
            payload: {
              ...(text === undefined ? {} : { text }),
              ...(url === undefined ? {} : { url }),
              ...(platform === 'none' ? {} : { platform }),
            },
          });
          expect(res.statusCode, res.body).toBe(201);
          const id: string = res.json().case.id;
          if (!caseIds.includes(id)) caseIds.push(id);
          if (text !== undefined) messages.push(text);
        } else if (roll < 0.75) {
          const verdict = pick(random, ['fraud', 'high_risk', 'not_fraud'] as const);
          const id = pick(random, caseIds);
          const res = await post(`/api/v1/cases/${id}/verdict`, { verdict });
          if (res.statusCode === 200) done.verdict++;
          if (res.statusCode === 200 && verdict === 'fraud') fraudCases.push(id);
        } else if (roll < 0.85) {
          const target = pick(random, caseIds);
          const res = await post(`/api/v1/cases/${target}/merge`, {
            sourceCaseId: pick(random, caseIds),
          });
          if (res.statusCode === 200) done.merge++;
        } else if (roll < 0.93) {
          for (const id of caseIds) {
            const listed = await ctx.app.inject({
              url: `/api/v1/cases/${id}/reports`,
              headers: adminHeaders,
            });
            const reports: Array<{ id: string }> = listed.json().reports ?? [];
            const last = reports.at(-1);
            if (reports.length < 2 || last === undefined || random() < 0.5) continue;
            const split = await post(`/api/v1/cases/${id}/split`, { reportIds: [last.id] });
            if (split.statusCode === 200) {
              done.split++;
              caseIds.push(split.json().newCase.id);
            }
            break;
          }
        } else {
          if (fraudCases.length === 0) continue;
          const proposed = await post('/api/v1/blocklist/entries/from-case', {
            caseId: pick(random, fraudCases),
          });
          const entryId: unknown =
            proposed.statusCode < 300 ? proposed.json().entry?.id : undefined;
          if (typeof entryId === 'string') {
            done.block++;
            await post(`/api/v1/blocklist/entries/${entryId}/activate`, {
              legalBasis: {
                kind: 'court_ruling',
                reference: '115年度聲字第9號',
                date: '2026-11-28',
              },
              requestingUnit: '刑事警察局',
            });
          }
        }
      }
      const checked = await compareChecks(random, messages, 40);
      found += checked.found;
      nearDuplicates += checked.nearDuplicates;
    }
    // The history made real matches and did every kind of change, not only empty answers.
    expect(found).toBeGreaterThan(20);
    expect(nearDuplicates).toBeGreaterThan(5);
    expect(Math.min(done.verdict, done.merge, done.split, done.block)).toBeGreaterThan(0);
    expect(ctx.app.lookupIndex?.stats().cases).toBeGreaterThan(0);
  });

  it('sees near-duplicate texts cleared and rebuilt by a re-index, which touches no other table', async () => {
    const text = '限時優惠，投資老師帶你飆股明牌，保證獲利，請點擊連結加入群組';
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { text } });
    expect(res.statusCode, res.body).toBe(201);
    const caseId: string = res.json().case.id;
    const q = `早安！${text.replace(/，/g, ', ')}\n感恩`;
    const check = async () => {
      const [a, b] = [
        await lookupText(ctx.deps, q, await indexSource()),
        await lookupText(ctx.deps, q, sqlLookupSource(ctx.deps)),
      ];
      expectSame(a, b, q);
      return similar(b);
    };
    expect(await check()).toBe(true);
    await clearNearDuplicates(ctx.deps.db, caseId);
    expect(await check()).toBe(false);
    await rebuildIndexes(ctx.deps);
    expect(await check()).toBe(true);
  });

  it('answers through GET /api/v1/lookup as the SQL path does', async () => {
    const random = prng(7);
    for (let i = 0; i < 15; i++) {
      const url = randomUrl(random);
      const res = await ctx.app.inject({ url: `/api/v1/lookup?url=${encodeURIComponent(url)}` });
      expect(res.statusCode).toBe(200);
      expect(res.json(), url).toEqual(JSON.parse(JSON.stringify(await lookupUrl(ctx.deps, url))));
    }
  });
});

describe.runIf(testDialects().includes('postgres'))('a lookup index on postgres', () => {
  it('keeps applying changes while a transaction stays open, and applies its change at commit', async () => {
    const ctx = await buildTestApp('postgres');
    const held = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    try {
      const index = ctx.app.lookupIndex;
      if (index === undefined || index === null) throw new Error('no lookup index');
      const report = async (payload: object) => {
        const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/reports', payload });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().case.id as string;
      };
      /** The index answers `q` as the store does, after catching up; the answer. */
      const expectSameAsStore = async (q: string) => {
        await index.catchUp();
        const memory = await index.current();
        if (memory === null) throw new Error('the lookup index is not ready');
        const answer = await lookupText(ctx.deps, q, memory);
        expect(answer, q).toEqual(await lookupText(ctx.deps, q, sqlLookupSource(ctx.deps)));
        expect(answer.found, q).toBe(true);
        return answer;
      };
      const late = await report({ text: '加LINE: hxheldopen01 保證獲利' });
      const busy = await report({ text: '加LINE: hxbusyrows01 保證獲利' });
      await held.connect();
      await held.query(`set search_path to ${ctx.schema ?? 'public'}`);
      await held.query('begin');
      // The case no longer holds its LINE ID (nor the merge key made of it).
      await held.query('delete from case_indicators where case_id = $1', [late]);
      await held.query('delete from case_keys where case_id = $1', [late]);
      // More change rows than one read returns (LOOKUP_INDEX_LIMITS.changes), read once.
      await sql`insert into lookup_changes (case_id)
        select ${busy} from generate_series(1, 5500)`.execute(ctx.deps.db);
      await expectSameAsStore('@hxbusyrows01');
      // A change after them is applied, though the open transaction holds the horizon back.
      await report({ text: '加LINE: hxafterrows01 保證獲利' });
      await expectSameAsStore('@hxafterrows01');
      const before = await expectSameAsStore('@hxheldopen01');
      await held.query('commit');
      // Found now by its message only, no longer by the LINE ID.
      const after = await expectSameAsStore('@hxheldopen01');
      expect(after.matches).not.toEqual(before.matches);
    } finally {
      await held.query('rollback').catch(() => undefined);
      await held.end().catch(() => undefined);
      await ctx.close();
    }
  });
});

describe.each(testDialects())('checks while the lookup index builds on %s', (dialect) => {
  it('answers from the store until the index is ready, then from the index, the same', async () => {
    const ctx = await createTestContext(dialect);
    const index = new LookupIndex(ctx.deps, { pollMs: 3_600_000, listen: false });
    const app = await buildApp({
      deps: ctx.deps,
      adminToken: TEST_ADMIN_TOKEN,
      lookupIndex: index,
    });
    try {
      const reported = await postReport(app, {
        url: 'https://building-index.example.tw/pay',
        platform: 'website',
      });
      expect(reported.statusCode).toBe(201);
      const check = () =>
        app.inject({ url: '/api/v1/lookup?url=https://building-index.example.tw/pay' });
      expect((await app.inject({ url: '/healthz' })).json().lookupIndex).toBe('building');
      expect(await index.current()).toBeNull();
      const whileBuilding = await check();
      expect(whileBuilding.json().found).toBe(true);
      index.start();
      await index.whenReady();
      expect((await app.inject({ url: '/healthz' })).json().lookupIndex).toBe('ready');
      expect(await index.current()).not.toBeNull();
      expect((await check()).json()).toEqual(whileBuilding.json());
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});

describe.each(testDialects())('a lookup index whose worker thread stops, on %s', (dialect) => {
  it('answers from the store, says so in /healthz and the log, and builds again with a new worker', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const ctx = await createTestContext(dialect);
    const index = new LookupIndex({ ...ctx.deps, log }, { pollMs: 50, listen: false });
    const app = await buildApp({
      deps: { ...ctx.deps, log },
      adminToken: TEST_ADMIN_TOKEN,
      lookupIndex: index,
    });
    const report = async (url: string) => {
      const res = await postReport(app, { url, platform: 'website' });
      expect(res.statusCode).toBe(201);
    };
    const check = async (url: string) => {
      const res = await app.inject({ url: `/api/v1/lookup?url=${encodeURIComponent(url)}` });
      expect(res.statusCode).toBe(200);
      const body: LookupResult = res.json();
      expect(body).toEqual(JSON.parse(JSON.stringify(await lookupUrl(ctx.deps, url))));
      return body;
    };
    try {
      index.start();
      await index.whenReady();
      await report('https://lost-worker.example.tw/pay');
      expect((await check('https://lost-worker.example.tw/pay')).found).toBe(true);
      await index.crashWorker();
      await expect.poll(() => index.state).toBe('building');
      expect(index.stats().workerLosses).toBe(1);
      expect(lines.some((l) => l.includes('worker lost'))).toBe(true);
      expect((await app.inject({ url: '/healthz' })).json().lookupIndex).toBe('building');
      expect(await index.current()).toBeNull();
      // Checks and reports go on meanwhile, answered from the store.
      expect((await check('https://lost-worker.example.tw/pay')).found).toBe(true);
      await report('https://while-lost.example.tw/pay');
      // A new worker builds the index again and holds what was reported meanwhile.
      await expect.poll(() => index.state, { timeout: 15_000 }).toBe('ready');
      expect(index.stats().workerLosses).toBe(0);
      const source = await index.current();
      expect(source).not.toBeNull();
      expect((await check('https://while-lost.example.tw/pay')).found).toBe(true);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});

describe('the lookup index worker thread', () => {
  it("refuses a question of an index a rebuild replaced, and answers the new one's", async () => {
    const thread = new LookupIndexThread({ onLost: () => undefined });
    try {
      const empty = { cases: [], holdings: [], reportUrls: [], keys: [], texts: [], bands: [] };
      await thread.call('startBuild');
      await thread.call('loadBuild', [], empty);
      const first = await thread.call('finishBuild');
      expect(await thread.ask(first.epoch, 'caseIdsByKeys', ['k'])).toEqual([]);
      await thread.call('startBuild');
      await thread.call('loadBuild', ['C1'], {
        ...empty,
        cases: [
          {
            id: 'C1',
            status: 'fraud_confirmed',
            verdict: 'fraud',
            reportCount: 1,
            firstReportedAt: '2026-12-01T00:00:00.000Z',
            createdAt: '2026-12-01T00:00:00.000Z',
          },
        ],
        keys: [{ caseId: 'C1', key: 'k' }],
      });
      // The index being built is not asked until it is live.
      expect(await thread.ask(first.epoch, 'caseIdsByKeys', ['k'])).toEqual([]);
      const second = await thread.call('finishBuild');
      expect(second.counts.cases).toBe(1);
      await expect(thread.ask(first.epoch, 'caseIdsByKeys', ['k'])).rejects.toBeInstanceOf(
        LookupIndexLost,
      );
      expect(await thread.ask(second.epoch, 'caseIdsByKeys', ['k'])).toEqual(['C1']);
    } finally {
      await thread.close();
    }
    await expect(thread.call('caseIdsByKeys', ['k'])).rejects.toBeInstanceOf(LookupIndexLost);
  });
});
