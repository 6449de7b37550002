/**
 * End to end in a real browser (issue 2's four user steps): a citizen checks an unknown link, is
 * told it is not known, reports it from the same page and sees the new case as 處理中; an analyst
 * signs in with the admin token, opens the case page and sets the verdict to fraud; the label
 * becomes 詐騙網站，尚未停止解析 (red); the registrable domain enters the plain-text domain
 * blocklist once its entry is active with a legal basis (not on the verdict alone). Set-up
 * (build, real server, Chromium): ./browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { TEST_ADMIN_TOKEN } from '../harness.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const ADMIN_TOKEN = TEST_ADMIN_TOKEN;
const SUITE = 'public flow in a real browser';
reportMissingBrowser(SUITE);

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  let baseUrl = '';
  let pageErrors: string[] = [];

  beforeAll(async () => {
    e2e = await startE2E();
    baseUrl = e2e.baseUrl;
    pageErrors = e2e.pageErrors;
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  const newPage = (width: number, options?: { injectAxe?: boolean }) => e2e.newPage(width, options);
  const open = (page: Page, pathAndQuery: string) => e2e.open(page, pathAndQuery);
  const expectAccessible = (page: Page, what: string) => e2e.expectAccessible(page, what);
  const screenshot = (page: Page, name: string) => e2e.screenshot(page, name);

  it('check → not known → report → new case 處理中 → verdict fraud → red label → blocklist', async () => {
    // A unique, never-resolved host under a real public suffix, so the registrable domain is
    // `fake-bank-….com.tw` (Public Suffix List), not the `login.` subdomain.
    const registrable = `fake-bank-e2e-${Date.now().toString(36)}.com.tw`;
    const scamUrl = `https://login.${registrable}/verify?id=42`;
    const page = await newPage(360, { injectAxe: true });

    // 1. Check an unknown link on the home page.
    await open(page, '/');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-TW');
    await screenshot(page, 'home-zh-TW-360');
    await expectAccessible(page, 'home');
    await page.getByLabel(zhTW.home.queryLabel).fill(scamUrl);
    await page.getByRole('button', { name: zhTW.home.submit, exact: true }).click();
    const notFound = page.getByTestId('lookup-not-found');
    await notFound.waitFor();
    expect(await notFound.textContent()).toContain(zhTW.home.notFound);

    // 2. Report it from the same page: the form is prefilled from the query.
    const urlField = page.getByLabel(zhTW.report.urlLabel);
    expect(await urlField.inputValue()).toBe(scamUrl);
    await page.getByLabel(zhTW.report.platformLabel).selectOption('website');
    await screenshot(page, 'home-not-found-zh-TW-360');
    await expectAccessible(page, 'home, not known, with the report form');
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    const outcome = page.getByTestId('report-outcome');
    await outcome.waitFor();
    const outcomeText = (await outcome.textContent()) ?? '';
    const caseId = /\bC[0-9A-Z]{4,}\b/.exec(outcomeText)?.[0];
    expect(caseId, `case id in "${outcomeText}"`).toBeDefined();
    expect(outcomeText).toContain('新案件');
    const newCard = page.locator(`[data-case-id="${caseId}"]`);
    expect(await newCard.locator('.chip').textContent()).toContain('處理中');
    expect(await newCard.locator('.chip').getAttribute('class')).toContain('chip--grey');
    expect(await newCard.getByTestId('report-count').textContent()).toContain('1');
    // Only the outcome is shown now, not "not known yet" above it.
    expect(await page.getByTestId('lookup-not-found').count()).toBe(0);
    await screenshot(page, 'home-reported-zh-TW-360');
    await expectAccessible(page, 'home after reporting');

    // The citizen's case page has the progress timeline and no staff controls.
    await newCard.getByRole('link').click();
    await page.waitForURL(`**/cases/${caseId}`);
    const status = page.getByTestId('case-status').locator('.chip');
    await status.waitFor();
    expect(await status.textContent()).toContain('處理中');
    await page.locator('[data-step="reported"][data-done="true"]').waitFor();
    expect(await page.locator('[data-step="decided"]').getAttribute('data-done')).toBe('false');
    expect(await page.getByRole('heading', { name: zhTW.verdictPanel.heading }).count()).toBe(0);
    expect(await page.getByLabel(zhTW.verdictPanel.noteLabel).count()).toBe(0);

    // 3. The analyst signs in with the admin token (the bootstrap admin) and sets the verdict.
    await open(page, '/signin');
    await page.getByText(zhTW.signIn.withToken).click();
    await page.getByLabel(zhTW.signIn.token, { exact: true }).fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: zhTW.signIn.tokenSubmit }).click();
    await page.waitForURL('**/staff');
    await page.getByTestId('user-bar').waitFor();
    await open(page, `/cases/${caseId}`);
    await status.waitFor();
    await page.getByRole('radio', { name: zhTW.verdict.fraud, exact: true }).check();
    await page.getByLabel(zhTW.verdictPanel.noteLabel).fill('e2e: confirmed phishing page');
    await page.getByRole('button', { name: zhTW.verdictPanel.submit }).click();
    await page.getByTestId('verdict-status').filter({ hasText: '詐騙網站' }).waitFor();
    await page.locator('[data-step="decided"][data-done="true"]').waitFor();

    // The public label changes, in red, with the label text shown (colour is not the only cue).
    // A website: its state is about blocking, never "platform told".
    expect(await status.textContent()).toContain('詐騙網站，尚未停止解析');
    expect(await page.locator('[data-step="blocked"]').getAttribute('data-done')).toBe('false');
    expect(await page.locator('[data-step="platform_notified"]').count()).toBe(0);
    expect(await status.getAttribute('class')).toContain('chip--red');
    await page.locator('.history__note', { hasText: 'e2e: confirmed phishing page' }).waitFor();
    // The token stays in this tab's sessionStorage, never in localStorage.
    expect(await page.evaluate('sessionStorage.getItem("scamnet.adminToken")')).toBe(ADMIN_TOKEN);
    expect(await page.evaluate('JSON.stringify(Object.values(localStorage))')).not.toContain(
      ADMIN_TOKEN,
    );
    await screenshot(page, 'case-fraud-zh-TW-360');
    await expectAccessible(page, 'case page with the verdict panel');

    // A citizen's new lookup now shows the red label — in both languages.
    const citizen = await newPage(1280, { injectAxe: true });
    await open(citizen, `/?q=${encodeURIComponent(scamUrl)}`);
    const found = citizen.locator(`[data-case-id="${caseId}"] .chip`);
    await found.waitFor();
    expect(await found.textContent()).toContain('詐騙網站，尚未停止解析');
    await screenshot(citizen, 'home-found-zh-TW-1280');
    await citizen.getByRole('button', { name: zhTW.language.switchTo }).click();
    await citizen.locator('html[lang="en"]').waitFor();
    expect(await found.textContent()).toContain('Scam website — not blocked yet');
    await screenshot(citizen, 'home-found-en-1280');
    await expectAccessible(citizen, 'home, found, in English');
    await citizen.locator(`[data-case-id="${caseId}"] a`).click();
    await citizen.getByTestId('case-status').waitFor();
    expect(await citizen.locator('main h1').textContent()).toBe(`Case ${caseId}`);
    await screenshot(citizen, 'case-fraud-en-1280');
    await expectAccessible(citizen, 'case page in English');
    await open(citizen, '/report');
    await screenshot(citizen, 'report-en-1280');
    await expectAccessible(citizen, 'report page in English');

    // 4. The registrable domain of the confirmed scam site is blocked once an analyst activates
    // its entry with a legal basis: the plain-text blocklist follows the feeds' rule.
    const domainsNow = async () =>
      (await (await fetch(`${baseUrl}/api/v1/blocklist/domains.txt`)).text())
        .split('\n')
        .map((line) => line.trim());
    expect(await domainsNow()).not.toContain(registrable);
    const staff = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const proposed = await fetch(`${baseUrl}/api/v1/blocklist/entries/from-case`, {
      method: 'POST',
      headers: staff,
      body: JSON.stringify({ caseId }),
    });
    expect(proposed.status).toBeLessThan(300);
    const entry = (await proposed.json()) as { entry: { id: string } };
    const activated = await fetch(
      `${baseUrl}/api/v1/blocklist/entries/${entry.entry.id}/activate`,
      {
        method: 'POST',
        headers: staff,
        body: JSON.stringify({
          legalBasis: { kind: 'court_ruling', reference: '115年度聲字第1號', date: '2026-11-28' },
          requestingUnit: '刑事警察局',
        }),
      },
    );
    expect(activated.status).toBe(200);
    const response = await fetch(`${baseUrl}/api/v1/blocklist/domains.txt`);
    expect(response.status).toBe(200);
    const domains = (await response.text()).split('\n').map((line) => line.trim());
    expect(domains).toContain(registrable);
    expect(domains).not.toContain(`login.${registrable}`);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('shows form errors beside their fields, from the client and from the server', async () => {
    const page = await newPage(360);
    await open(page, '/report');
    const urlField = page.getByLabel(zhTW.report.urlLabel);
    const textField = page.getByLabel(zhTW.report.textLabel);
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    expect(await urlField.getAttribute('aria-invalid')).toBe('true');
    expect(await textField.getAttribute('aria-invalid')).toBe('true');
    await page.getByText(zhTW.errors.url_or_text_required).first().waitFor();

    // The server rejects a link that does not parse; the message sits under the link field.
    await urlField.fill('http://');
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    await page.locator('.field__error').first().waitFor();
    expect(await urlField.getAttribute('aria-invalid')).toBe('true');
    expect(await textField.getAttribute('aria-invalid')).toBe('false');
    const describedBy = (await urlField.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    expect(await page.locator(`[id="${errorId}"]`).textContent()).not.toBe('');
    expect(await page.evaluate('document.activeElement?.name')).toBe('url');
    expect(pageErrors.filter((e) => !e.includes('400'))).toEqual([]);
  }, 60_000);

  it('shows reported HTML and script as text, never runs it', async () => {
    const page = await newPage(1280);
    const payload = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script> e2e ${Date.now()}`;
    await open(page, '/report');
    await page.getByLabel(zhTW.report.textLabel).fill(payload);
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    await page.getByTestId('report-outcome').waitFor();
    await page.locator('[data-case-id] a').click();
    const summary = page.locator('blockquote.summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('<script>window.__pwned=1</script>');
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('lists messages containing a two-character Chinese word as a word search, highlighted', async () => {
    const marker = `e2e${Date.now().toString(36)}`;
    const message = `【蝦皮】您的訂單${marker}因系統錯誤被重複扣款，請加LINE客服辦理退款`;
    const reported = await fetch(`${baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: message }),
    });
    expect(reported.status).toBe(201);
    const caseId = ((await reported.json()) as { case: { id: string } }).case.id;

    const page = await newPage(360, { injectAxe: true });
    // "退款" alone is a word, not something to check: the page says so and lists the messages
    // containing it as a keyword search, with no verdict either way.
    await open(page, `/?q=${encodeURIComponent('退款')}`);
    const hits = page.getByTestId('search-hits');
    await hits.waitFor();
    const card = hits.locator(`[data-case-id="${caseId}"]`);
    await card.waitFor();
    const marks = hits.locator(`li:has([data-case-id="${caseId}"]) mark`);
    expect(await marks.first().textContent()).toBe('退款');
    expect(await page.getByTestId('lookup-words').count()).toBe(1);
    expect(await page.getByTestId('lookup-not-found').count()).toBe(0);
    expect(await page.getByTestId('lookup-found').count()).toBe(0);
    await screenshot(page, 'home-search-zh-TW-360');
    await expectAccessible(page, 'home with keyword search results');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
