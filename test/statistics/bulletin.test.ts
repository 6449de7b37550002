import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { proposeEntry, activateEntry, transitionEntry } from '../../src/blocklist/index.js';

import { FakeClock } from '../../src/shared/clock.js';
import {
  bulletinCsv,
  bulletinHtml,
  bulletinsAtom,
  generateBulletin,
  getStats,
  getTransparencyReport,
  transparencyCsv,
  transparencyHtml,
  type Bulletin,
} from '../../src/statistics/index.js';
import { decideCase } from '../../src/verification/index.js';
import { adminHeaders, createUser, loginAs, testDialects, useTestApp } from '../harness.js';
import type { TestApp } from '../harness.js';
import { adminRequest, submitTestReport } from '../factories.js';

import type { Actor } from '../../src/policy/index.js';
const GOLDEN = path.join(import.meta.dirname, 'golden');
const ANALYST: Actor = { role: 'analyst', id: 'user:analyst-test' };

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it instead (then review the diff). */
function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

type Ctx = TestApp;

/** One reported message, its platform, when it arrived (UTC) and what was decided when. */
interface Story {
  text: string;
  platform: 'facebook' | 'instagram' | 'line' | 'youtube' | 'website' | 'tiktok';
  receivedAt: string;
  decision?: { verdict: 'fraud' | 'high_risk' | 'not_fraud'; at: string };
  entity?: string;
}

// Weeks are Sunday–Saturday in Asia/Taipei: 2025-W27 is 2025-06-29 to 07-05, i.e.
// [2025-06-28T16:00Z, 2025-07-05T16:00Z); W26 is the week before.
const STORIES: Story[] = [
  // W25 and W26: the baseline of hot keywords.
  {
    text: '老師帶你投資台股飆股，加入群組',
    platform: 'facebook',
    receivedAt: '2025-06-16T02:00:00Z',
    decision: { verdict: 'fraud', at: '2025-06-17T02:00:00Z' },
  },
  {
    text: '股票老師免費報明牌投資',
    platform: 'facebook',
    receivedAt: '2025-06-23T02:00:00Z',
    decision: { verdict: 'fraud', at: '2025-06-24T02:00:00Z' },
    entity: 'ENT-ceo',
  },
  {
    text: '在家工作日領三千元兼職',
    platform: 'line',
    receivedAt: '2025-06-24T03:00:00Z',
    decision: { verdict: 'fraud', at: '2025-06-25T03:00:00Z' },
  },
  {
    text: '網購退款請加客服處理',
    platform: 'website',
    receivedAt: '2025-06-25T03:00:00Z',
    decision: { verdict: 'high_risk', at: '2025-06-26T03:00:00Z' },
  },
  // W27: 虛擬貨幣 rises.
  {
    text: '虛擬貨幣投資保證獲利，老師帶單',
    platform: 'facebook',
    receivedAt: '2025-06-29T01:00:00Z',
    decision: { verdict: 'fraud', at: '2025-06-30T01:00:00Z' },
    entity: 'ENT-ceo',
  },
  {
    text: '加入虛擬貨幣交易所領取獎金 <script>alert(1)</script>',
    platform: 'instagram',
    receivedAt: '2025-06-30T01:00:00Z',
    decision: { verdict: 'fraud', at: '2025-07-01T01:00:00Z' },
    entity: 'ENT-ceo',
  },
  {
    text: '虛擬貨幣出金要先繳保證金',
    platform: 'line',
    receivedAt: '2025-07-01T01:00:00Z',
    decision: { verdict: 'fraud', at: '2025-07-02T01:00:00Z' },
    entity: 'ENT-bank',
  },
  {
    text: '名人推薦虛擬貨幣平台',
    platform: 'youtube',
    receivedAt: '2025-07-02T01:00:00Z',
    decision: { verdict: 'fraud', at: '2025-07-05T15:59:00Z' },
  },
  {
    text: '這是正常的社區公告',
    platform: 'tiktok',
    receivedAt: '2025-07-03T01:00:00Z',
    decision: { verdict: 'not_fraud', at: '2025-07-04T01:00:00Z' },
  },
  // 2025-07-05 in UTC but 07-06 in Taipei: week W28.
  {
    text: '包裹招領請點連結',
    platform: 'website',
    receivedAt: '2025-07-05T16:30:00Z',
    decision: { verdict: 'fraud', at: '2025-07-06T01:00:00Z' },
  },
];

async function seed(ctx: Ctx): Promise<string[]> {
  const now = new Date().toISOString();
  await ctx.deps.db
    .insertInto('entities')
    .values([
      {
        id: 'ENT-ceo',
        kind: 'public_figure',
        name_zh: '知名<執行長>',
        name_en: 'A famous CEO',
        aliases: '[]',
        domains: '[]',
        contact_email: null,
        created_at: now,
        updated_at: now,
        disabled_at: null,
      },
      {
        id: 'ENT-bank',
        kind: 'company',
        name_zh: '某銀行',
        name_en: null,
        aliases: '[]',
        domains: '[]',
        contact_email: null,
        created_at: now,
        updated_at: now,
        disabled_at: null,
      },
    ])
    .execute();
  const caseIds: string[] = [];
  for (const story of STORIES) {
    const { case: created } = await submitTestReport(ctx, {
      text: story.text,
      platform: story.platform,
      receivedAt: story.receivedAt,
    });
    caseIds.push(created.id);
    // The entity is set directly: matching names is triage's business, not what is tested here.
    await ctx.deps.db
      .updateTable('cases')
      .set({ impersonated_entity_id: story.entity ?? null })
      .where('id', '=', created.id)
      .execute();
  }
  // A second report of the first W27 case, received in W27.
  await submitTestReport(ctx, {
    text: '虛擬貨幣投資保證獲利，老師帶單',
    platform: 'facebook',
    receivedAt: '2025-07-03T05:00:00Z',
  });
  const order = STORIES.map((s, i) => ({ s, i }))
    .filter(({ s }) => s.decision !== undefined)
    .sort((a, b) => (a.s.decision?.at ?? '').localeCompare(b.s.decision?.at ?? ''));
  for (const { s, i } of order) {
    if (s.decision === undefined) continue;
    const at = Date.parse(s.decision.at);
    ctx.clock.advance(Math.max(0, at - ctx.clock.now()));
    await decideCase(ctx.deps, ANALYST, caseIds[i] ?? '', { decision: s.decision.verdict });
  }
  return caseIds;
}

describe.each(testDialects())('statistics and the weekly bulletin on %s', (dialect) => {
  const ctx = useTestApp(dialect, {
    clock: new FakeClock('2025-06-15T00:00:00Z'),
    env: { NEAR_DUPLICATE_MERGE: 'false' },
  });

  beforeAll(async () => {
    await seed(ctx);
  }, 60_000);

  it('counts a week of Taipei days against the week before', async () => {
    const stats = await getStats(ctx.deps, { from: '2025-06-29', to: '2025-07-05' });
    expect(stats.period.startsAt).toBe('2025-06-28T16:00:00.000Z');
    expect(stats.reports).toEqual({ current: 6, previous: 3, change: 3, changePercent: 100 });
    expect(stats.confirmed.fraud).toEqual({
      current: 4,
      previous: 2,
      change: 2,
      changePercent: 100,
    });
    expect(stats.confirmed.notFraud.current).toBe(1);
    expect(stats.confirmed.highRisk).toEqual({
      current: 0,
      previous: 1,
      change: -1,
      changePercent: -100,
    });
    const meta = stats.byPlatform.find((g) => g.group === 'meta');
    expect(meta?.fraud.current).toBe(2);
    expect(meta?.newCases.current).toBe(2);
    // Reports, not cases: the W27 Facebook case has two reports.
    expect(meta?.reports).toEqual({ current: 3, previous: 1, change: 2, changePercent: 200 });
    expect(stats.byPlatform.find((g) => g.group === 'google')?.fraud.current).toBe(1);
    // In UTC the same dates also hold the 2025-07-05T16:30Z report (07-06 in Taipei).
    const utc = await getStats(ctx.deps, { from: '2025-06-29', to: '2025-07-05', timeZone: 'UTC' });
    expect(utc.reports.current).toBe(7);
    expect(utc.reports.previous).toBe(3);
    const nextWeek = await getStats(ctx.deps, { from: '2025-07-06', to: '2025-07-12' });
    expect(nextWeek.reports.current).toBe(1);
  });

  it('generates the bulletin deterministically (golden JSON, CSV, HTML)', async () => {
    const a = await generateBulletin(ctx.deps, '2025-W27', [
      '小心「保證獲利」的投資廣告。<b>不要</b>點連結！',
    ]);
    const b = await generateBulletin(ctx.deps, '2025-W27', [
      '小心「保證獲利」的投資廣告。<b>不要</b>點連結！',
    ]);
    expect(a).toEqual(b);
    expect(a.cumulative).toEqual({ since: '2025-06-16', reports: 10, confirmedFraud: 7 });
    expect(a.hotKeywords[0]?.keyword).toBe('虛擬貨幣');
    expect(a.topImpersonated.map((e) => [e.entityId, e.count, e.previousCount])).toEqual([
      ['ENT-ceo', 2, 1],
      ['ENT-bank', 1, 0],
    ]);
    expectGolden('bulletin-2025-W27.json', `${JSON.stringify(a, null, 2)}\n`);
    expectGolden('bulletin-2025-W27.csv', bulletinCsv(a));
    const html = bulletinHtml(a, { json: '/j', csv: '/c', atom: '/a' });
    expectGolden('bulletin-2025-W27.html', html);
    expect(html).not.toContain('<b>不要</b>');
    expect(html).toContain('&lt;b&gt;不要&lt;/b&gt;');
    expect(html).toContain('知名&lt;執行長&gt;');
    expect(html).not.toMatch(/<script/i);
    // Each group named once ("Meta", not "Meta Meta"); words never broken anywhere; the week
    // label stays on one line.
    expect(html).toContain('<th scope="row">Meta</th>');
    expect(html).not.toMatch(/Meta <span lang="en">Meta/);
    expect(html).toContain('<th scope="row">詐騙網站 <span lang="en">Scam websites</span></th>');
    expect(html).not.toContain('overflow-wrap:anywhere');
    expect(html).toContain('<span class="nw">2025-W27</span>');
  });

  it('lets analysts write reminders and publish; the published snapshot never changes', async () => {
    const week = '/api/v1/bulletins/2025-W27';
    const anonymous = await ctx.app.inject({
      method: 'PUT',
      url: `${week}/reminders`,
      payload: { reminders: ['x'] },
    });
    expect(anonymous.statusCode).toBe(401);
    const reporter = await createUser(ctx, { role: 'reporter' });
    const session = await loginAs(ctx, reporter);
    const denied = await ctx.app.inject({
      method: 'PUT',
      url: `${week}/reminders`,
      headers: session.headers,
      payload: { reminders: ['x'] },
    });
    expect(denied.statusCode).toBe(403);

    const saved = await adminRequest(ctx.app, 'PUT', `${week}/reminders`, {
      reminders: ['草稿提醒 <i>draft</i>'],
    });
    expect(saved.json()).toMatchObject({ status: 'draft', reminders: ['草稿提醒 <i>draft</i>'] });
    // The public does not see draft reminders.
    const publicDraft = await ctx.app.inject({ method: 'GET', url: week });
    expect(publicDraft.json()).toMatchObject({ status: 'draft', reminders: [] });

    // The week W28 has not ended by the clock (2025-07-06T01:00Z).
    const early = await adminRequest(
      ctx.app,
      'POST',
      '/api/v1/bulletins/2025-W28/publish',
      undefined,
      409,
    );
    expect(early.json()).toMatchObject({ error: { code: 'bulletin_week_not_over' } });

    const published = await adminRequest(ctx.app, 'POST', `${week}/publish`);
    expect(published.json()).toMatchObject({
      status: 'published',
      publishedAt: '2025-07-06T01:00:00.000Z',
      reminders: ['草稿提醒 <i>draft</i>'],
    });
    const again = await ctx.app.inject({
      method: 'POST',
      url: `${week}/publish`,
      headers: adminHeaders,
    });
    expect(again.json()).toMatchObject({ error: { code: 'bulletin_published' } });
    await adminRequest(ctx.app, 'PUT', `${week}/reminders`, { reminders: ['late'] }, 409);

    // A late report back-dated into W27 changes the figures, not the published bulletin.
    await submitTestReport(ctx, {
      text: '遲到的通報',
      platform: 'line',
      receivedAt: '2025-07-01T09:00:00Z',
    });
    const live = await generateBulletin(ctx.deps, '2025-W27');
    expect(live.reports.current).toBe(7);
    const frozen = await ctx.app.inject({ method: 'GET', url: week });
    expect(frozen.json()).toMatchObject({ status: 'published', reports: { current: 6 } });

    const page = bulletinHtml(frozen.json<Bulletin>(), { json: '/j', csv: '/c', atom: '/a' });
    expect(page).toContain('草稿提醒 &lt;i&gt;draft&lt;/i&gt;');
    expect(page).toContain('<svg role="img"');

    const csv = await ctx.app.inject({ method: 'GET', url: `${week}/csv` });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe(
      'table,rank,key,name_zh,name_en,value,previous,change,change_percent',
    );
    const excel = await ctx.app.inject({ method: 'GET', url: `${week}/csv?bom=true` });
    expect(excel.body).toBe(`\uFEFF${csv.body}`);

    const feed = await ctx.app.inject({ method: 'GET', url: '/api/v1/bulletins/feed.atom' });
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/bulletins' });
    expect(list.json()).toMatchObject({ bulletins: [{ week: '2025-W27' }] });
    expect(feed.body).toBe(
      bulletinsAtom([JSON.parse(frozen.body)], ctx.config.workflow.publicBaseUrl),
    );
    expectGolden('bulletins.atom', feed.body);
  });

  it('lists the published bulletins, newest first, with their headline figures', async () => {
    const before = await ctx.app.inject({ method: 'GET', url: '/api/v1/bulletins' });
    expect(before.statusCode).toBe(200);
    // Only W27 is published so far (previous test); W26 is not listed while a draft.
    expect(before.json<{ bulletins: Bulletin[] }>().bulletins.map((b) => b.week)).toEqual([
      '2025-W27',
    ]);

    const published = await adminRequest(ctx.app, 'POST', '/api/v1/bulletins/2025-W26/publish');
    const w26 = published.json<Bulletin>();

    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/bulletins' });
    const bulletins = list.json<{ bulletins: Bulletin[] }>().bulletins;
    expect(bulletins.map((b) => b.week)).toEqual(['2025-W27', '2025-W26']);
    // W26's headline figures as published: reports and confirmed fraud with the change on the
    // week before (what the web UI's list of bulletins shows).
    expect(bulletins[1]).toEqual({
      week: '2025-W26',
      publishedAt: w26.publishedAt,
      period: w26.period,
      reports: w26.reports,
      confirmedFraud: w26.confirmedFraud,
    });
  });

  it('answers the public statistics API and refuses bad input by field', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/stats?from=2025-06-29&to=2025-07-05',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      reports: { previous: 3 },
      confirmed: { fraud: { current: 4 } },
    });
    const bad = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/stats?from=2025-07-05&to=2025-06-29',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { details: { field: 'to' } } });
    const zone = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/stats?from=2025-06-29&to=2025-07-05&timeZone=Nowhere/City',
    });
    expect(zone.json()).toMatchObject({ error: { details: { field: 'timeZone' } } });
    const week = await ctx.app.inject({ method: 'GET', url: '/api/v1/bulletins/2025-W54' });
    expect(week.json()).toMatchObject({ error: { code: 'invalid_week' } });
  });

  it('reports blocklist activity by legal basis and appeal outcomes (transparency)', async () => {
    const upheld = await proposeEntry(ctx.deps, ANALYST, { domain: 'upheld-scam.com.tw' });
    const rejected = await proposeEntry(ctx.deps, ANALYST, { domain: 'rejected-scam.com.tw' });
    const pending = await proposeEntry(ctx.deps, ANALYST, { domain: 'pending-scam.com.tw' });
    for (const entry of [upheld, rejected, pending]) {
      await activateEntry(ctx.deps, ANALYST, entry.id, {
        legalBasis: {
          kind: 'administrative_disposition',
          reference: '數授產字第1140000001號',
          date: '2025-07-01',
        },
        requestingUnit: '數位發展部',
      });
      await transitionEntry(ctx.deps, ANALYST, entry.id, 'appeal', 'the owner contests');
    }
    await transitionEntry(ctx.deps, ANALYST, upheld.id, 'lift', 'appeal upheld');
    await transitionEntry(ctx.deps, ANALYST, rejected.id, 'reinstate', undefined);
    const report = await getTransparencyReport(ctx.deps, { year: 2025 });
    expect(report.appeals).toEqual({ filed: 3, upheld: 1, rejected: 1, pending: 1 });
    const disposition = report.blocklist.find((b) => b.legalBasis === 'administrative_disposition');
    expect(disposition?.counts).toEqual({
      proposed: 3,
      activated: 3,
      appealed: 3,
      reinstated: 1,
      lifted: 1,
      expired: 0,
    });
    expect(report.statistics.confirmed.fraud.current).toBe(8);
    const csv = transparencyCsv(report);
    expect(csv).toContain('appeals,all,upheld,1,,,\r\n');
    // The standalone file (scamnet transparency --format html): names, never identifiers.
    const page = transparencyHtml(report, '/csv');
    expect(page).toContain('行政處分 Administrative disposition');
    expect(page).toContain('啟用封鎖 <span lang="en">Blocked</span>');
    expect(page).toContain('<th scope="row">Facebook</th>');
    expect(page).not.toMatch(/>(proposed|activated|appealed|reinstated|lifted|expired)</);
    expect(page).not.toMatch(/>(facebook|instagram|youtube|line|meta)</);
    const both = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/transparency?year=2025&from=2025-01-01&to=2025-02-01',
    });
    expect(both.statusCode).toBe(400);
  });
});
