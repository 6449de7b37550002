/**
 * The ad scanner's feed (issue 15): ads found in ad libraries, posted by a `scanner` key; one
 * report and case per ad (platform + adId); repeated sightings move lastSeenAt; an ad without
 * the commissioner/payer disclosure is flagged as a platform compliance finding.
 */
import { describe, expect, it } from 'vitest';

import { adminHeaders, apiKeyFor, testDialects, useTestApp } from '../harness.js';
import { mergeCasesViaApi } from '../factories.js';

describe.each(testDialects())('the ad scanner feed on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const feed = (headers: Record<string, string>, payload: unknown) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/scanner/ads',
      headers,
      payload: payload as object,
    });
  const ad = (adId: string, extra: Record<string, unknown> = {}) => ({
    adId,
    platform: 'facebook',
    advertiserName: '財經導師 林老師',
    advertiserId: 'fb-page-778',
    payerName: '林老師投資',
    adText: `加入LINE群組，每天領取飆股 ${adId}`,
    landingUrl: `https://line-invest-${adId}.example.test/join`,
    firstSeenAt: '2026-11-28T10:00:00Z',
    lastSeenAt: '2026-11-28T12:00:00Z',
    disclosure: '贊助者：林老師投資',
    ...extra,
  });

  it('makes one case per ad, counts sightings and flags a missing disclosure', async () => {
    const scanner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'scanner',
      sourceName: 'ad-scanner',
    });
    const first = await feed(scanner.headers, {
      ads: [
        ad('9001'),
        ad('9002', { disclosure: '  ', adText: '名牌包限時一折，今天下單明天到貨' }),
        ad('9003', { platform: 'myspace' }),
      ],
    });
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json();
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'accepted',
      'rejected',
    ]);
    expect(body.results[2].error.code).toBe('invalid_platform');

    const again = (
      await feed(scanner.headers, {
        ads: [
          ad('9001', { firstSeenAt: '2026-11-29T01:00:00Z', lastSeenAt: '2026-11-29T03:00:00Z' }),
        ],
      })
    ).json();
    expect(again.results[0]).toMatchObject({
      status: 'duplicate',
      caseId: body.results[0].caseId,
      reportId: body.results[0].reportId,
    });
    const rows = await ctx.deps.db.selectFrom('scanner_ads').selectAll().orderBy('ad_id').execute();
    expect(rows.map((r) => [r.ad_id, Number(r.sightings), Number(r.disclosure_missing)])).toEqual([
      ['9001', 2, 0],
      ['9002', 1, 1],
    ]);
    expect(rows[0]).toMatchObject({
      first_seen_at: '2026-11-28T10:00:00.000Z',
      last_seen_at: '2026-11-29T03:00:00.000Z',
      case_id: body.results[0].caseId,
    });
    const reports = await ctx.deps.db
      .selectFrom('reports')
      .select(['source', 'source_kind', 'external_id'])
      .where('source', '=', 'ad-scanner')
      .orderBy('external_id')
      .execute();
    expect(reports).toEqual([
      { source: 'ad-scanner', source_kind: 'scanner', external_id: 'facebook:9001' },
      { source: 'ad-scanner', source_kind: 'scanner', external_id: 'facebook:9002' },
    ]);
    // The missing disclosure is flagged on the ad's case, publicly.
    const flagged = (
      await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${body.results[1].caseId}` })
    ).json();
    expect(flagged.case.complianceFindings).toEqual([
      {
        kind: 'ad_disclosure_missing',
        platform: 'facebook',
        adId: '9002',
        firstSeenAt: '2026-11-28T10:00:00.000Z',
        lastSeenAt: '2026-11-28T12:00:00.000Z',
      },
    ]);
    expect(body.results[1].caseId).not.toBe(body.results[0].caseId);
    const disclosed = (
      await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${body.results[0].caseId}` })
    ).json();
    expect(disclosed.case.complianceFindings).toEqual([]);
    // Triage scored the ad's case like any other.
    const triaged = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${body.results[0].caseId}/triage`,
      headers: adminHeaders,
    });
    expect(triaged.statusCode).toBe(200);
    expect(typeof triaged.json().riskScore).toBe('number');

    // The statistics, the transparency report and the bulletin count them by source kind; the
    // statistics count the ad without disclosure per platform.
    const stats = (
      await ctx.app.inject({ method: 'GET', url: '/api/v1/stats?from=2026-11-28&to=2026-11-29' })
    ).json();
    const bySource = Object.fromEntries(
      stats.bySource.map((s: { sourceKind: string; reports: { current: number } }) => [
        s.sourceKind,
        s.reports.current,
      ]),
    );
    expect(bySource).toMatchObject({ scanner: 2, citizen: 0, partner: 0 });
    expect(stats.bySource[1].name).toEqual({ 'zh-TW': 'AI 掃描', en: 'AI scanning' });
    expect(stats.adDisclosure).toEqual([{ platform: 'facebook', ads: 2, missingDisclosure: 1 }]);
    const transparency = (
      await ctx.app.inject({ method: 'GET', url: '/api/v1/transparency?year=2026' })
    ).json();
    expect(transparency.statistics.adDisclosure).toEqual(stats.adDisclosure);
    const bulletin = (
      await ctx.app.inject({ method: 'GET', url: '/api/v1/bulletins/2026-W49' })
    ).json();
    const shares = bulletin.bulletin?.sourceShares ?? bulletin.sourceShares;
    expect(shares.find((s: { key: string }) => s.key === 'scanner').count).toBe(2);
  });

  it('takes the feed from a scanner key only, and refuses an oversized feed whole', async () => {
    const one = { ads: [ad('9100')] };
    expect((await feed({}, one)).statusCode).toBe(401);
    const partner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'not-a-scanner',
    });
    const refused = await feed(partner.headers, one);
    expect(refused.statusCode).toBe(403);
    expect((await feed((await apiKeyFor(ctx, { role: 'reporter' })).headers, one)).statusCode).toBe(
      403,
    );
    expect((await feed(adminHeaders, one)).statusCode).toBe(403);

    const scanner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'scanner',
      sourceName: 'oversized-scanner',
    });
    const big = await feed(scanner.headers, {
      ads: Array.from({ length: 1001 }, (_, i) => ad(`big-${i}`)),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('batch_too_large');
    const stored = await ctx.deps.db
      .selectFrom('scanner_ads')
      .select('ad_id')
      .where('source', 'in', ['not-a-scanner', 'oversized-scanner'])
      .execute();
    expect(stored).toEqual([]);
    const late = await feed(scanner.headers, {
      ads: [
        ad('9101', { firstSeenAt: '2026-11-29T00:00:00Z', lastSeenAt: '2026-11-28T00:00:00Z' }),
      ],
    });
    expect(late.json().results[0].error.code).toBe('invalid_seen_at');
  });
  it('needs the disclosure stated (null when the platform showed none), and a short enough adId', async () => {
    const scanner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'scanner',
      sourceName: 'ad-scanner-strict',
    });
    const unread: Record<string, unknown> = ad('9101');
    delete unread.disclosure;
    const refused = await feed(scanner.headers, { ads: [unread] });
    expect(refused.statusCode).toBe(400);
    expect(
      await ctx.deps.db
        .selectFrom('scanner_ads')
        .select('ad_id')
        .where('ad_id', '=', '9101')
        .execute(),
    ).toEqual([]);
    const shown = await feed(scanner.headers, {
      ads: [ad('9102', { disclosure: null }), ad('x'.repeat(151))],
    });
    expect(shown.statusCode, shown.body).toBe(200);
    const results = shown.json().results;
    expect(results[0].status).toBe('accepted');
    expect(results[1]).toMatchObject({ status: 'rejected', error: { code: 'invalid_ad_id' } });
    const row = await ctx.deps.db
      .selectFrom('scanner_ads')
      .select('disclosure_missing')
      .where('ad_id', '=', '9102')
      .executeTakeFirstOrThrow();
    expect(Number(row.disclosure_missing)).toBe(1);
  });

  it('keeps a finding with its ad when the ad’s case is merged into another', async () => {
    const scanner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'scanner',
      sourceName: 'ad-scanner-merge',
    });
    const fed = (
      await feed(scanner.headers, {
        ads: [
          ad('9201', { disclosure: null, adText: '保證獲利的虛擬貨幣課程，限時免費' }),
          ad('9202', { adText: '年終出清家電五折，只到本週日' }),
        ],
      })
    ).json();
    const [lacking, main] = fed.results.map((r: { caseId: string }) => r.caseId);
    await mergeCasesViaApi(ctx.app, main, lacking);
    const findingsOf = async (caseId: string) =>
      (await ctx.app.inject({ url: `/api/v1/cases/${caseId}` })).json().case.complianceFindings;
    expect((await findingsOf(main)).map((f: { adId: string }) => f.adId)).toEqual(['9201']);
    expect(await findingsOf(lacking)).toEqual([]);
  });
});
