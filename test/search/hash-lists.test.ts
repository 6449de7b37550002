/**
 * The privacy-preserving hash-prefix API (issue 14, README "Private checks"), through the HTTP
 * API on both stores: the contract (shapes, encodings, limits, errors), that only warn-worthy
 * entries are published (one test per public state), incremental updates that a client applies
 * to get exactly the whole list, prefix collisions, history bounds, and two API nodes on one
 * store serving the same versions.
 */
import { createHash } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/index.js';
import {
  applyUpdate,
  ensurePublished,
  hashListUpdate,
  hashProbesOf,
  HASH_LIST_LIMITS,
  HASH_SEARCH_HEADS_MS,
  listChecksum,
  newHashListNode,
  prefixesFromBytes,
  privateCheckProbes,
  publishHashLists,
  pruneLookupChanges,
  sortedDistinct,
  warnWorthyEntries,
  type HashListResponse,
  type HashSearchResponse,
  type PublishSummary,
} from '../../src/search/index.js';
import { CASE_STATUSES, STATUS_PRESENTATION, type CaseStatus } from '../../src/vocabulary/index.js';
import {
  TEST_ADMIN_TOKEN,
  adminHeaders,
  buildTestNode,
  testDialects,
  useTestApp,
  type TestApp,
} from '../harness.js';
import { submitReportViaApi, decideCaseViaApi } from '../factories.js';
import { seededRandom } from '../seeded-random.js';

type Ctx = TestApp;
/** The one form of `app.inject` these tests use. */
type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/** Past HASH_LIST_PUBLISH_SECONDS (60 by default): the lists are due for publishing. */
const PAST_PUBLISH_INTERVAL_MS = 61_000;

function sha256(input: string): Buffer {
  return createHash('sha256').update(input, 'utf8').digest();
}

/** The base64url 4-byte prefix of `input`'s SHA-256, as a client sends it. */
function prefixOf(input: string): string {
  return sha256(input).subarray(0, 4).toString('base64url');
}

/** Two LINE IDs whose `line_id:` hash inputs share the 4-byte prefix bce1c74f (found by search). */
const COLLIDING_LINE_IDS = ['hx1hmhq', 'hx25elq'] as const;

async function search(inject: Inject, prefixes: readonly string[]): Promise<HashSearchResponse> {
  const res = await inject({ url: `/api/v1/hashes/search?prefixes=${prefixes.join(',')}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<HashSearchResponse>();
}

async function list(inject: Inject, name: string, version?: number): Promise<HashListResponse> {
  const query = version === undefined ? '' : `?version=${version}`;
  const res = await inject({ url: `/api/v1/hash-lists/${name}${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<HashListResponse>();
}

/** The sorted prefixes of a whole-list answer, and its checksum checked. */
function prefixesOf(whole: HashListResponse): Uint32Array {
  expect(whole.partial).toBe(false);
  const prefixes = prefixesFromBytes(Buffer.from(whole.additions, 'base64'));
  expect(listChecksum(prefixes)).toBe(whole.checksum);
  return prefixes;
}

describe.each(testDialects())('hash-prefix API on %s', (dialect) => {
  // Short test messages would merge as near-duplicates: each here must be a case of its own.
  const ctx = useTestApp(dialect, { env: { NEAR_DUPLICATE_MERGE: 'false' } });

  const inject: Inject = (options) => ctx.app.inject(options);
  /** The interval passes and the publisher runs (requests would start it in the background). */
  const republish = async () => {
    ctx.clock.advance(PAST_PUBLISH_INTERVAL_MS);
    expect((await publishHashLists(ctx.deps)).ran).toBe(true);
  };
  const decide = (caseId: string, verdict: string) => decideCaseViaApi(ctx.app, caseId, verdict);
  const reportText = async (text: string) => (await submitReportViaApi(ctx.app, { text })).case.id;

  it('keeps the contract: shapes, base64url, 1 to 30 prefixes, stable error codes', async () => {
    const empty = await search(inject, ['AAAAAA']);
    expect(empty).toEqual({ fullHashes: [], cacheSeconds: 60 });
    // Padding is optional; 30 prefixes are allowed.
    await search(inject, ['AAAAAA==']);
    const thirty = Array.from({ length: 30 }, (_, i) => prefixOf(`p${i}`));
    await search(inject, thirty);

    const bad = async (query: string, code: string) => {
      const res = await inject({ url: `/api/v1/hashes/search${query}` });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe(code);
    };
    await bad(`?prefixes=${[...thirty, 'AAAAAA'].join(',')}`, 'too_many_prefixes');
    await bad('?prefixes=', 'invalid_prefix');
    await bad('?prefixes=AAAA', 'invalid_prefix');
    await bad('?prefixes=AAAAAAAA', 'invalid_prefix');
    // Six characters carry 36 bits: the last 4 must be zero for 4 bytes written canonically.
    await bad('?prefixes=AAAAAB', 'invalid_prefix');
    await bad('?prefixes=AAAA%2BA', 'invalid_prefix');
    await bad('?prefixes=AAAAAA,,AAAAAA', 'invalid_prefix');
    await bad('', 'validation_failed');

    for (const name of ['urls', 'indicators']) {
      const whole = await list(inject, name);
      expect(Object.keys(whole).sort()).toEqual(
        ['additions', 'checksum', 'name', 'partial', 'removalIndices', 'version'].sort(),
      );
      expect(whole).toMatchObject({ name, partial: false, removalIndices: [] });
      expect(whole.version).toBeGreaterThanOrEqual(1);
      prefixesOf(whole);
    }
    const unknown = await inject({ url: '/api/v1/hash-lists/phones' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('hash_list_not_found');
    const badVersion = await inject({ url: '/api/v1/hash-lists/urls?version=abc' });
    expect(badVersion.statusCode).toBe(400);
  });

  it('publishes only what a client should warn about, with its state, kind and label', async () => {
    const fraud = await reportText('投資群組 加LINE: hxfraud01 保證獲利 客服 0912-000-101');
    const highRisk = await reportText('高報酬 加LINE: hxrisk01 快來');
    const open = await reportText('加LINE: hxopen01 了解更多');
    const notFraud = await reportText('客服專線 0912-000-104 查詢');
    await decide(fraud, 'fraud');
    await decide(highRisk, 'high_risk');
    await decide(notFraud, 'not_fraud');
    const openCase = await ctx.app.inject({ url: `/api/v1/cases/${open}` });
    expect(openCase.json().case.status).toBe('processing');
    await republish();
    const inputs = {
      fraud: 'line_id:hxfraud01',
      fraudPhone: 'phone:+886912000101',
      highRisk: 'line_id:hxrisk01',
      open: 'line_id:hxopen01',
      notFraud: 'phone:+886912000104',
    };
    const found = await search(
      inject,
      Object.values(inputs).map((input) => prefixOf(input)),
    );
    const byHash = new Map(found.fullHashes.map((h) => [h.fullHash, h]));
    const entry = (input: string) => byHash.get(sha256(input).toString('base64url'));
    expect(entry(inputs.fraud)).toMatchObject({
      kind: 'line_id',
      status: 'fraud_confirmed',
      label: { 'zh-TW': '詐騙訊息，尚未通知平台' },
    });
    expect(entry(inputs.fraudPhone)).toMatchObject({ kind: 'phone', status: 'fraud_confirmed' });
    expect(entry(inputs.highRisk)).toMatchObject({
      kind: 'line_id',
      status: 'high_risk',
      label: { 'zh-TW': '高風險訊息', en: 'High risk' },
    });
    expect(entry(inputs.open)).toBeUndefined();
    expect(entry(inputs.notFraud)).toBeUndefined();
    for (const h of found.fullHashes) {
      expect(h.fullHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(h.fullHash, 'base64url')).toHaveLength(32);
    }
    // The indicators list holds the prefixes of the warn-worthy ones only.
    const indicators = prefixesOf(await list(inject, 'indicators'));
    const has = (input: string) => indicators.includes(sha256(input).readUInt32BE(0));
    expect(has(inputs.fraud) && has(inputs.fraudPhone) && has(inputs.highRisk)).toBe(true);
    expect(has(inputs.open) || has(inputs.notFraud)).toBe(false);
  });

  /** Whether a case in each public state is published: decided as a scam or high risk only. */
  const WARNED: Record<CaseStatus, boolean> = {
    processing: false,
    awaiting_party: false,
    high_risk: true,
    fraud_confirmed: true,
    fraud_notified: true,
    fraud_removed: true,
    site_confirmed: true,
    block_proposed: true,
    blocked: true,
    block_appealed: true,
    block_lifted: true,
    not_fraud: false,
  };

  it('knows every public state', () => {
    expect(Object.keys(WARNED).sort()).toEqual([...CASE_STATUSES].sort());
  });

  it.each(CASE_STATUSES.map((status, i) => [status, i] as const))(
    'publishes a case in state %s exactly when a client should warn',
    async (status, i) => {
      const digits = `0003${String(i).padStart(2, '0')}`;
      const id = await reportText(`匯款帳號請洽 0912-${digits} 專員`);
      // The stored public state as the workflow leaves it (the workflow suites reach each one).
      await ctx.deps.db.updateTable('cases').set({ status }).where('id', '=', id).execute();
      await republish();
      const input = `phone:+886912${digits}`;
      const found = await search(inject, [prefixOf(input)]);
      const hit = found.fullHashes.find((h) => h.fullHash === sha256(input).toString('base64url'));
      expect(hit?.status ?? 'absent').toBe(WARNED[status] ? status : 'absent');
      if (hit !== undefined) expect(hit.label).toEqual(STATUS_PRESENTATION[status].label);
    },
  );

  it('probes what the public lookup probes, for URLs and texts alike', async () => {
    const queries = [
      'https://shop.example.com.tw/pay?id=1&utm_source=x',
      'https://line.me/ti/p/~lai659',
      'HTTPS://WWW.Example.COM.tw/a/../b/',
      '0912-345-678',
      '@Lai659',
      'lai659',
      '加LINE: lai659 或寄信 a.b@example.com.tw 匯款 004-12345678901 https://x.example.com.tw/p',
      'example.com.tw',
      'hello world',
    ];
    for (const query of queries) {
      const { kind, probes } = privateCheckProbes(query, 'TW');
      const param = kind === 'url' ? 'url' : 'q';
      const res = await inject({ url: `/api/v1/lookup?${param}=${encodeURIComponent(query)}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(probes, query).toEqual(res.json().query.indicators);
    }
  });

  it('publishes a reported site by its expressions, not a link a message only mentions', async () => {
    const site = await submitReportViaApi(ctx.app, {
      url: 'https://shop.hash-scam-site.com.tw/pay?id=1',
      platform: 'website',
    });
    const mention = await reportText('新聞 https://news.hash-mentioned.com.tw/a/1 請看');
    await decide(site.case.id, 'fraud');
    await decide(mention, 'fraud');
    await republish();
    const probe = (url: string) =>
      hashProbesOf(privateCheckProbes(url, 'TW').probes).filter((p) => p.list === 'urls');
    const urls = prefixesOf(await list(inject, 'urls'));
    const hits = (url: string) => probe(url).filter((p) => urls.includes(p.prefix));
    // The page itself, and another page of the site (its registrable domain).
    expect(hits('https://shop.hash-scam-site.com.tw/pay?id=1').length).toBeGreaterThan(0);
    const other = hits('https://hash-scam-site.com.tw/other');
    expect(other.map((p) => p.input)).toContain('hash-scam-site.com.tw/');
    expect(hits('https://news.hash-mentioned.com.tw/a/1')).toEqual([]);
    const found = await search(
      inject,
      other.map((p) => p.fullHash.subarray(0, 4).toString('base64url')),
    );
    expect(found.fullHashes).toContainEqual(
      expect.objectContaining({
        fullHash: sha256('hash-scam-site.com.tw/').toString('base64url'),
        kind: 'domain',
        status: 'site_confirmed',
      }),
    );
  });

  it('publishes a published blocklist domain without a case, and not a proposed one', async () => {
    const post = async (url: string, payload: object) => {
      const res = await ctx.app.inject({ method: 'POST', url, headers: adminHeaders, payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    const active = await post('/api/v1/blocklist/entries', { domain: 'hash-blocked.com.tw' });
    await post(`/api/v1/blocklist/entries/${active.entry.id}/activate`, {
      legalBasis: { kind: 'court_ruling', reference: '115年度聲字第14號', date: '2026-11-28' },
      requestingUnit: '刑事警察局',
    });
    await post('/api/v1/blocklist/entries', { domain: 'hash-proposed.com.tw' });
    await republish();
    const found = await search(inject, [
      prefixOf('hash-blocked.com.tw/'),
      prefixOf('hash-proposed.com.tw/'),
    ]);
    expect(found.fullHashes).toEqual([
      {
        fullHash: sha256('hash-blocked.com.tw/').toString('base64url'),
        kind: 'domain',
        status: 'blocked',
        label: {
          'zh-TW': '詐騙網站，已停止解析',
          en: 'Scam website — blocked (no longer resolved)',
        },
      },
    ]);
  });

  it('updates incrementally: additions and removal indices give exactly the whole list', async () => {
    /** Publishes the changes made since `previous`; expects and returns the next version. */
    const nextVersion = async (previous: HashListResponse) => {
      await republish();
      const next = await list(inject, 'indicators');
      expect(next.version).toBe(previous.version + 1);
      return next;
    };
    const v1 = await list(inject, 'indicators');
    const copy1 = prefixesOf(v1);
    const added = await reportText('加LINE: hxinc01 領獎 0912-000-201');
    await decide(added, 'fraud');
    const dropped = await reportText('加LINE: hxinc02 領獎');
    await decide(dropped, 'fraud');
    const v2 = await nextVersion(v1);
    const copy2 = prefixesOf(v2);

    // The second change removes one (not fraud after all) and adds another.
    await decide(dropped, 'not_fraud');
    const later = await reportText('加LINE: hxinc03 領獎');
    await decide(later, 'high_risk');
    const v3whole = await nextVersion(v2);
    const copy3 = prefixesOf(v3whole);

    for (const [from, copy] of [
      [v1.version, copy1],
      [v2.version, copy2],
    ] as const) {
      const update = await list(inject, 'indicators', from);
      expect(update).toMatchObject({ partial: true, version: v3whole.version });
      expect(update.checksum).toBe(v3whole.checksum);
      const applied = applyUpdate(copy, {
        additions: prefixesFromBytes(Buffer.from(update.additions, 'base64')),
        removalIndices: update.removalIndices,
      });
      expect([...applied]).toEqual([...copy3]);
      expect(listChecksum(applied)).toBe(update.checksum);
    }
    const fromV2 = await list(inject, 'indicators', v2.version);
    expect(fromV2.removalIndices).toEqual([
      copy2.indexOf(sha256('line_id:hxinc02').readUInt32BE(0)),
    ]);
    expect(prefixesFromBytes(Buffer.from(fromV2.additions, 'base64'))).toEqual(
      Uint32Array.from([sha256('line_id:hxinc03').readUInt32BE(0)]),
    );
    // Up to date: an empty update. Unknown versions: the whole list.
    expect(await list(inject, 'indicators', v3whole.version)).toEqual({
      ...v3whole,
      partial: true,
      additions: '',
    });
    for (const unknown of [0, v3whole.version + 5]) {
      expect(await list(inject, 'indicators', unknown)).toEqual(v3whole);
    }
  });

  it('answers from the current version while the next is published in the background', async () => {
    const before = await list(inject, 'indicators');
    const id = await reportText('加LINE: hxbackground01 背景');
    await decide(id, 'fraud');
    ctx.clock.advance(PAST_PUBLISH_INTERVAL_MS);
    // This request starts the run and is answered at once from the version it had.
    expect((await list(inject, 'indicators')).version).toBe(before.version);
    let after = before;
    for (let attempt = 0; attempt < 200 && after.version === before.version; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      after = await list(inject, 'indicators', before.version);
    }
    expect(after).toMatchObject({ version: before.version + 1, partial: true });
    expect(prefixesFromBytes(Buffer.from(after.additions, 'base64'))).toContain(
      sha256('line_id:hxbackground01').readUInt32BE(0),
    );
  });

  it('holds distinct prefixes: colliding full hashes share one prefix until both are gone', async () => {
    const [first, second] = COLLIDING_LINE_IDS;
    const prefix = sha256(`line_id:${first}`).readUInt32BE(0);
    expect(sha256(`line_id:${second}`).readUInt32BE(0)).toBe(prefix);
    const a = await reportText(`加LINE: ${first} 保證獲利`);
    const b = await reportText(`加LINE: ${second} 保證獲利`);
    await decide(a, 'fraud');
    await decide(b, 'fraud');
    await republish();
    const before = await list(inject, 'indicators');
    const copy = prefixesOf(before);
    expect(copy.filter((p) => p === prefix)).toHaveLength(1);
    const both = await search(inject, [prefixOf(`line_id:${first}`)]);
    expect(both.fullHashes.map((h) => h.fullHash).sort()).toEqual(
      [first, second].map((id) => sha256(`line_id:${id}`).toString('base64url')).sort(),
    );

    await decide(a, 'not_fraud');
    await republish();
    const one = await list(inject, 'indicators', before.version);
    // The prefix set did not change: same version, empty update.
    expect(one).toMatchObject({ version: before.version, partial: true, additions: '' });
    expect((await search(inject, [prefixOf(`line_id:${first}`)])).fullHashes).toHaveLength(1);

    await decide(b, 'not_fraud');
    await republish();
    const gone = await list(inject, 'indicators', before.version);
    expect(gone.removalIndices).toEqual([copy.indexOf(prefix)]);
    expect((await search(inject, [prefixOf(`line_id:${first}`)])).fullHashes).toEqual([]);
  });

  it("answers hashes/search from memory, with another node's publication within HASH_SEARCH_HEADS_MS", async () => {
    const lineId = 'hxmemory01';
    const prefix = prefixOf(`line_id:${lineId}`);
    const id = await reportText(`加LINE: ${lineId} 記憶體`);
    await republish();
    // This node's publisher runs at this search (due), so it is not due again for a minute.
    expect((await search(inject, [prefix])).fullHashes).toEqual([]);
    // Another node (the publisher called outside this app) decides and publishes.
    await decide(id, 'fraud');
    ctx.clock.advance(1);
    expect((await publishHashLists(ctx.deps, { force: true })).ran).toBe(true);
    ctx.clock.advance(HASH_SEARCH_HEADS_MS);
    const found = await search(inject, [prefix]);
    expect(found.fullHashes.map((h) => h.fullHash)).toEqual([
      sha256(`line_id:${lineId}`).toString('base64url'),
    ]);
    await decide(id, 'not_fraud');
    ctx.clock.advance(1);
    expect((await publishHashLists(ctx.deps, { force: true })).ran).toBe(true);
    ctx.clock.advance(HASH_SEARCH_HEADS_MS);
    expect((await search(inject, [prefix])).fullHashes).toEqual([]);
  });

  it('serves the same versions from two API nodes on one store, publishing concurrently', async () => {
    const second = await buildApp({ deps: ctx.deps, adminToken: TEST_ADMIN_TOKEN });
    await second.ready();
    try {
      const id = await reportText('加LINE: hxnodes01 兩個節點');
      await decide(id, 'fraud');
      ctx.clock.advance(PAST_PUBLISH_INTERVAL_MS);
      // Both nodes find the lists due at once: the lock lets one publish, the other finds them
      // fresh inside it.
      const runs = await Promise.all([publishHashLists(ctx.deps), publishHashLists(ctx.deps)]);
      expect(runs.map((r) => r.ran).sort()).toEqual([false, true]);
      const [onA, onB] = await Promise.all([
        list(inject, 'indicators'),
        list((o) => second.inject(o), 'indicators'),
      ]);
      expect(onB).toEqual(onA);
      const versions = await ctx.deps.db
        .selectFrom('hash_list_versions')
        .select('version')
        .where('list_name', '=', 'indicators')
        .orderBy('version')
        .execute();
      const numbers = versions.map((v) => Number(v.version));
      expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
      expect(numbers.at(-1)).toBe(onA.version);
      // Forced runs in parallel add no version when nothing changed.
      await Promise.all([
        publishHashLists(ctx.deps, { force: true }),
        publishHashLists(ctx.deps, { force: true }),
      ]);
      expect(await list((o) => second.inject(o), 'indicators', onA.version)).toMatchObject({
        version: onA.version,
        partial: true,
      });
    } finally {
      await second.close();
    }
  });
});

describe.each(testDialects())('hash-prefix history and rate limits on %s', (dialect) => {
  const ctx = useTestApp(dialect, {
    env: {
      NEAR_DUPLICATE_MERGE: 'false',
      HASH_LIST_HISTORY_VERSIONS: '1',
      HASH_SEARCH_RATE_LIMIT_PER_MINUTE: '3',
      HASH_LIST_RATE_LIMIT_PER_MINUTE: '0',
    },
  });

  it('sends the whole list to a client older than the kept history', async () => {
    const inject: Inject = (options) => ctx.app.inject(options);
    const v1 = await list(inject, 'indicators');
    for (const id of ['hxhist01', 'hxhist02']) {
      const report = await submitReportViaApi(ctx.app, { text: `加LINE: ${id} 領獎` });
      await decideCaseViaApi(ctx.app, report.case.id);
      ctx.clock.advance(PAST_PUBLISH_INTERVAL_MS);
      await publishHashLists(ctx.deps);
    }
    const v3 = await list(inject, 'indicators');
    expect(v3.version).toBe(v1.version + 2);
    // One version kept: from v2 an update, from v1 the whole list.
    expect((await list(inject, 'indicators', v1.version + 1)).partial).toBe(true);
    expect(await list(inject, 'indicators', v1.version)).toEqual(v3);
  });

  it('limits hashes/search per client', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push(
        (await ctx.app.inject({ url: '/api/v1/hashes/search?prefixes=AAAAAA' })).statusCode,
      );
    }
    expect(codes).toEqual([200, 200, 200, 429]);
  });
});

// Pools large enough that many full hashes have one holder and some have several.
const RANDOM_DOMAINS = Array.from({ length: 6 }, (_, i) => `hx-site-${i}.com.tw`);
const RANDOM_PATHS = ['/', '/p/1', '/login', '/gift?id=9'];
const RANDOM_PHONES = Array.from({ length: 10 }, (_, i) => `09123456${String(i).padStart(2, '0')}`);
const RANDOM_LINE_IDS = [
  ...Array.from({ length: 10 }, (_, i) => `hxrand${String(i).padStart(2, '0')}`),
  ...COLLIDING_LINE_IDS,
];
const RANDOM_WORDS = ['保證獲利', '加入群組', '飆股明牌', '免費領取', '限時優惠', '中獎通知'];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

/** A site URL: a registrable domain or a subdomain of one, with a path (`/` often). */
function randomUrl(random: () => number): string {
  const sub = random() < 0.3 ? `${pick(random, ['www', 'm', 'shop'])}.` : '';
  return `https://${sub}${pick(random, RANDOM_DOMAINS)}${pick(random, RANDOM_PATHS)}`;
}

/** A message with a few words and some of a phone, a LINE ID and a link. */
function randomMessage(random: () => number): string {
  const parts: string[] = [];
  for (let i = 0; i < 3 + Math.floor(random() * 4); i++) parts.push(pick(random, RANDOM_WORDS));
  if (random() < 0.6) parts.push(`電話 ${pick(random, RANDOM_PHONES)}`);
  if (random() < 0.6) parts.push(`加LINE ID: ${pick(random, RANDOM_LINE_IDS)}`);
  if (random() < 0.3) parts.push(randomUrl(random));
  return parts.join('，');
}

describe.each(testDialects())('the incremental hash-list publisher on %s', (dialect) => {
  const ctx = useTestApp(dialect, {
    // Runs only when the test asks: requests never start one in the background.
    env: {
      HASH_LIST_PUBLISH_SECONDS: '86400',
      HASH_LIST_RATE_LIMIT_PER_MINUTE: '0',
      HASH_SEARCH_RATE_LIMIT_PER_MINUTE: '0',
      NEAR_DUPLICATE_MERGE: 'false',
    },
  });

  const inject: Inject = (options) => ctx.app.inject(options);
  const post = (url: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url, headers: adminHeaders, payload });

  /** The published entries of each list as `hash kind status`, sorted. */
  async function publishedEntries(): Promise<Record<string, string[]>> {
    const rows = await ctx.deps.db
      .selectFrom('hash_entries')
      .select(['list_name', 'full_hash', 'prefix', 'kind', 'status'])
      .execute();
    const out: Record<string, string[]> = { urls: [], indicators: [] };
    for (const r of rows) {
      expect(r.prefix).toBe(r.full_hash.slice(0, 8));
      out[r.list_name]?.push(`${r.full_hash} ${r.kind} ${r.status}`);
    }
    for (const list of Object.values(out)) list.sort();
    return out;
  }

  /** What a full recomputation wants, in publishedEntries' form, and each list's prefixes. */
  async function wantedEntries() {
    const wanted = await warnWorthyEntries(ctx.deps);
    const entries: Record<string, string[]> = {};
    const prefixes: Record<string, Uint32Array> = {};
    for (const name of ['urls', 'indicators'] as const) {
      const held = [...wanted[name]];
      entries[name] = held.map(([hash, e]) => `${hash} ${e.kind} ${e.status}`).sort();
      prefixes[name] = sortedDistinct(held.map(([hash]) => Number.parseInt(hash.slice(0, 8), 16)));
    }
    return { entries, prefixes };
  }

  /**
   * A case reported with LINE ID `lineId`, decided fraud and published, and whether a list's
   * entries (publishedEntries' form) hold its full hash.
   */
  async function publishedFraudCase(lineId: string) {
    const caseId = await reportTextIn(ctx, `加LINE: ${lineId} 保證獲利`);
    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    await publishHashLists(ctx.deps, { force: true });
    const fullHash = sha256(`line_id:${lineId}`).toString('hex');
    const holds = (entries: Record<string, string[]>) =>
      entries.indicators?.some((e) => e.startsWith(fullHash)) === true;
    expect(holds(await publishedEntries())).toBe(true);
    return { caseId, holds };
  }

  it('publishes after each round of random changes exactly what a full recomputation does', async () => {
    const random = seededRandom(dialect === 'sqlite' ? 1401 : 1402);
    const caseIds: string[] = [];
    const fraudCases: string[] = [];
    const blockEntries: string[] = [];
    const done = { report: 0, verdict: 0, merge: 0, block: 0, lift: 0 };
    const modes: string[] = [];
    let changedPrefixSets = 0;
    // Entries that disappeared, and that changed state, between two runs.
    let removed = 0;
    let restated = 0;
    let previous: Record<string, string[]> = {};
    // The lists as a client holds them, to check each version's update too.
    const copies = new Map<string, { version: number; prefixes: Uint32Array }>();
    for (const name of ['urls', 'indicators']) {
      const whole = await list(inject, name);
      copies.set(name, { version: whole.version, prefixes: prefixesOf(whole) });
    }
    for (let round = 0; round < 12; round++) {
      for (let op = 0; op < 10; op++) {
        const roll = random();
        ctx.clock.advance(60_000);
        if (roll < 0.45 || caseIds.length < 3) {
          const text = random() < 0.7 ? randomMessage(random) : undefined;
          const url = text === undefined || random() < 0.3 ? randomUrl(random) : undefined;
          const res = await ctx.app.inject({
            method: 'POST',
            url: '/api/v1/reports',
            payload: {
              ...(text === undefined ? {} : { text }),
              ...(url === undefined ? {} : { url, platform: 'website' }),
            },
          });
          expect(res.statusCode, res.body).toBe(201);
          const id: string = res.json().case.id;
          if (!caseIds.includes(id)) caseIds.push(id);
          done.report++;
        } else if (roll < 0.75) {
          const verdict = pick(random, [
            'fraud',
            'fraud',
            'high_risk',
            'not_fraud',
            'not_fraud',
          ] as const);
          // Half the time a case decided a scam before, so entries are downgraded and removed.
          const id =
            verdict !== 'fraud' && fraudCases.length > 0 && random() < 0.5
              ? pick(random, fraudCases)
              : pick(random, caseIds);
          const res = await post(`/api/v1/cases/${id}/verdict`, { verdict });
          if (res.statusCode === 200) done.verdict++;
          if (res.statusCode === 200 && verdict === 'fraud') fraudCases.push(id);
        } else if (roll < 0.85) {
          const res = await post(`/api/v1/cases/${pick(random, caseIds)}/merge`, {
            sourceCaseId: pick(random, caseIds),
          });
          if (res.statusCode === 200) done.merge++;
        } else if (roll < 0.95 || blockEntries.length === 0) {
          if (fraudCases.length === 0) continue;
          const proposed = await post('/api/v1/blocklist/entries/from-case', {
            caseId: pick(random, fraudCases),
          });
          const entryId: unknown =
            proposed.statusCode < 300 ? proposed.json().entry?.id : undefined;
          if (typeof entryId !== 'string') continue;
          const activated = await post(`/api/v1/blocklist/entries/${entryId}/activate`, {
            legalBasis: {
              kind: 'court_ruling',
              reference: '115年度聲字第14號',
              date: '2026-11-28',
            },
            requestingUnit: '刑事警察局',
          });
          if (activated.statusCode === 200) {
            done.block++;
            blockEntries.push(entryId);
          }
        } else {
          const entryId = pick(random, blockEntries);
          const lifted = await post(`/api/v1/blocklist/entries/${entryId}/lift`, {
            note: '法院撤銷裁定',
          });
          if (lifted.statusCode === 200) done.lift++;
        }
      }

      // In chunks of three cases, so runs span several transactions.
      const run = await publishHashLists(ctx.deps, { force: true, chunkCases: 3 });
      expect(run.ran).toBe(true);
      modes.push(run.mode ?? 'none');
      const wanted = await wantedEntries();
      const published = await publishedEntries();
      expect(published, `round ${round}`).toEqual(wanted.entries);
      for (const name of ['urls', 'indicators']) {
        const now = new Map(published[name]?.map((e) => [e.slice(0, 64), e]));
        for (const entry of previous[name] ?? []) {
          const after = now.get(entry.slice(0, 64));
          if (after === undefined) removed++;
          else if (after !== entry) restated++;
        }
      }
      previous = published;
      for (const name of ['urls', 'indicators'] as const) {
        const before = copies.get(name);
        if (before === undefined) throw new Error(name);
        const whole = await list(inject, name);
        const prefixes = prefixesOf(whole);
        expect([...prefixes], `${name} round ${round}`).toEqual([...(wanted.prefixes[name] ?? [])]);
        expect(whole.checksum).toBe(listChecksum(wanted.prefixes[name] ?? new Uint32Array()));
        // A new version exactly when the set of prefixes changed.
        const changed = [...prefixes].join() !== [...before.prefixes].join();
        if (changed) changedPrefixSets++;
        expect(whole.version, `${name} round ${round}`).toBe(before.version + (changed ? 1 : 0));
        expect(run.versions[name]).toBe(whole.version);
        const update = await list(inject, name, before.version);
        if (changed) {
          const applied = applyUpdate(before.prefixes, {
            additions: prefixesFromBytes(Buffer.from(update.additions, 'base64')),
            removalIndices: update.removalIndices,
          });
          expect([...applied]).toEqual([...prefixes]);
        }
        copies.set(name, { version: whole.version, prefixes });
      }
    }
    // Every run after the first applied the changes only; the history did every kind of change
    // and changed the prefix sets (not only empty lists).
    expect(modes.every((mode) => mode === 'incremental')).toBe(true);
    expect(Math.min(...Object.values(done))).toBeGreaterThan(0);
    expect(changedPrefixSets).toBeGreaterThan(5);
    expect(removed).toBeGreaterThan(3);
    expect(restated).toBeGreaterThan(0);
    const entries = await publishedEntries();
    expect(entries.urls?.length).toBeGreaterThan(3);
    expect(entries.indicators?.length).toBeGreaterThan(3);
    // A full run then finds nothing to change: the holdings the incremental runs kept are the
    // store's.
    const versions = (await publishHashLists(ctx.deps, { force: true })).versions;
    const holdings = await ctx.deps.db.selectFrom('hash_holdings').selectAll().execute();
    const full = await publishHashLists(ctx.deps, { force: true, full: true });
    expect(full).toMatchObject({ ran: true, mode: 'full', versions });
    expect(await publishedEntries()).toEqual(entries);
    const sortHoldings = (rows: typeof holdings) =>
      rows.map((r) => JSON.stringify({ ...r, report_count: Number(r.report_count) })).sort();
    expect(
      sortHoldings(await ctx.deps.db.selectFrom('hash_holdings').selectAll().execute()),
    ).toEqual(sortHoldings(holdings));
  });

  it('recomputes in full when lookup_changes was pruned past its cursor, or it has none', async () => {
    await publishHashLists(ctx.deps, { force: true });
    const pruned = await reportTextIn(ctx, '加LINE: hxpruned01 保證獲利');
    await decideCaseViaApi(ctx.app, pruned, 'fraud');
    const last = await ctx.deps.db
      .selectFrom('lookup_changes')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const kept = await reportTextIn(ctx, '加LINE: hxpruned02 保證獲利');
    await decideCaseViaApi(ctx.app, kept, 'fraud');
    // The rows of the first case's changes are gone (pruneChanges keeps the newest only).
    await ctx.deps.db.deleteFrom('lookup_changes').where('id', '<=', Number(last.id)).execute();
    const run = await publishHashLists(ctx.deps, { force: true });
    ctx.clock.advance(HASH_SEARCH_HEADS_MS);
    const found = await search(inject, [
      prefixOf('line_id:hxpruned01'),
      prefixOf('line_id:hxpruned02'),
    ]);
    expect(found.fullHashes.map((h) => h.fullHash).sort()).toEqual(
      ['hxpruned01', 'hxpruned02']
        .map((id) => sha256(`line_id:${id}`).toString('base64url'))
        .sort(),
    );
    expect(run).toMatchObject({ ran: true, mode: 'full' });
    // Then incremental again, from the cursor the full run took (on PostgreSQL it may read again
    // the changes of transactions that were running then).
    const next = await publishHashLists(ctx.deps, { force: true });
    expect(next.mode).toBe('incremental');
    if (dialect === 'sqlite') expect(next.changedCases).toBe(0);

    // Without a cursor (lists published before migration 0035): in full.
    await decideCaseViaApi(ctx.app, pruned, 'not_fraud');
    await ctx.deps.db.deleteFrom('hash_list_cursor').execute();
    expect(await publishHashLists(ctx.deps, { force: true })).toMatchObject({ mode: 'full' });
    ctx.clock.advance(HASH_SEARCH_HEADS_MS);
    const after = await search(inject, [prefixOf('line_id:hxpruned01')]);
    expect(after.fullHashes).toEqual([]);
  });

  it.runIf(dialect === 'postgres')(
    'stays incremental while a transaction is held open, and applies its change when it commits',
    async () => {
      const { caseId: late, holds: holdsLate } = await publishedFraudCase('hxlate01');
      const busy = await reportTextIn(ctx, '加LINE: hxbusy01 保證獲利');
      const held = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await held.connect();
      const runs: PublishSummary[] = [];
      try {
        await held.query(`set search_path to ${ctx.schema ?? 'public'}`);
        // Left open over every run below, with a change of its own committed at the end (the
        // case's indicators unlinked: a write no other transaction here waits for).
        await held.query('begin');
        await held.query('delete from case_indicators where case_id = $1', [late]);
        for (let round = 0; round < 4; round++) {
          const id = await reportTextIn(ctx, `加LINE: hxheld0${round} 保證獲利`);
          await decideCaseViaApi(ctx.app, id, 'fraud');
          if (round === 0) {
            // More change rows than one read returns (HASH_LIST_LIMITS.changes), of one case.
            await sql`insert into lookup_changes (case_id)
              select ${busy} from generate_series(1, ${HASH_LIST_LIMITS.changes + 500})`.execute(
              ctx.deps.db,
            );
          }
          ctx.clock.advance(60_000);
          runs.push(await publishHashLists(ctx.deps, { force: true }));
          expect(await publishedEntries(), `round ${round}`).toEqual(
            (await wantedEntries()).entries,
          );
        }
        await held.query('commit');
      } finally {
        await held.query('rollback').catch(() => undefined);
        await held.end();
      }
      expect(runs.map((run) => run.mode)).toEqual(runs.map(() => 'incremental'));
      // Each run read what changed since the one before, not again every change made since the
      // open transaction began.
      expect(runs.map((run) => run.changedCases)).toEqual([2, 1, 1, 1]);
      const committed = await publishHashLists(ctx.deps, { force: true });
      expect(committed).toMatchObject({ mode: 'incremental', changedCases: 1 });
      const wanted = await wantedEntries();
      expect(await publishedEntries()).toEqual(wanted.entries);
      expect(holdsLate(wanted.entries)).toBe(false);
    },
  );

  it('applies changed cases in chunks of their own transactions and publishes once, at the end', async () => {
    const { caseId: gone, holds: holdsGone } = await publishedFraudCase('hxchunkgone');
    // The first change the next run reads takes the case's entry away; then new cases come.
    await decideCaseViaApi(ctx.app, gone, 'not_fraud');
    for (let i = 0; i < 5; i++) {
      const id = await reportTextIn(ctx, `加LINE: hxchunk0${i} 保證獲利`);
      await decideCaseViaApi(ctx.app, id, 'fraud');
    }
    ctx.clock.advance(60_000);
    const heads = () => ctx.deps.db.selectFrom('hash_lists').selectAll().orderBy('name').execute();
    const cursor = () => ctx.deps.db.selectFrom('hash_list_cursor').selectAll().execute();
    const before = {
      heads: await heads(),
      entries: await publishedEntries(),
      cursor: await cursor(),
    };

    // A run that stops after its first chunk: the holdings of two cases were written, nothing
    // was published, and the cursor did not move.
    const stopped = publishHashLists(ctx.deps, {
      force: true,
      chunkCases: 2,
      afterChunk: (chunk) => {
        if (chunk === 1) throw new Error('stopped between chunks');
      },
    });
    await expect(stopped).rejects.toThrow('stopped between chunks');
    expect(await heads()).toEqual(before.heads);
    expect(await publishedEntries()).toEqual(before.entries);
    expect(await cursor()).toEqual(before.cursor);
    const goneHoldings = await ctx.deps.db
      .selectFrom('hash_holdings')
      .select('status')
      .where('holder', '=', gone)
      .execute();
    expect(goneHoldings.map((h) => h.status)).toEqual(['gone']);

    // The next run reads the same changes, applies them in chunks and publishes them all.
    const run = await publishHashLists(ctx.deps, { force: true, chunkCases: 2 });
    expect(run.mode).toBe('incremental');
    expect(run.changedCases).toBeGreaterThanOrEqual(6);
    // One transaction to read the changes, one per chunk of two cases, one to publish.
    expect(run.transactions).toBe(2 + Math.ceil(run.changedCases / 2));
    const wanted = await wantedEntries();
    expect(await publishedEntries()).toEqual(wanted.entries);
    expect(holdsGone(wanted.entries)).toBe(false);
    const marks = await ctx.deps.db
      .selectFrom('hash_holdings')
      .select('holder')
      .where('status', '=', 'gone')
      .execute();
    expect(marks).toEqual([]);
  });

  it('stops a run whose cursor another run moved, or pruning dropped, between its chunks', async () => {
    const cursor = () => ctx.deps.db.selectFrom('hash_list_cursor').selectAll().execute();
    const changeSome = async (tag: string) => {
      for (let i = 0; i < 4; i++) {
        const id = await reportTextIn(ctx, `加LINE: hxmoved${tag}${i} 保證獲利`);
        await decideCaseViaApi(ctx.app, id, 'fraud');
      }
      ctx.clock.advance(60_000);
    };
    await publishHashLists(ctx.deps, { force: true });

    // A full run (another node's, or this node's first after a restart) between two chunks: it
    // may have written holdings older than the chunk's, so this run must not publish its cursor.
    // (Another node: runs in one process wait for each other.)
    await changeSome('a');
    let moved: unknown[] = [];
    const other = await buildTestNode(ctx);
    let overtaken;
    try {
      overtaken = await publishHashLists(ctx.deps, {
        force: true,
        chunkCases: 2,
        afterChunk: async (chunk) => {
          if (chunk !== 1) return;
          await publishHashLists(other.deps, { force: true, full: true });
          moved = await cursor();
        },
      });
    } finally {
      await other.close();
    }
    expect(overtaken).toMatchObject({ ran: false, mode: null });
    expect(moved).toHaveLength(1);
    expect(await cursor()).toEqual(moved);

    // Pruning dropped the cursor between two chunks: the run leaves it dropped (the next is full).
    await changeSome('b');
    const dropped = await publishHashLists(ctx.deps, {
      force: true,
      chunkCases: 2,
      afterChunk: async (chunk) => {
        if (chunk === 1) await ctx.deps.db.deleteFrom('hash_list_cursor').execute();
      },
    });
    expect(dropped).toMatchObject({ ran: false, mode: null });
    expect(await cursor()).toEqual([]);
    const next = await publishHashLists(ctx.deps, { force: true });
    expect(next.mode).toBe('full');
    expect(await publishedEntries()).toEqual((await wantedEntries()).entries);
  });

  it("checksums a list another node published from the node's copy, not a read of it whole", async () => {
    // A second node: a store handle of its own, so its publisher holds no copy of what the
    // first publishes; its lists are due at every request.
    const second = await buildTestNode(ctx);
    const deps = {
      ...second.deps,
      config: {
        ...second.deps.config,
        hashLists: { ...second.deps.config.hashLists, publishSeconds: 0 },
      },
    };
    try {
      const node = newHashListNode();
      await ensurePublished(deps, node);
      expect(node.lastRun?.mode).toBe('full');
      // The first node publishes a version; the second reads it for a client.
      const first = await reportTextIn(ctx, '加LINE: hxseed01 保證獲利');
      await decideCaseViaApi(ctx.app, first, 'fraud');
      const published = await publishHashLists(ctx.deps, { force: true });
      const update = await hashListUpdate(deps, node, 'indicators', undefined);
      expect(update.version).toBe(published.versions.indicators);
      // The second node's next run changes that version.
      const next = await reportTextIn(ctx, '加LINE: hxseed02 保證獲利');
      await decideCaseViaApi(ctx.app, next, 'fraud');
      ctx.clock.advance(1000);
      await ensurePublished(deps, node);
      expect(node.lastRun).toMatchObject({
        mode: 'incremental',
        versions: { indicators: update.version + 1 },
        wholeListReads: 0,
      });
      const whole = await list(inject, 'indicators');
      expect(whole.version).toBe(update.version + 1);
      expect([...prefixesOf(whole)]).toEqual([
        ...((await wantedEntries()).prefixes.indicators ?? []),
      ]);
    } finally {
      await second.close();
    }
  });

  it('keeps the change rows the publisher has not applied when lookup_changes is pruned', async () => {
    const { caseId: late, holds: holdsLate } = await publishedFraudCase('hxprune01');
    const maxId = async () => {
      const row = await ctx.deps.db
        .selectFrom('lookup_changes')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      return Number(row.id);
    };
    /** Prunes every row below the newest, for a node that applied them all. */
    const pruneAll = async (publisherSlack = 1000) => {
      const belowId = (await maxId()) + 1;
      const node = { changeId: belowId, snapshot: null };
      return pruneLookupChanges(ctx.deps, { belowId, node, publisherSlack });
    };
    const other = await reportTextIn(ctx, '加LINE: hxprune02 保證獲利');
    if (dialect === 'postgres') {
      // PostgreSQL: the change is written by a transaction still running at the publisher's
      // next run, with an ID below the rows that run applies, and commits after it.
      const held = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await held.connect();
      try {
        await held.query(`set search_path to ${ctx.schema ?? 'public'}`);
        await held.query('begin');
        await held.query('delete from case_indicators where case_id = $1', [late]);
        await decideCaseViaApi(ctx.app, other, 'fraud');
        expect(await publishHashLists(ctx.deps, { force: true })).toMatchObject({
          mode: 'incremental',
        });
        await held.query('commit');
      } finally {
        await held.query('rollback').catch(() => undefined);
        await held.end();
      }
    } else {
      await decideCaseViaApi(ctx.app, late, 'not_fraud');
      await decideCaseViaApi(ctx.app, other, 'fraud');
    }
    // Rows the publisher applied go; the change it has not applied stays.
    expect(await pruneAll()).toBeGreaterThan(0);
    const left = await ctx.deps.db.selectFrom('lookup_changes').select('case_id').execute();
    expect(left.length).toBeGreaterThan(0);
    const run = await publishHashLists(ctx.deps, { force: true });
    expect(run.mode).toBe('incremental');
    const wanted = await wantedEntries();
    expect(await publishedEntries()).toEqual(wanted.entries);
    expect(holdsLate(wanted.entries)).toBe(false);

    // A publisher further behind than the slack loses its cursor instead: its next run is full.
    await decideCaseViaApi(ctx.app, other, 'not_fraud');
    await pruneAll(0);
    expect(await ctx.deps.db.selectFrom('hash_list_cursor').selectAll().execute()).toEqual([]);
    expect(await publishHashLists(ctx.deps, { force: true })).toMatchObject({ mode: 'full' });
    expect(await publishedEntries()).toEqual((await wantedEntries()).entries);
  });

  it('recomputes everything once a day, which repairs holdings that no change row corrected', async () => {
    const daily = await reportTextIn(ctx, '加LINE: hxdaily01 保證獲利');
    await decideCaseViaApi(ctx.app, daily, 'fraud');
    await publishHashLists(ctx.deps, { force: true, full: true });
    const holdingsOf = () =>
      ctx.deps.db.selectFrom('hash_holdings').selectAll().where('holder', '=', daily).execute();
    const held = await holdingsOf();
    expect(held.length).toBeGreaterThan(0);
    // Drift no lookup_changes row records (a release hashing a site differently): the stored
    // holdings no longer say what the case contributes.
    await ctx.deps.db.deleteFrom('hash_holdings').where('holder', '=', daily).execute();
    ctx.clock.advance(60_000);
    expect((await publishHashLists(ctx.deps, { force: true })).mode).toBe('incremental');
    // On PostgreSQL a run may read again changes of transactions that were running at the last.
    if (dialect === 'sqlite') expect(await holdingsOf()).toEqual([]);
    ctx.clock.advance(24 * 3600 * 1000);
    expect((await publishHashLists(ctx.deps, { force: true })).mode).toBe('full');
    expect(await holdingsOf()).toHaveLength(held.length);
  });
});

async function reportTextIn(ctx: Ctx, text: string): Promise<string> {
  return (await submitReportViaApi(ctx.app, { text })).case.id;
}
