/**
 * End to end in a real browser (issue 2's four user steps): a citizen checks an unknown link, is
 * told it is not known, reports it from the same page and sees the new case as 處理中; an analyst
 * opens the case page, enters the admin token and sets the verdict to fraud; the label becomes
 * 詐騙訊息，已通知平台移除 (red); the registrable domain is in the plain-text domain blocklist.
 *
 * Runs the real scamnet server (test/harness buildTestApp: buildApp over a temporary SQLite file,
 * no demo data, the test admin token, a fake clock) listening on 127.0.0.1 port 0 and serving a
 * fresh Vite build of web/, driven by Debian's Chromium through playwright-core.
 * Without Chromium the suite is skipped with a printed reason, or fails when REQUIRE_BROWSER=1.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../harness.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRE_BROWSER = process.env.REQUIRE_BROWSER === '1';
const HAS_BROWSER = existsSync(CHROMIUM);
/** Where the run leaves screenshots of the pages it saw (var/ is git-ignored). */
const SCREENSHOT_DIR = path.join(REPO_ROOT, 'var', 'e2e-screenshots');
const ADMIN_TOKEN = TEST_ADMIN_TOKEN;
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Flags for a quiet, offline, reproducible browser: nothing is fetched except the test server.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const skipReason = `Chromium not found at ${CHROMIUM} (install Debian's "chromium" package or set CHROMIUM_PATH)`;
if (!HAS_BROWSER && !REQUIRE_BROWSER) {
  console.warn(`[e2e] skipping the browser suite: ${skipReason}.`);
}

if (!HAS_BROWSER && REQUIRE_BROWSER) {
  describe('public flow in a real browser', () => {
    it('has a browser to run in (REQUIRE_BROWSER=1)', () => {
      throw new Error(`REQUIRE_BROWSER=1 but ${skipReason}.`);
    });
  });
}

describe.skipIf(!HAS_BROWSER)('public flow in a real browser', () => {
  let workDir = '';
  let server: Awaited<ReturnType<typeof buildTestApp>> | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'scamnet-e2e-'));
    const webRoot = path.join(workDir, 'web');
    // Vitest sets NODE_ENV=test, which would make Vite emit React's development JSX runtime;
    // the page under test must be the production bundle that `npm run build` makes.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: path.join(REPO_ROOT, 'web', 'vite.config.ts'),
        logLevel: 'warn',
        mode: 'production',
        build: { outDir: webRoot, emptyOutDir: true, sourcemap: false },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }

    server = await buildTestApp('sqlite', { env: { WEB_ROOT: webRoot } });
    baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  /**
   * A page `width` CSS pixels wide. `injectAxe` lets axe-core be injected past the server's
   * Content-Security-Policy; leave it off where the CSP itself is under test.
   */
  async function newPage(width: number, options: { injectAxe?: boolean } = {}): Promise<Page> {
    if (browser === undefined) throw new Error('browser not started');
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      locale: 'zh-TW',
      timezoneId: 'Asia/Taipei',
      bypassCSP: options.injectAxe === true,
    });
    const page = await context.newPage();
    // Fail fast with the step that broke instead of running into the test timeout.
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    return page;
  }

  /** Opens a path and waits for the app to render its heading; page errors make the step fail. */
  async function open(page: Page, pathAndQuery: string): Promise<void> {
    await page.goto(`${baseUrl}${pathAndQuery}`);
    try {
      await page.locator('main h1').waitFor();
    } catch (error) {
      throw new Error(
        `${pathAndQuery} did not render; page errors: ${JSON.stringify(pageErrors)}`,
        {
          cause: error,
        },
      );
    }
  }

  /** Runs axe-core on the page as it is now and expects no WCAG 2.1 A/AA violation. */
  async function expectAccessible(page: Page, what: string): Promise<void> {
    if ((await page.evaluate('typeof window.axe')) === 'undefined') {
      await page.addScriptTag({ path: AXE_SCRIPT });
    }
    const violations = await page.evaluate(`
      axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} } })
        .then((result) => result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        })))
    `);
    expect(violations, `axe-core violations on ${what}`).toEqual([]);
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

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
    await screenshot(page, 'home-reported-zh-TW-360');
    await expectAccessible(page, 'home after reporting');

    // 3. The analyst opens the case page and sets the verdict with the admin token.
    await newCard.getByRole('link').click();
    await page.waitForURL(`**/cases/${caseId}`);
    const status = page.getByTestId('case-status').locator('.chip');
    await status.waitFor();
    expect(await status.textContent()).toContain('處理中');
    await page.getByLabel(zhTW.verdictPanel.tokenLabel).fill(ADMIN_TOKEN);
    await page.getByRole('radio', { name: zhTW.verdict.fraud, exact: true }).check();
    await page.getByLabel(zhTW.verdictPanel.noteLabel).fill('e2e: confirmed phishing page');
    await page.getByRole('button', { name: zhTW.verdictPanel.submit }).click();
    await page.getByTestId('verdict-status').filter({ hasText: '詐騙訊息' }).waitFor();

    // The public label changes, in red, with the label text shown (colour is not the only cue).
    expect(await status.textContent()).toContain('詐騙訊息，已通知平台移除');
    expect(await status.getAttribute('class')).toContain('chip--red');
    await page.getByText('e2e: confirmed phishing page').waitFor();
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
    expect(await found.textContent()).toContain('詐騙訊息，已通知平台移除');
    await screenshot(citizen, 'home-found-zh-TW-1280');
    await citizen.getByRole('button', { name: zhTW.language.switchTo }).click();
    await citizen.locator('html[lang="en"]').waitFor();
    expect(await found.textContent()).toContain('Scam — platform told to remove it');
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

    // 4. The registrable domain of the confirmed scam site is in the plain-text blocklist.
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
});
