/**
 * The public figures as a citizen sees them, in a real browser (issue 18, "public reports fit for
 * publication"): /stats, the transparency report (/transparency, the current year, and
 * /transparency/{year}), the published bulletins (/bulletins) and a week's bulletin, in zh-TW and
 * English, at 360 px and on a desktop. Each page has the site's navigation and a language switch
 * that works; axe-core finds no WCAG 2.1 A/AA violation; the visible text names platforms, groups,
 * scam types, states and legal bases in the page's language — never an identifier such as
 * `meta_audience_network` or `fraud_notified`, never English state names on the Chinese page, never
 * a group name twice («Meta Meta»); and no word is broken inside («fa/ce/bo/ok», «202/6-W4/9»):
 * every Latin word, number and week label sits on one line. The 「透明度報告」 link of /stats opens
 * a page (HTTP 200, HTML), not a JSON error. The blocklist's guard refusals read in the UI's
 * language. Screenshots: var/e2e-screenshots/reports-*. Set-up: ./browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { weekOf } from '../../src/statistics/periods.js';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { adminHeaders } from '../harness.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'public statistics, bulletins and transparency report in a real browser';
reportMissingBrowser(SUITE);

/** Words that are identifiers, not text: `meta_audience_network`, `fraud_notified`, … */
const IDENTIFIER = /\b[a-z0-9]+(?:_[a-z0-9]+)+\b/g;
/** English state and action names that must not show on the Chinese pages. */
const ENGLISH_STATES =
  /\b(proposed|activated|appealed|reinstated|lifted|expired|fraud|high risk|not fraud|pending|upheld|rejected|court ruling|administrative disposition)\b/gi;

/**
 * Every Latin word, number or ISO week label (outside charts) whose text is drawn on more than
 * one line, with the lines it was cut into; and every element that must stay on one line (week
 * labels, row names of report tables) that does not.
 */
const BROKEN_WORDS = `(() => {
  const lines = (range) => {
    const tops = new Set();
    for (const rect of range.getClientRects()) {
      if (rect.width > 0 && rect.height > 0) tops.add(Math.round(rect.top));
    }
    return tops.size;
  };
  const main = document.querySelector('main');
  const broken = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node.parentElement.closest('svg, .visually-hidden') !== null) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/\\d{4}-W\\d{2}|[A-Za-z0-9]{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (lines(range) > 1) broken.push(match[0]);
    }
  }
  for (const element of main.querySelectorAll('[data-testid="week-label"], .table--report tbody th')) {
    const range = document.createRange();
    range.selectNodeContents(element);
    if (lines(range) > 1) broken.push('one line: ' + element.textContent);
  }
  return broken;
})()`;

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  let pageErrors: string[] = [];
  // The harness clock is 2026-11-29T02:00Z, 10:00 in Taipei: the week that holds that day.
  const week = weekOf('2026-11-29', 'sunday');
  const weekNumber = Number(week.slice(6));

  const inject = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> => {
    const res = await e2e.server.app.inject({
      method,
      url,
      headers: adminHeaders,
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };

  beforeAll(async () => {
    e2e = await startE2E();
    pageErrors = e2e.pageErrors;
    // Confirmed scams on Facebook, Meta Audience Network, LINE and a website, one high risk:
    // platform names, groups, takedown rows and scam types to show.
    const stories = [
      { text: '加入LINE投資群組，老師帶你穩賺不賠，保證獲利30%', platform: 'facebook' },
      { text: '名人推薦虛擬貨幣，保證獲利，立即加入投資', platform: 'meta_audience_network' },
      { text: '您的包裹地址不完整，請點連結更新資料並支付運費', platform: 'line' },
      { text: '限時特賣名牌包一折，貨到付款', platform: 'website' },
      { text: '恭喜中獎！請先支付手續費才能領取iPhone大獎', platform: 'line' },
    ];
    for (const [i, story] of stories.entries()) {
      const created = await inject('POST', '/api/v1/reports', story);
      const id = (created.case as { id: string }).id;
      await inject('POST', `/api/v1/cases/${id}/verdict`, {
        verdict: i === 4 ? 'high_risk' : 'fraud',
      });
    }
    // Blocklist activity under a legal basis.
    const proposed = await inject('POST', '/api/v1/blocklist/entries', {
      domain: 'shop-scam-e2e.com.tw',
    });
    const entry = proposed.entry as { id: string };
    await inject('POST', `/api/v1/blocklist/entries/${entry.id}/activate`, {
      legalBasis: {
        kind: 'administrative_disposition',
        reference: '數授產字第1150000001號',
        date: '2026-11-20',
      },
      requestingUnit: '數位發展部',
    });
    const report = await inject('GET', '/api/v1/transparency?year=2026');
    const takedown = (report.statistics as { takedown: { platform: string }[] }).takedown;
    // The identifiers these pages must translate are in the data.
    expect(takedown.map((c) => c.platform)).toContain('meta_audience_network');
    // A bulletin is published once its week is over.
    e2e.server.clock.advance(8 * 24 * 3600 * 1000);
    await inject('POST', `/api/v1/bulletins/${week}/publish`);
  }, 180_000);

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  const newPage = (width: number) =>
    e2e.newPage(width, { injectAxe: true, clockAt: e2e.server.clock.now() });

  /** What a person reads: the page's visible text. */
  const visibleText = (page: Page) => page.locator('body').innerText();

  async function expectPresentable(page: Page, what: string, language: 'zh-TW' | 'en') {
    const catalog = language === 'en' ? en : zhTW;
    // The site's header: main navigation and the language switch.
    const nav = page.getByRole('navigation', { name: catalog.nav.label, exact: true });
    await nav.getByRole('link', { name: catalog.nav.stats, exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: catalog.nav.report, exact: true }).count()).toBe(1);
    const reportsNav = page.getByRole('navigation', { name: catalog.reports.navLabel });
    for (const name of [catalog.nav.stats, catalog.stats.bulletins, catalog.stats.transparency]) {
      expect(await reportsNav.getByRole('link', { name, exact: true }).count(), what).toBe(1);
    }
    expect(await page.locator('button.lang-switch').count()).toBe(1);

    const text = await visibleText(page);
    expect(text.match(IDENTIFIER) ?? [], `identifiers on ${what}`).toEqual([]);
    if (language === 'zh-TW') {
      expect(text.match(ENGLISH_STATES) ?? [], `English names on ${what}`).toEqual([]);
    }
    // No group or platform named twice in a row header («Meta Meta»).
    const doubled = await page
      .locator('main tbody th')
      .evaluateAll((cells) =>
        cells.map((c) => c.textContent ?? '').filter((s) => /^(.+) \1$/.test(s)),
      );
    expect(doubled, `names given twice on ${what}`).toEqual([]);
    expect(await page.evaluate(BROKEN_WORDS), `words broken inside on ${what}`).toEqual([]);
  }

  async function switchToEnglish(page: Page): Promise<void> {
    await page.getByRole('button', { name: zhTW.language.switchTo }).click();
    await page.locator('html[lang="en"]').waitFor();
  }

  const PAGES: { path: string; name: string; ready: string; zh: string; en: string }[] = [
    {
      path: '/stats',
      name: 'stats',
      ready: '[data-testid="table-platforms"]',
      zh: zhTW.stats.title,
      en: en.stats.title,
    },
    {
      path: '/transparency',
      name: 'transparency',
      ready: '[data-testid="transparency-takedown"]',
      zh: `${zhTW.transparency.title} 2026 年`,
      en: `${en.transparency.title} 2026`,
    },
    {
      path: '/transparency/2026',
      name: 'transparency-2026',
      ready: '[data-testid="transparency-blocklist"]',
      zh: `${zhTW.transparency.title} 2026 年`,
      en: `${en.transparency.title} 2026`,
    },
    {
      path: '/bulletins',
      name: 'bulletins',
      ready: '[data-testid="bulletin-list"]',
      zh: zhTW.bulletins.title,
      en: en.bulletins.title,
    },
    {
      path: `/bulletins/${week}`,
      name: 'bulletin',
      ready: '[data-testid="chart-bulletin-platforms"] svg',
      zh: `${zhTW.bulletin.title} 2026 年第 ${weekNumber} 週`,
      en: `${en.bulletin.title}: Week ${weekNumber} of 2026`,
    },
  ];

  for (const target of PAGES) {
    it(`${target.path}: navigation, language switch, names and whole words at 360 px and desktop`, async () => {
      for (const width of [360, 1280]) {
        const page = await newPage(width);
        const response = await page.goto(`${e2e.baseUrl}${target.path}`);
        expect(response?.status()).toBe(200);
        expect(response?.headers()['content-type']).toMatch(/^text\/html/);
        await page.locator(target.ready).waitFor();
        expect(await page.locator('main h1').innerText()).toBe(target.zh);
        await expectPresentable(page, `${target.path} (zh-TW, ${width} px)`, 'zh-TW');
        await e2e.screenshot(page, `reports-${target.name}-zh-TW-${width}`);
        await e2e.expectAccessible(page, `${target.path} (zh-TW, ${width} px)`);

        await switchToEnglish(page);
        await page.locator('main h1', { hasText: target.en }).waitFor();
        await page.locator(target.ready).waitFor();
        expect(await page.locator('main h1').innerText()).toBe(target.en);
        await expectPresentable(page, `${target.path} (en, ${width} px)`, 'en');
        await e2e.screenshot(page, `reports-${target.name}-en-${width}`);
        await e2e.expectAccessible(page, `${target.path} (en, ${width} px)`);
      }
      expect(pageErrors).toEqual([]);
    }, 120_000);
  }

  it('names platforms, groups and legal bases in the tables', async () => {
    const page = await newPage(360);
    await e2e.open(page, '/transparency/2026');
    const takedown = page.getByTestId('transparency-takedown');
    await takedown.waitFor();
    expect(await takedown.locator('tr[data-key="meta_audience_network"] th').innerText()).toBe(
      zhTW.platform.meta_audience_network,
    );
    expect(await takedown.locator('tr[data-key="facebook"] th').innerText()).toBe('Facebook');
    const blocklist = page.getByTestId('transparency-blocklist');
    expect(
      await blocklist.locator('tr[data-key="administrative_disposition"] th').innerText(),
    ).toBe(zhTW.legalBasis.administrative_disposition);
    expect(await blocklist.locator('thead th').allInnerTexts()).toContain(
      zhTW.blocklistAction.activated,
    );
    expect(
      await page
        .getByTestId('transparency-platforms')
        .locator('tr[data-key="website"] th')
        .innerText(),
    ).toBe(zhTW.stats.platformGroup.website);

    await e2e.open(page, `/bulletins/${week}`);
    const shares = page.getByTestId('bulletin-platforms');
    await shares.waitFor();
    expect(await shares.locator('tr[data-key="meta"] th').innerText()).toBe('Meta');
    expect(await shares.locator('tr[data-key="meta"] td').first().innerText()).toBe('2');
    expect(pageErrors).toEqual([]);
  });

  it('the transparency link of /stats opens this year’s report, a page (200, HTML)', async () => {
    const direct = await fetch(`${e2e.baseUrl}/transparency`);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('content-type')).toMatch(/^text\/html/);

    const page = await newPage(360);
    await e2e.open(page, '/stats');
    const link = page
      .getByRole('navigation', { name: zhTW.reports.navLabel })
      .getByRole('link', { name: zhTW.stats.transparency, exact: true });
    expect(await link.getAttribute('href')).toBe('/transparency');
    await link.click();
    await page.waitForURL('**/transparency');
    await page.getByTestId('transparency-summary').waitFor();
    expect(await page.locator('main h1').innerText()).toBe(`${zhTW.transparency.title} 2026 年`);
    // Reloaded as a new visitor would open it: a page, not JSON.
    const reloaded = await page.reload();
    expect(reloaded?.status()).toBe(200);
    expect(reloaded?.headers()['content-type']).toMatch(/^text\/html/);
    await page.getByTestId('transparency-summary').waitFor();

    // From the list of bulletins to a week's bulletin.
    await page
      .getByRole('navigation', { name: zhTW.reports.navLabel })
      .getByRole('link', { name: zhTW.stats.bulletins, exact: true })
      .click();
    await page.waitForURL('**/bulletins');
    await page.getByTestId('bulletin-list').getByRole('link', { name: /週/ }).first().click();
    await page.waitForURL(`**/bulletins/${week}`);
    await page.getByTestId('bulletin-platforms').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('the blocklist says why the guard refuses a domain, in the UI language', async () => {
    const page = await e2e.newPage(360, { clockAt: e2e.server.clock.now() });
    await e2e.signInWithToken(page);
    await e2e.open(page, '/staff/blocklist');
    await page.getByText(zhTW.blocklist.propose).click();
    const domain = page.getByLabel(zhTW.blocklist.domain, { exact: true });
    const submit = page.getByRole('button', { name: zhTW.blocklist.proposeSubmit });
    const cases: [string, string][] = [
      ['www.facebook.com', zhTW.blocklist.refusal.platform.replace('{{matched}}', 'facebook.com')],
      ['x.rpz-ip.com.tw', zhTW.blocklist.refusal.rpz_label.replace('{{matched}}', 'rpz-ip')],
      ['shop.invalidtld', zhTW.blocklist.refusal.unknown_tld.replace('{{matched}}', 'invalidtld')],
    ];
    for (const [name, reason] of cases) {
      await domain.fill(name);
      await submit.click();
      const message = zhTW.blocklist.refused.replace('{{message}}', reason);
      await page.getByText(message, { exact: true }).waitFor();
    }
    expect(await visibleText(page)).not.toContain('Refused by the protection guard');
    await e2e.screenshot(page, 'reports-blocklist-refusal-zh-TW-360');

    await switchToEnglish(page);
    await page.getByLabel(en.blocklist.domain, { exact: true }).fill('www.facebook.com');
    await page.getByRole('button', { name: en.blocklist.proposeSubmit }).click();
    const english = en.blocklist.refused.replace(
      '{{message}}',
      en.blocklist.refusal.platform.replace('{{matched}}', 'facebook.com'),
    );
    await page.getByText(english, { exact: true }).waitFor();
    await e2e.screenshot(page, 'reports-blocklist-refusal-en-360');
    expect(pageErrors.filter((e) => !e.startsWith('400 '))).toEqual([]);
  });
});
