/**
 * The home page check in a real browser (issue 18, "what the citizen sees is consistent"): the
 * verdict line agrees with the cases listed under it for a LINE ID typed with `@`, a site only
 * mentioned in a message, a few words and a pasted message; a pasted message of 2,000 Chinese
 * characters is checked (in a POST body, not the address: it failed with HTTP 431) and survives a
 * reload; the report form is offered after a match and after an error; a report holding a known
 * scam's LINE ID says so and links the scam, on the confirmation and on the new case's page.
 * Both languages, phone and desktop widths, axe-clean. Set-up: ./browser.ts.
 */
// The harness first: it loads the app in the order the server does.
import { adminHeaders } from '../harness.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importRows, readImportFile } from '../../src/intake/index.js';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'the home page check in a real browser';
reportMissingBrowser(SUITE);

const COLOURS = ['red', 'yellow', 'grey', 'green'];

/** A real-looking scam message of `length` Chinese characters, unique by `marker`. */
function longMessage(length: number, marker: string): string {
  const base =
    '【投資群組公告】本群由資深分析師帶領，每日提供飆股明牌，保證獲利百分之三十以上，' +
    '名額有限，請盡快匯款入金開通會員資格，逾期不候。';
  let text = `${marker}：`;
  while ([...text].length < length) text += base;
  return [...text].slice(0, length).join('');
}

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  let dir = '';
  let lineCase = '';
  let rumourCase = '';
  const requests: Array<{ method: string; url: string }> = [];

  const api = async (method: string, url: string, payload?: unknown) => {
    const res = await e2e.server.app.inject({
      method: method === 'POST' ? 'POST' : 'GET',
      url,
      headers: method === 'POST' && url.includes('/verdict') ? adminHeaders : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ case: { id: string } }>();
  };

  beforeAll(async () => {
    e2e = await startE2E();
    dir = mkdtempSync(path.join(tmpdir(), 'scamnet-e2e-lookup-'));
    const file = path.join(dir, 'line_ids.csv');
    writeFileSync(file, '\uFEFF編號,帳號,通報日期\n2,lai659,2017/1/2\n');
    await importRows(e2e.server.deps, readImportFile(file, 'tw165-line-ids'));
    const line = await e2e.server.app.inject({ url: '/api/v1/lookup?q=lai659' });
    lineCase = line.json<{ cases: Array<{ id: string }> }>().cases[0]?.id ?? '';
    expect(lineCase).not.toBe('');
    rumourCase = (
      await api('POST', '/api/v1/reports', {
        text: '轉傳：專家說每天喝溫水可以預防中風，詳見 https://udn.com/ 的新聞，請分享給家人',
      })
    ).case.id;
    for (const text of [
      '免費投資理財講座，週六下午兩點在台北開講',
      '退休族如何分配投資組合？銀行理專這樣建議',
    ]) {
      await api('POST', '/api/v1/reports', { text });
    }
  }, 180_000);

  beforeEach(() => {
    e2e.pageErrors.length = 0;
    requests.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  /** Watches the page's API calls (method and path) into `requests`. */
  const watch = (page: Page) => {
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) {
        requests.push({ method: request.method(), url: url.pathname + url.search });
      }
    });
  };

  const check = async (page: Page, query: string, label = zhTW.home.queryLabel) => {
    await page.getByLabel(label).fill(query);
    await page.getByRole('button', { name: zhTW.home.submit, exact: true }).click();
  };

  /**
   * The verdict line agrees with the listed matches: its count is the number of cards, its chip
   * the most serious card's chip (colour and label text).
   */
  const expectVerdictMatchesList = async (page: Page) => {
    const verdict = page.getByTestId('lookup-found');
    await verdict.waitFor();
    const cards = page.getByTestId('lookup-matches').locator('[data-case-id]');
    const count = await cards.count();
    expect(count).toBeGreaterThan(0);
    expect(await verdict.textContent()).toContain(String(count));
    const colours = await cards
      .locator('.chip')
      .evaluateAll((chips) => chips.map((chip) => chip.className));
    const worst = Math.min(
      ...colours.map((c) => COLOURS.findIndex((colour) => c.includes(`chip--${colour}`))),
    );
    const verdictChip = verdict.locator('.chip');
    expect(await verdictChip.getAttribute('class')).toContain(`chip--${COLOURS[worst]}`);
    expect(await verdictChip.textContent()).toBe(
      await cards.first().locator('.chip').textContent(),
    );
    // No other verdict is shown beside it.
    for (const other of ['lookup-not-found', 'lookup-mentioned', 'lookup-words']) {
      expect(await page.getByTestId(other).count(), other).toBe(0);
    }
  };

  it('a LINE ID typed with @ shows the red 165 case under a red verdict, in both languages', async () => {
    const page = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(page, '/');
    await check(page, '@lai659');
    await expectVerdictMatchesList(page);
    expect(await page.getByTestId('lookup-found').getAttribute('data-colour')).toBe('red');
    expect(
      await page.getByTestId('lookup-matches').locator(`[data-case-id="${lineCase}"]`).count(),
    ).toBe(1);
    expect(await page.getByTestId('lookup-matches').textContent()).toContain('LINE ID lai659');
    // The report form is offered after a match too.
    await page.getByRole('heading', { name: zhTW.home.reportAlsoHeading }).waitFor();
    expect(await page.getByLabel(zhTW.report.textLabel).inputValue()).toBe('@lai659');
    await e2e.screenshot(page, 'home-line-id-zh-TW-360');
    await e2e.expectAccessible(page, 'home, a LINE ID on record');

    const desktop = await e2e.newPage(1280, { injectAxe: true });
    await e2e.open(desktop, `/?q=${encodeURIComponent('@lai659')}`);
    await desktop.getByRole('button', { name: zhTW.language.switchTo }).click();
    await desktop.locator('html[lang="en"]').waitFor();
    await expectVerdictMatchesList(desktop);
    expect(await desktop.getByTestId('lookup-found').textContent()).toContain('Known: 1');
    await desktop.getByRole('heading', { name: en.home.reportAlsoHeading }).waitFor();
    await e2e.screenshot(desktop, 'home-line-id-en-1280');
    await e2e.expectAccessible(desktop, 'home, a LINE ID on record, in English');
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);

  it('a few words are a search, not a check; a site only mentioned is not on record', async () => {
    const page = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(page, '/');
    await check(page, '投資');
    await page.getByTestId('lookup-words').waitFor();
    await page.getByTestId('search-hits').waitFor();
    expect(await page.getByTestId('lookup-found').count()).toBe(0);
    expect(await page.getByTestId('lookup-not-found').count()).toBe(0);
    expect(await page.getByTestId('lookup-matches').count()).toBe(0);
    expect(await page.getByTestId('search-hits').locator('[data-case-id]').count()).toBe(2);
    await e2e.screenshot(page, 'home-words-zh-TW-360');
    await e2e.expectAccessible(page, 'home, a word search');

    await check(page, 'https://udn.com/');
    const mentioned = page.getByTestId('lookup-mentioned');
    await mentioned.waitFor();
    expect(await mentioned.textContent()).toContain(zhTW.home.mentionedOnlyUrl);
    expect(await page.getByTestId('lookup-found').count()).toBe(0);
    expect(await page.getByTestId('lookup-matches').count()).toBe(0);
    const mentions = page.getByTestId('lookup-mentions');
    expect(await mentions.locator(`[data-case-id="${rumourCase}"]`).count()).toBe(1);
    await page.getByRole('heading', { name: zhTW.home.reportHeading }).waitFor();
    await e2e.screenshot(page, 'home-mentioned-zh-TW-360');
    await e2e.expectAccessible(page, 'home, a site only mentioned');
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);

  it('checks a pasted 2,000-character Chinese message, reports it, and finds it after a reload', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    watch(page);
    await e2e.open(page, '/');
    const message = longMessage(2000, `e2e${Date.now().toString(36)}`);
    await check(page, message);
    const notFound = page.getByTestId('lookup-not-found');
    await notFound.waitFor();
    // The text went in a POST body, not in an address (a GET of it was refused with 431).
    expect(requests.filter((r) => r.url.startsWith('/api/v1/lookup'))).toEqual([
      { method: 'POST', url: '/api/v1/lookup' },
    ]);
    expect(page.url()).not.toContain('q=');
    expect(await page.getByTestId('lookup-error').count()).toBe(0);

    // Report it from the same page: the form holds the whole message.
    expect(await page.getByLabel(zhTW.report.textLabel).inputValue()).toBe(message);
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    await page.getByTestId('report-outcome').waitFor();
    const outcome = (await page.getByTestId('report-outcome').textContent()) ?? '';
    const caseId = /\bC[0-9A-Z]{4,}\b/.exec(outcome)?.[0] ?? '';
    expect(caseId).not.toBe('');

    // A reload checks again, from the history entry: now it is on record, as the same message.
    await page.reload();
    await page.locator('main h1').waitFor();
    await expectVerdictMatchesList(page);
    expect(
      await page.getByTestId('lookup-matches').locator(`[data-case-id="${caseId}"]`).count(),
    ).toBe(1);
    expect(await page.getByTestId('lookup-matches').textContent()).toContain(
      zhTW.home.reasonMessage,
    );
    await e2e.screenshot(page, 'home-long-message-zh-TW-1280');
    await e2e.expectAccessible(page, 'home, a long message on record');
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);

  it('offers the report form after an error', async () => {
    const page = await e2e.newPage(360);
    await e2e.open(page, '/');
    await check(page, longMessage(5200, 'too long'));
    const error = page.getByTestId('lookup-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(zhTW.errors.query_too_long);
    await page.getByRole('heading', { name: zhTW.home.reportHeading }).waitFor();
    expect(await page.getByLabel(zhTW.report.textLabel).inputValue()).toHaveLength(5200);
    expect(e2e.pageErrors.filter((e) => !e.startsWith('400 /api/v1/lookup'))).toEqual([]);
  }, 60_000);

  it('a report holding a known scam LINE ID warns and links the scam, on its case page too', async () => {
    const page = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(page, '/');
    const message = `老師說加LINE @lai659 就能每天穩賺，名額只剩三位 ${Date.now().toString(36)}`;
    await check(page, message);
    await expectVerdictMatchesList(page);
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    await page.getByTestId('report-outcome').waitFor();
    const warning = page.getByTestId('known-scams');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(
      zhTW.knownScams.line_id.replace('{{value}}', 'lai659'),
    );
    expect(
      await warning
        .getByRole('link', { name: zhTW.knownScams.seeCase.replace('{{id}}', lineCase) })
        .count(),
    ).toBe(1);
    expect(await warning.locator('.chip').getAttribute('class')).toContain('chip--red');
    await e2e.screenshot(page, 'home-known-scam-zh-TW-360');
    await e2e.expectAccessible(page, 'home, a report of a known scam LINE ID');

    // The new case's page says the same.
    const outcome = (await page.getByTestId('report-outcome').textContent()) ?? '';
    const caseId = /\bC[0-9A-Z]{4,}\b/.exec(outcome)?.[0] ?? '';
    await e2e.open(page, `/cases/${caseId}`);
    const onPage = page.getByTestId('known-scams');
    await onPage.waitFor();
    expect(await onPage.locator(`[data-known-scam="${lineCase}"]`).count()).toBe(1);
    await e2e.screenshot(page, 'case-known-scam-zh-TW-360');
    await e2e.expectAccessible(page, 'case page with a known scam');
    // And its link leads to the scam.
    await onPage.getByRole('link').click();
    await page.waitForURL(`**/cases/${lineCase}`);
    await page.getByTestId('case-status').waitFor();
    expect(e2e.pageErrors).toEqual([]);
  }, 90_000);
});
