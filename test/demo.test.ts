import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listEntries } from '../src/blocklist/index.js';
import { DEMO_DATA_DIR } from '../src/bootstrap.js';
import {
  DEMO_LIAISON,
  UNDATED_END_DAYS_AGO,
  importDemo,
  placeDemoRows,
  type DemoImportResult,
} from '../src/demo/index.js';

import { readImportFile, type ImportRow } from '../src/intake/index.js';
import { FakeClock } from '../src/shared/clock.js';
import { addDays, localDateOf, weekOf } from '../src/statistics/index.js';
import { listNoticePage } from '../src/takedown/index.js';
import { haveTools } from './blocklist/tools.js';
import { adminHeaders, testDialects, useTestApp, withTempDir } from './harness.js';

import type { Actor } from '../src/policy/index.js';
/** Rows of each demo file (tests use a sample; `npm start` imports them all). */
const ROWS = 30;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Wednesday, 11:00 in Taipei. */
const NOW = '2026-12-09T03:00:00.000Z';
const STAFF: Actor = { role: 'admin', id: 'admin:test' };

interface TrendingEntry {
  count: number;
  case: { id: string; verdict: string; status: string; source: string };
}

async function rowsOf(file: string, format: Parameters<typeof readImportFile>[1]) {
  const rows: ImportRow[] = [];
  for await (const row of readImportFile(path.join(DEMO_DATA_DIR, file), format)) {
    rows.push(row);
    if (rows.length >= ROWS) break;
  }
  return rows;
}

describe('demo date placement', () => {
  it('moves a dated file so its latest date is today in Taipei, keeping the spacing and the real date in the note', async () => {
    const now = Date.parse(NOW);
    const placed = placeDemoRows(
      await rowsOf('phishing_shop_sites_dns_suspended.csv', 'tw165-dns-suspended'),
      true,
      now,
    );
    // 2023-08-16 (the file's latest date) → 2026-12-09, both Taipei dates.
    expect(placed.shiftDays).toBe(1211);
    const inputs = placed.rows.flatMap((r) => ('input' in r ? [r.input] : []));
    expect(inputs[0]).toMatchObject({
      receivedAt: '2026-10-21T16:00:00.000Z', // reported 2023-06-29
      decision: { removedAt: '2026-10-22T16:00:00.000Z' }, // suspended 2023-06-30
    });
    expect(inputs[0]?.decision?.note).toMatch(/原始日期 2023-06-29、移除 2023-06-30，平移 1211 天/);
    for (const input of inputs) {
      expect(Date.parse(input.receivedAt ?? '')).toBeLessThanOrEqual(now);
      expect(Date.parse(input.decision?.removedAt ?? '')).toBeLessThanOrEqual(now);
    }
    expect(Math.max(...inputs.map((i) => Date.parse(i.receivedAt ?? '')))).toBeGreaterThan(
      now - DAY,
    );
  });

  it('places undated rows in file order, before the 7-day window', async () => {
    const now = Date.parse(NOW);
    const placed = placeDemoRows(await rowsOf('cofacts-dev.csv', 'cofacts'), false, now);
    expect(placed.shiftDays).toBeNull();
    const times = placed.rows.flatMap((r) => ('input' in r ? [r.input.receivedAt ?? ''] : []));
    expect(times).toEqual([...times].sort());
    for (const time of times) {
      expect(Date.parse(time)).toBeLessThan(now - UNDATED_END_DAYS_AGO * DAY + DAY);
      expect(Date.parse(time)).toBeLessThan(now - 7 * DAY);
    }
  });
});

describe.each(testDialects())('the demo on %s', (dialect) => {
  const ctx = useTestApp(dialect, { clock: new FakeClock(NOW) });
  let demo: DemoImportResult;
  const now = Date.parse(NOW);
  const get = (url: string) => ctx.app.inject({ url });

  beforeAll(async () => {
    demo = await importDemo(ctx.deps, DEMO_DATA_DIR, { rowsPerFile: ROWS });
  }, 120_000);

  it('blocks the 165 DNS-suspended sites as published: source, unit, basis, effective on the suspension date', async () => {
    expect(demo.blocklist.suspended).toEqual({
      proposed: 0,
      activated: 17,
      duplicates: 0,
      rejected: [],
    });
    const active = await listEntries(ctx.deps, STAFF, { state: 'active', limit: 100 });
    expect(active).toHaveLength(17);
    const shop = active.find((e) => e.domain === 'onlytoppc24.com');
    // The file's dates moved by 1211 days; the basis keeps the date as published.
    expect(shop).toMatchObject({
      source: 'tw165',
      requestingUnit: '內政部警政署 165 反詐騙諮詢專線',
      legalBasis: { kind: 'published_suspension', date: '2023-06-30' },
      effectiveAt: '2026-10-22T16:00:00.000Z',
      expiresAt: null,
    });
    expect(shop?.legalBasis?.reference).toMatch(/165.*編號 1$/);
    expect(shop?.caseIds).toHaveLength(1);
    const kase = (await get(`/api/v1/cases/${shop?.caseIds[0] ?? ''}`)).json().case;
    // Its public status comes from STATUS_PRESENTATION (the lead's status model decides which).
    expect(kase).toMatchObject({ verdict: 'fraud', source: 'tw165' });
    expect(kase.status).not.toBe('processing');
    expect(Date.parse(kase.decidedAt)).toBeGreaterThanOrEqual(Date.parse(kase.firstReportedAt));

    const zone = await get('/api/v1/blocklist/rpz.zone');
    expect(zone.statusCode).toBe(200);
    for (const entry of active) expect(zone.body).toContain(`\n${entry.domain} CNAME .\n`);
    const serial = /IN SOA \S+ \S+ (\d+) /.exec(zone.body)?.[1];
    expect(Number(serial)).toBeGreaterThan(0);
  });

  const bind = haveTools('demo RPZ zone', ['named-checkzone']);
  it.runIf(bind)('serves an RPZ zone that named-checkzone loads', async () => {
    const zone = await get('/api/v1/blocklist/rpz.zone');
    await withTempDir('scamnet-demo-rpz-', async (dir) => {
      const file = path.join(dir, 'rpz.zone');
      writeFileSync(file, zone.body);
      const origin = ctx.config.blocklist.rpzOrigin;
      const result = spawnSync('named-checkzone', ['-i', 'full', origin, file], {
        encoding: 'utf8',
      });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/loaded serial \d+/);
    });
  });

  it('proposes the reported fake-investment sites, awaiting a legal basis, never active', async () => {
    const reported = demo.blocklist.reported;
    expect(reported?.activated).toBe(0);
    expect(reported?.proposed).toBeGreaterThan(0);
    for (const { message } of reported?.rejected ?? []) {
      expect(message).toMatch(/^Refused by the protection guard/);
    }
    const proposed = await listEntries(ctx.deps, STAFF, { state: 'proposed', limit: 100 });
    const invest = proposed.find((e) => e.domain === '0xdappplus.com');
    expect(invest).toMatchObject({ state: 'proposed', legalBasis: null, source: 'tw165' });
    expect(invest?.caseIds.length).toBeGreaterThan(0);
    const zone = (await get('/api/v1/blocklist/rpz.zone')).body;
    const domains = (await get('/api/v1/blocklist/domains.txt')).body.split('\n');
    for (const entry of proposed) {
      expect(zone).not.toContain(`\n${entry.domain} CNAME`);
      expect(domains).not.toContain(entry.domain);
    }
  });

  it('domains.txt holds exactly the domains of the legal-basis feeds', async () => {
    const domains = (await get('/api/v1/blocklist/domains.txt')).body.trim().split('\n');
    const hosts = (await get('/api/v1/blocklist/feeds/hosts.txt')).body
      .split('\n')
      .filter((line) => line.startsWith('0.0.0.0 '))
      .map((line) => line.slice('0.0.0.0 '.length));
    expect(domains).toHaveLength(17);
    expect(domains).toEqual([...hosts].sort());
    expect(domains).toContain('onlytoppc24.com');
    // A high-risk community-listed site and a not-fraud message's link are not blocked.
    expect(domains).not.toContain('10tradeoption.com');
  });

  it('publishes non-empty legal-basis feeds with no 1970 dates', async () => {
    for (const feed of ['hosts.txt', 'adblock.txt', 'entries.csv', 'entries.json', 'stix.json']) {
      const res = await get(`/api/v1/blocklist/feeds/${feed}`);
      expect(res.statusCode, feed).toBe(200);
      expect(res.body, feed).toContain('onlytoppc24.com');
      expect(res.body, feed).not.toMatch(/1970-01-01|"timestamp":"0"/);
    }
    const stix = (await get('/api/v1/blocklist/feeds/stix.json')).json();
    const identity = stix.objects.find((o: { type: string }) => o.type === 'identity');
    expect(Date.parse(identity.created)).toBeGreaterThan(now - DAY);
    const manifestText = (await get('/api/v1/blocklist/feeds/misp/manifest.json')).body;
    expect(manifestText).not.toMatch(/1970-01-01|"timestamp":"0"/);
    const manifest = JSON.parse(manifestText);
    expect(Object.keys(manifest)).toHaveLength(1);
    for (const uuid of Object.keys(manifest)) {
      const event = (await get(`/api/v1/blocklist/feeds/misp/${uuid}.json`)).body;
      expect(event).toContain('onlytoppc24.com');
      expect(event).not.toMatch(/1970-01-01/);
    }
  });

  it('places the activity in a recent window: nothing in the future, decisions after their reports, the latest 165 rows today', async () => {
    const cases = await ctx.deps.db
      .selectFrom('cases')
      .select(['id', 'first_reported_at', 'last_reported_at', 'decided_at', 'removed_at', 'source'])
      .execute();
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(Date.parse(c.last_reported_at), c.id).toBeLessThanOrEqual(now);
      if (c.decided_at !== null) {
        expect(Date.parse(c.decided_at), c.id).toBeLessThanOrEqual(now);
        expect(c.decided_at >= c.first_reported_at, c.id).toBe(true);
      }
      if (c.removed_at !== null) expect(c.removed_at >= (c.decided_at ?? ''), c.id).toBe(true);
    }
    for (const { file, shiftDays } of demo.files) {
      if (shiftDays === null) continue;
      expect(shiftDays, file).toBeGreaterThan(365);
    }
    const recent = cases.filter(
      (c) => c.source === 'tw165' && Date.parse(c.last_reported_at) > now - DAY,
    );
    expect(recent.length).toBeGreaterThan(0);
    const stats = (await get(`/api/v1/stats?from=${addDays(today(), -6)}&to=${today()}`)).json();
    expect(stats.confirmed.fraud.current).toBeGreaterThan(0);
  });

  function today(): string {
    return localDateOf(now, ctx.config.statistics.timeZone);
  }

  it('publishes the bulletin of the last full week', async () => {
    const week = weekOf(addDays(today(), -7), ctx.config.statistics.weekStart);
    expect(demo.bulletinWeek).toBe(week);
    const list = (await get('/api/v1/bulletins')).json();
    expect(list.bulletins.map((b: { week: string }) => b.week)).toContain(week);
    const bulletin = (await get(`/api/v1/bulletins/${week}`)).json();
    expect(bulletin).toMatchObject({ week, status: 'published' });
    expect(Date.parse(bulletin.period.endsAt)).toBeLessThanOrEqual(now);
    expect(Date.parse(bulletin.period.endsAt)).toBeGreaterThan(now - 7 * DAY);
  });

  it('keeps Cofacts rumours and news not_fraud and out of the trending (home) lists', async () => {
    const rumour = (
      await get(
        // The message as Cofacts holds it (a check compares whole messages).
        `/api/v1/lookup?q=${encodeURIComponent('https://youtu.be/Z6bhTwh9qRw 耳垂看出心肌梗塞前兆')}`,
      )
    ).json();
    expect(rumour.cases.find((c: { source: string }) => c.source === 'cofacts')).toMatchObject({
      verdict: 'not_fraud',
      status: 'not_fraud',
    });
    const cofacts = await ctx.deps.db
      .selectFrom('cases')
      .select(['id', 'verdict'])
      .where('source', '=', 'cofacts')
      .execute();
    const notScams = new Set(cofacts.filter((c) => c.verdict === 'not_fraud').map((c) => c.id));
    expect(notScams.size).toBeGreaterThan(0);
    for (const window of ['24h', '7d']) {
      const trending = (await get(`/api/v1/cases/trending?window=${window}&limit=20`)).json();
      const listed: TrendingEntry[] = [...trending.mostReported, ...trending.mostViewed];
      expect(trending.mostReported.length, window).toBeGreaterThan(0);
      for (const { case: kase } of listed) {
        expect(notScams.has(kase.id), `${window}: ${kase.id}`).toBe(false);
        expect(kase.verdict, `${window}: ${kase.id}`).toBe('fraud');
      }
    }
  });

  it('sends takedown notices that the demo LINE liaison acknowledged through the portal', async () => {
    expect(demo.notices.sent).toBeGreaterThan(0);
    expect(demo.notices.acknowledged).toBe(demo.notices.sent);
    const users = (await ctx.app.inject({ url: '/api/v1/users', headers: adminHeaders })).json();
    const liaison = users.users.find((u: { email: string }) => u.email === DEMO_LIAISON.email);
    expect(liaison).toMatchObject({ role: 'platform_liaison', platform: 'line' });
    // What the liaison sees in the portal.
    const actor: Actor = { role: 'platform_liaison', id: `user:${liaison.id}`, platform: 'line' };
    const notices = (await listNoticePage(ctx.deps, actor, {})).items;
    expect(notices.length).toBe(demo.notices.sent);
    for (const notice of notices) {
      expect(notice.platform).toBe('line');
      expect(notice.acknowledgedAt).not.toBeNull();
      const kase = (await get(`/api/v1/cases/${notice.caseId}`)).json().case;
      expect(kase.verdict).toBe('fraud');
      // Delivered through the portal: the liaison's acknowledgement is the delivery.
      expect(notice.state).toBe('acknowledged');
      expect(notice.sentAt).toBe(notice.acknowledgedAt);
      expect(Date.parse(notice.sentAt ?? '')).toBeGreaterThanOrEqual(Date.parse(kase.decidedAt));
      expect(kase.status).toBe('fraud_notified');
      expect(Date.parse(notice.acknowledgedAt ?? '')).toBeLessThanOrEqual(now);
      expect(notice.targets).toContainEqual(expect.objectContaining({ type: 'line_id' }));
    }
  });
});
