/**
 * Shared set-up of the end-to-end suites: the production build of web/ (made once per test run by
 * test/e2e/global-setup.ts), the real scamnet server (test/harness buildTestApp: a temporary
 * SQLite store, no demo data, the test admin token, a fake clock) listening on 127.0.0.1 port 0,
 * and Debian's Chromium driven by playwright-core. Without Chromium a suite is skipped with a
 * printed reason, or fails when REQUIRE_BROWSER=1 (test/browser.ts).
 */
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, inject } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { CHROMIUM } from '../browser.js';
import { submitReportViaApi } from '../factories.js';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../harness.js';

export { HAS_BROWSER, reportMissingBrowser } from '../browser.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the runs leave screenshots of the pages they saw (var/ is git-ignored). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'var', 'e2e-screenshots');
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

export type TestServer = Awaited<ReturnType<typeof buildTestApp>>;

export interface E2E {
  server: TestServer;
  baseUrl: string;
  /** Page errors and console errors seen since the last `clearErrors`. */
  pageErrors: string[];
  /** `pageErrors` without those that contain one of `expected` (failures a step provokes on purpose). */
  unexpectedErrors: (...expected: string[]) => string[];
  /** Submits a report through the API (as the public) and returns its case's ID. */
  reportCase: (payload: Record<string, string>) => Promise<string>;
  newPage: (
    width: number,
    options?: { injectAxe?: boolean; locale?: string; clockAt?: number },
  ) => Promise<Page>;
  open: (page: Page, pathAndQuery: string) => Promise<void>;
  expectAccessible: (page: Page, what: string) => Promise<void>;
  screenshot: (page: Page, name: string) => Promise<void>;
  /** Signs in through /signin (zh-TW) with e-mail and password; waits for `landing` and the user bar. */
  signIn: (page: Page, user: { email: string; password: string }, landing: string) => Promise<void>;
  /** Signs in through /signin with the test admin token; waits for the staff console. */
  signInWithToken: (page: Page) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Waits until no section of `page` says it is loading, in the page's language `lang` (several
 * sections may load at once: a wait for one element would race).
 */
export async function waitUntilLoaded(page: Page, lang: 'zh-TW' | 'en' = 'zh-TW'): Promise<void> {
  await expect
    .poll(
      () =>
        page
          .getByRole('status')
          .filter({ hasText: (lang === 'en' ? en : zhTW).common.loading })
          .count(),
      { timeout: 15_000 },
    )
    .toBe(0);
}

/**
 * The E2E of a suite: registers a `beforeAll` that starts it (startE2E with `env`), a
 * `beforeEach` that forgets the page errors seen before the test and an `afterAll` that closes
 * it (after the suite's own: Vitest runs them as a stack). Read the object in hooks and tests
 * only: it is empty while the suite is being declared.
 */
export function useE2E(env: Record<string, string> = {}): E2E {
  const e2e = {} as E2E;
  beforeAll(async () => {
    Object.assign(e2e, await startE2E(env));
  });
  beforeEach(() => {
    // Undefined when the start failed: that failure is the one to report.
    (e2e.pageErrors as string[] | undefined)?.splice(0);
  });
  afterAll(async () => {
    await (e2e.close as E2E['close'] | undefined)?.();
  });
  return e2e;
}

/**
 * Starts the server on the built web UI (with `env` added to the test config) and the browser.
 * @throws Error when the web UI was not built (the suite runs outside the e2e Vitest project).
 */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const webRoot = inject('e2eWebRoot');
  if (webRoot === undefined) {
    throw new Error('no web UI build: the e2e project of vitest.config.ts provides it');
  }
  const server = await buildTestApp('sqlite', { env: { WEB_ROOT: webRoot, ...env } });
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const pageErrors: string[] = [];

  async function newPage(
    width: number,
    options: { injectAxe?: boolean; locale?: string; clockAt?: number } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      locale: options.locale ?? 'zh-TW',
      timezoneId: 'Asia/Taipei',
      // Lets axe-core be injected past the server's Content-Security-Policy.
      bypassCSP: options.injectAxe === true,
    });
    const page = await context.newPage();
    // The page's clock at the server's fake time, so countdowns are deterministic.
    if (options.clockAt !== undefined) await page.clock.setFixedTime(options.clockAt);
    // Fail fast with the step that broke instead of running into the test timeout.
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // A failed request is logged as "Failed to load resource"; the response handler below
      // records which one.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 400) {
        pageErrors.push(`${response.status()} ${new URL(response.url()).pathname}`);
      }
    });
    return page;
  }

  async function open(page: Page, pathAndQuery: string): Promise<void> {
    await page.goto(`${baseUrl}${pathAndQuery}`);
    try {
      await page.locator('main h1').waitFor();
    } catch (error) {
      throw new Error(
        `${pathAndQuery} did not render; page errors: ${JSON.stringify(pageErrors)}`,
        { cause: error },
      );
    }
  }

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

  return {
    server,
    baseUrl,
    pageErrors,
    unexpectedErrors: (...expected) =>
      pageErrors.filter((error) => !expected.some((part) => error.includes(part))),
    reportCase: async (payload) => (await submitReportViaApi(server.app, payload)).case.id,
    newPage,
    open,
    expectAccessible,
    screenshot,
    async signIn(page, user, landing) {
      await open(page, '/signin');
      await page.getByLabel(zhTW.signIn.email, { exact: true }).fill(user.email);
      await page.getByLabel(zhTW.signIn.password, { exact: true }).fill(user.password);
      await page.getByRole('button', { name: zhTW.signIn.submit, exact: true }).click();
      await page.waitForURL(`**${landing}`);
      await page.getByTestId('user-bar').waitFor();
    },
    async signInWithToken(page) {
      await open(page, '/signin');
      await page.getByText(zhTW.signIn.withToken).click();
      await page.getByLabel(zhTW.signIn.token, { exact: true }).fill(TEST_ADMIN_TOKEN);
      await page.getByRole('button', { name: zhTW.signIn.tokenSubmit }).click();
      await page.waitForURL('**/staff');
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
