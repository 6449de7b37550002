/**
 * The server-rendered public statistics pages in a real browser: the bulletin index (/bulletins),
 * a week's bulletin (/bulletins/{week}) and the transparency report (/transparency). They are
 * public pages, so axe-core must find no WCAG 2.1 A/AA violation on them, at phone and desktop
 * widths; they carry no script (their CSP forbids it) and show charts as SVG with a text
 * alternative. Set-up (build, real server, Chromium): ./browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekOf } from '../../src/statistics/periods.js';
import { adminHeaders } from '../harness.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'public statistics pages in a real browser';
reportMissingBrowser(SUITE);

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  // The harness clock is 2026-11-29T02:00Z, 10:00 in Taipei: the week that holds that day.
  const week = weekOf('2026-11-29', 'sunday');

  beforeAll(async () => {
    e2e = await startE2E();
    const inject = e2e.server.app.inject.bind(e2e.server.app);
    const messages = [
      '加入LINE投資群組，老師帶你穩賺不賠，保證獲利30%',
      '您的包裹地址不完整，請點連結更新資料並支付運費',
      '恭喜中獎！請先支付手續費才能領取iPhone大獎',
    ];
    for (const [i, text] of messages.entries()) {
      const created = await inject({ method: 'POST', url: '/api/v1/reports', payload: { text } });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<{ case: { id: string } }>().case.id;
      const verdict = await inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/verdict`,
        headers: adminHeaders,
        payload: { verdict: i === 2 ? 'high_risk' : 'fraud' },
      });
      expect(verdict.statusCode, verdict.body).toBe(200);
    }
    // A bulletin is published once its week is over.
    e2e.server.clock.advance(8 * 24 * 3600 * 1000);
    const published = await inject({
      method: 'POST',
      url: `/api/v1/bulletins/${week}/publish`,
      headers: adminHeaders,
    });
    expect(published.statusCode, published.body).toBeLessThan(300);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  async function visit(page: Page, path: string, name: string): Promise<void> {
    await e2e.open(page, path);
    // No script on these pages (checked before axe is injected past the CSP).
    expect(await page.locator('script').count()).toBe(0);
    await e2e.screenshot(page, name);
    await e2e.expectAccessible(page, path);
  }

  it('has an index of published bulletins that links to the week, its JSON, CSV and feed', async () => {
    const page = await e2e.newPage(360, { injectAxe: true });
    await visit(page, '/bulletins', 'bulletins-index-360');
    const link = page.locator(`a[href$="/bulletins/${week}"]`);
    expect(await link.count()).toBeGreaterThan(0);
    expect(await page.locator('link[rel="alternate"][type="application/atom+xml"]').count()).toBe(
      1,
    );
    await link.first().click();
    await page.waitForURL(`**/bulletins/${week}`);
    await page.locator('main h1').waitFor();
  });

  it("renders a week's bulletin with charts that have a text alternative", async () => {
    for (const width of [360, 1280]) {
      const page = await e2e.newPage(width, { injectAxe: true });
      await visit(page, `/bulletins/${week}`, `bulletin-${week}-${width}`);
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain(week);
      const charts = page.locator('main svg');
      expect(await charts.count()).toBeGreaterThan(0);
      // Every chart is named for assistive technology (role=img with a label, or a title).
      const unnamed = await page.evaluate(`
        [...document.querySelectorAll('main svg')].filter((svg) => {
          const box = svg.closest('figure');
          const named = svg.getAttribute('aria-label') || svg.querySelector('title') ||
            svg.getAttribute('aria-hidden') === 'true';
          return !named && !(box && box.querySelector('figcaption'));
        }).length
      `);
      expect(unnamed).toBe(0);
      // No horizontal scrolling on a phone.
      const overflow = await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
    }
  });

  it('renders the transparency report of the year', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await visit(page, '/transparency?year=2026', 'transparency-2026-1280');
    expect(await page.locator('main table').count()).toBeGreaterThan(0);
    const phone = await e2e.newPage(360, { injectAxe: true });
    await visit(phone, '/transparency?year=2026', 'transparency-2026-360');
    expect(e2e.pageErrors).toEqual([]);
  });
});
