/**
 * The public state of a confirmed fraud website speaks of blocking, from the records (issue 18):
 * confirmed → proposed for blocking → blocked (「已停止解析」 with its legal basis and unit) →
 * suspended during an appeal → blocked again → block ended; never "platform told to remove it".
 * The progress steps follow, in time order. Through the HTTP API on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApp, testDialects, useTestApp, withTempDir } from '../harness.js';
import { createTestEntities, postReport, submitReportViaApi } from '../factories.js';
import { startSmtp } from '../workflow/support.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;
const HOUR = 3_600_000;

describe.each(testDialects())('public state of a fraud website on %s', (dialect) => {
  const ctx = useTestApp(dialect, { env: { SWEEP_INTERVAL_SECONDS: '0' } });

  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers: adminHeaders, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const view = async (id: string) => (await ctx.app.inject({ url: `/api/v1/cases/${id}` })).json();

  it('follows the blocklist entry through every state, with its legal basis', async () => {
    const reported = await postReport(ctx.app, {
      url: 'https://pchome-24h-sale.com.tw/item/9',
      platform: 'website',
    });
    const id: string = reported.json().case.id;
    ctx.clock.advance(HOUR);
    await post(`/api/v1/cases/${id}/verdict`, { verdict: 'fraud' });
    expect((await view(id)).case).toMatchObject({
      status: 'site_confirmed',
      label: { 'zh-TW': '詐騙網站，尚未停止解析' },
      blocking: [],
    });

    ctx.clock.advance(HOUR);
    const proposed = await post('/api/v1/blocklist/entries/from-case', { caseId: id });
    const entryId: string = proposed.entry.id;
    expect((await view(id)).case).toMatchObject({
      status: 'block_proposed',
      blocking: [{ domain: 'pchome-24h-sale.com.tw', state: 'proposed', legalBasis: null }],
    });

    ctx.clock.advance(HOUR);
    await post(`/api/v1/blocklist/entries/${entryId}/activate`, {
      legalBasis: { kind: 'court_ruling', reference: '115年度聲字第9號', date: '2026-11-28' },
      requestingUnit: '刑事警察局',
    });
    const blocked = (await view(id)).case;
    expect(blocked).toMatchObject({
      status: 'blocked',
      label: { 'zh-TW': '詐騙網站，已停止解析' },
      colour: 'red',
      blocking: [
        {
          state: 'active',
          legalBasis: 'court_ruling',
          legalReference: '115年度聲字第9號',
          requestingUnit: '刑事警察局',
        },
      ],
    });
    expect(JSON.stringify(blocked.label)).not.toMatch(/平台|platform/);

    ctx.clock.advance(HOUR);
    await post(`/api/v1/blocklist/entries/${entryId}/appeal`, { note: '網站經營者申訴' });
    expect((await view(id)).case.status).toBe('block_appealed');
    ctx.clock.advance(HOUR);
    await post(`/api/v1/blocklist/entries/${entryId}/reinstate`, {});
    expect((await view(id)).case.status).toBe('blocked');
    ctx.clock.advance(HOUR);
    await post(`/api/v1/blocklist/entries/${entryId}/lift`, { note: '裁定撤銷' });
    expect((await view(id)).case).toMatchObject({
      status: 'block_lifted',
      label: { 'zh-TW': '詐騙網站，已恢復解析' },
    });

    const steps: Array<{ step: string; at: string }> = (
      await ctx.app.inject({ url: `/api/v1/cases/${id}/timeline` })
    ).json().steps;
    // (Triage may have routed it to an agency: that step is not about blocking.)
    expect(steps.map((s) => s.step).filter((s) => !s.startsWith('sent_to_'))).toEqual([
      'reported',
      'triaged',
      'decided',
      'block_proposed',
      'blocked',
      'block_appealed',
      'blocked',
      'block_lifted',
    ]);
    expect(steps.map((s) => s.at)).toEqual(steps.map((s) => s.at).sort());
    expect(steps.map((s) => s.step)).not.toContain('platform_notified');
  });

  it('shows an imported decision with its source and real date, after the report it answers', async () => {
    const { importRows, readImportFile } = await import('../../src/intake/index.js');
    const { writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    await withTempDir('scamnet-status-', async (dir) => {
      const file = path.join(dir, 'suspended.csv');
      writeFileSync(
        file,
        '編號,一頁式詐騙購物網站,偽冒網址,網域名稱,詐騙網站創立日期,接獲通報日期,停止解析日期\n' +
          '1,連至PChome 24H購物網站首頁,https://zq-status-suspended.com.tw/login,' +
          'zq-status-suspended.com.tw,2023-06-10T15:13:38,2023-06-20T00:00:00,2023-06-29T00:00:00\n',
      );
      const summary = await importRows(ctx.deps, readImportFile(file, 'tw165-dns-suspended'));
      expect(summary.accepted).toBe(1);
    });
    const found = (
      await ctx.app.inject({
        url: '/api/v1/lookup?url=https://zq-status-suspended.com.tw/login',
      })
    ).json();
    const id: string = found.cases[0].id;
    expect(found.cases[0]).toMatchObject({
      status: 'blocked',
      label: { 'zh-TW': '詐騙網站，已停止解析' },
    });
    const steps: Array<{ step: string; at: string; detail: Record<string, string> }> = (
      await ctx.app.inject({ url: `/api/v1/cases/${id}/timeline` })
    ).json().steps;
    const times = steps.map((s) => s.at);
    expect(times).toEqual([...times].sort());
    const reportedStep = steps.find((s) => s.step === 'reported');
    const decided = steps.find((s) => s.step === 'decided');
    // 165's dates are Taipei time: 2023-06-20 00:00 is 2023-06-19T16:00Z.
    expect(reportedStep?.at).toBe('2023-06-19T16:00:00.000Z');
    expect(reportedStep?.detail.source).toBe('tw165');
    expect(decided?.detail).toMatchObject({ verdict: 'fraud', source: 'tw165' });
    expect(decided?.at.slice(0, 4)).toBe('2023');
    // The source decided it: it was never sent to anyone for confirmation.
    expect(steps.map((s) => s.step)).not.toContain('sent_to_party');
    expect(steps.map((s) => s.step)).not.toContain('sent_to_agency');
    expect(steps.map((s) => s.step)).not.toContain('removed');
  });
});

describe.each(testDialects())('「已通知本人」 only when the party was asked, on %s', (dialect) => {
  let ctx: Ctx;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    ctx = await buildTestApp(dialect, {
      env: {
        SWEEP_INTERVAL_SECONDS: '0',
        SMTP_URL: smtp.url,
        PUBLIC_BASE_URL: 'https://scamnet.test',
      },
    });
    await createTestEntities(ctx.app, [
      // Reachable only by e-mail (no verifier account or key).
      {
        id: 'zq-mail-figure',
        kind: 'public_figure',
        nameZh: '曾寶儀測',
        nameEn: 'Zq Mail Figure',
        contactEmail: 'office@zq-mail.test',
      },
      // Not reachable at all.
      { id: 'zq-silent-figure', kind: 'public_figure', nameZh: '周杰倫測', nameEn: 'Zq Silent' },
    ]);
  });
  afterAll(async () => {
    await ctx?.close();
    await smtp?.close();
  });

  const statusOf = async (id: string) =>
    (await ctx.app.inject({ url: `/api/v1/cases/${id}` })).json().case.status;
  const report = async (text: string) =>
    (await submitReportViaApi(ctx.app, { text, platform: 'facebook' })).case;
  const routedTo = async (id: string) =>
    (await ctx.app.inject({ url: `/api/v1/cases/${id}/triage`, headers: adminHeaders })).json()
      .routedEntityId;

  it('says so once the decision link reached the party, and never for a party nobody could ask', async () => {
    const mailed = await report('曾寶儀測親自推薦這支飆股，加入投資群組保證獲利');
    expect(await routedTo(mailed.id)).toBe('zq-mail-figure');
    // Routed to the party, but the e-mail has not gone out yet: nobody has been asked.
    expect(mailed.status).toBe('processing');
    const swept = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/sweep',
      headers: adminHeaders,
    });
    expect(swept.json().deliveries.sent).toBe(1);
    expect(smtp.messages.some((m) => m.to.includes('office@zq-mail.test'))).toBe(true);
    expect(await statusOf(mailed.id)).toBe('awaiting_party');

    const silent = await report('周杰倫測演唱會門票抽獎，請先匯款手續費到指定帳戶領獎');
    expect(await routedTo(silent.id)).toBe('zq-silent-figure');
    await ctx.app.inject({ method: 'POST', url: '/api/v1/sweep', headers: adminHeaders });
    expect(await statusOf(silent.id)).toBe('processing');
  });
});
