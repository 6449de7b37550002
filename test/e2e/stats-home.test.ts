/**
 * Issue 9 in a real browser: the home page's "last 24 hours" lists (most reported, most viewed,
 * each case with its coloured label) after reports are made and a case page is viewed, and the
 * public statistics page /stats (7 / 30 days, ECharts charts with text alternatives, the same
 * numbers as tables) in zh-TW and English, at 360 px and on a desktop, with no WCAG 2.1 AA
 * violations (axe-core) and no Content-Security-Policy errors. Set-up: ./browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { adminHeaders } from '../harness.js';
import { TRENDING_CACHE_MS } from '../../src/cases/index.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'home trending lists and the statistics page in a real browser';
reportMissingBrowser(SUITE);

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  let pageErrors: string[] = [];
  let scamId = '';
  let safeId = '';

  const inject = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
  ): Promise<{ case: { id: string } }> => {
    const res = await e2e.server.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload }),
      ...(url.endsWith('/verdict') ? { headers: adminHeaders } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };

  beforeAll(async () => {
    e2e = await startE2E();
    pageErrors = e2e.pageErrors;
    // Three reports of one scam shop (confirmed fraud), one of a harmless LINE message.
    for (let i = 0; i < 3; i += 1) {
      scamId = (
        await inject('POST', '/api/v1/reports', {
          url: `https://trend-shop-e2e.test/sale?item=1`,
          platform: 'website',
        })
      ).case.id;
    }
    safeId = (
      await inject('POST', '/api/v1/reports', {
        text: '週末家庭聚餐改到晚上七點，記得帶蛋糕。',
        platform: 'line',
      })
    ).case.id;
    await inject('POST', `/api/v1/cases/${scamId}/verdict`, { verdict: 'fraud' });
    await inject('POST', `/api/v1/cases/${safeId}/verdict`, { verdict: 'not_fraud' });
  }, 180_000);

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  const newPage = (width: number, injectAxe: boolean) =>
    e2e.newPage(width, { injectAxe, clockAt: e2e.server.clock.now() });

  async function switchToEnglish(page: Page): Promise<void> {
    await page.getByRole('button', { name: zhTW.language.switchTo }).click();
    await page.locator('html[lang="en"]').waitFor();
  }

  it('home lists the most reported and most viewed cases of the last 24 hours with their labels', async () => {
    // A citizen opens the harmless case's page: one view. (CSP enforced: no axe here.)
    const viewer = await newPage(360, false);
    await e2e.open(viewer, `/cases/${safeId}`);
    await viewer.getByTestId('case-status').waitFor();
    await e2e.open(viewer, '/');
    const reported = viewer.getByTestId('most-reported');
    await reported.waitFor();
    expect(pageErrors).toEqual([]);

    for (const width of [360, 1280]) {
      // The lists are cached for a minute: look a minute later, as a new visitor would.
      e2e.server.clock.advance(TRENDING_CACHE_MS);
      const page = await newPage(width, true);
      await e2e.open(page, '/');
      const mostReported = page.getByTestId('most-reported').locator('li');
      const mostViewed = page.getByTestId('most-viewed').locator('li');
      await mostReported.first().waitFor();
      await page.getByRole('heading', { name: zhTW.trending.heading }).waitFor();
      // Most reports first: the scam shop (3, red), then the harmless message (1, green).
      expect(
        await mostReported.evaluateAll((items) => items.map((i) => i.dataset.trendingCase)),
      ).toEqual([scamId, safeId]);
      const top = mostReported.first();
      expect(await top.locator('.chip').getAttribute('class')).toContain('chip--red');
      expect(await top.locator('.chip').textContent()).toContain('詐騙網站，尚未停止解析');
      expect(await top.getByTestId('trending-count').textContent()).toBe('3 次通報');
      expect(await mostReported.nth(1).locator('.chip').getAttribute('class')).toContain(
        'chip--green',
      );
      // "Most viewed": the harmless case viewed above, and from the second round the scam case
      // too (the first round opens it from the list at the end).
      const viewedIds = await mostViewed.evaluateAll((items) =>
        items.map((i) => i.dataset.trendingCase),
      );
      expect(viewedIds.sort()).toEqual((width === 360 ? [safeId] : [safeId, scamId]).sort());
      expect(await mostViewed.first().getByTestId('trending-count').textContent()).toBe('1 次查看');
      await e2e.screenshot(page, `home-trending-zh-TW-${width}`);
      await e2e.expectAccessible(page, `home with the 24-hour lists (zh-TW, ${width} px)`);

      await switchToEnglish(page);
      await page.getByRole('heading', { name: en.trending.mostReported }).waitFor();
      expect(await top.getByTestId('trending-count').textContent()).toBe('3 reports');
      expect(await top.locator('.chip').textContent()).toContain('Scam website — not blocked yet');
      await e2e.screenshot(page, `home-trending-en-${width}`);
      await e2e.expectAccessible(page, `home with the 24-hour lists (en, ${width} px)`);

      // The list links to the case page.
      await top.getByRole('link').click();
      await page.waitForURL(`**/cases/${scamId}`);
      await page.getByTestId('case-status').waitFor();
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('/stats shows charts and tables for 7 and 30 days in both languages', async () => {
    // With the server's Content-Security-Policy enforced, the charts draw without errors.
    const strict = await newPage(360, false);
    await e2e.open(strict, '/stats');
    await strict.locator('[data-testid="chart-verdicts"] svg').waitFor();
    expect(pageErrors).toEqual([]);

    for (const width of [360, 1280]) {
      const page = await newPage(width, true);
      await e2e.open(page, '/');
      await page.getByRole('link', { name: zhTW.nav.stats, exact: true }).click();
      await page.waitForURL('**/stats');
      // The URL changes before React has rendered the new page: wait for its heading, which
      // times out (and fails) if the statistics page never shows.
      await page.locator('main h1', { hasText: zhTW.stats.title }).waitFor();
      expect(await page.locator('main h1').count()).toBe(1);
      // The bulletins and the transparency report are linked from here.
      const reports = page.getByTestId('reports-nav');
      expect(
        await reports.getByRole('link', { name: zhTW.stats.bulletins }).getAttribute('href'),
      ).toBe('/bulletins');
      expect(
        await reports.getByRole('link', { name: zhTW.stats.transparency }).getAttribute('href'),
      ).toBe('/transparency');
      const verdictChart = page.getByTestId('chart-verdicts');
      await verdictChart.locator('svg').waitFor();
      await page.locator('[data-testid="chart-scam-types"] svg').waitFor();
      await page.locator('[data-testid="chart-platforms"] svg').waitFor();
      expect(await page.getByTestId('stats-period').textContent()).toContain('7 天');
      // The charts are images with a text alternative that carries the numbers.
      expect(await verdictChart.getAttribute('role')).toBe('img');
      expect(await verdictChart.getAttribute('aria-label')).toContain('詐騙 50%');
      expect(await page.getByTestId('chart-platforms').getAttribute('aria-label')).toContain(
        '詐騙網站 1 件',
      );
      // The same numbers as tables.
      const summary = page.getByTestId('stats-summary');
      expect(await summary.locator('tr[data-key="reports"] td').first().textContent()).toBe('4');
      expect(await summary.locator('tr[data-key="fraud"] td').nth(1).textContent()).toBe('50%');
      const website = page.getByTestId('table-platforms').locator('tr[data-key="website"]');
      expect(await website.locator('th').textContent()).toBe('詐騙網站');
      // Reports received on the platform (the scam shop's three), then its decisions.
      expect(await website.locator('td').allTextContents()).toEqual([
        '3',
        '1',
        '0',
        '0',
        '1',
        '50%',
      ]);
      const line = page.getByTestId('table-platforms').locator('tr[data-key="line"] td');
      expect((await line.allTextContents()).slice(1, 4)).toEqual(['0', '0', '1']);
      await e2e.screenshot(page, `stats-zh-TW-${width}`);
      await e2e.expectAccessible(page, `/stats (zh-TW, ${width} px)`);

      // 30 days: the toggle is pressed, the address keeps the choice.
      await page.getByRole('button', { name: zhTW.stats.last30 }).click();
      await page.waitForURL('**/stats?days=30');
      await page.getByTestId('stats-period').filter({ hasText: '30 天' }).waitFor();
      expect(
        await page.getByRole('button', { name: zhTW.stats.last30 }).getAttribute('aria-pressed'),
      ).toBe('true');
      await verdictChart.locator('svg').waitFor();

      await switchToEnglish(page);
      await page.getByRole('heading', { name: en.stats.byScamTypeHeading }).waitFor();
      expect(await page.getByTestId('stats-period').textContent()).toContain('30 days');
      expect(await verdictChart.getAttribute('aria-label')).toContain('fraud 50%');
      await verdictChart.locator('svg text', { hasText: en.stats.notFraud }).first().waitFor();
      expect(await website.locator('th').textContent()).toBe('Scam websites');
      await e2e.screenshot(page, `stats-30-days-en-${width}`);
      await e2e.expectAccessible(page, `/stats (en, 30 days, ${width} px)`);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
