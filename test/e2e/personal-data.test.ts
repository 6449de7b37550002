/**
 * End to end in a real browser (issue 18, "no personal data on public pages"): a victim's report
 * carrying their name, ID number and phone shows on the public case page with those replaced by
 * marks and a note saying why, in both languages, at 360 px and on the desktop; the victim's
 * phone is not among the indicators while the scammer's LINE ID is. An analyst signed in with the
 * admin token sees the original in a staff-only section. Set-up: ./browser.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'personal data on the case page in a real browser';
reportMissingBrowser(SUITE);

const MESSAGE =
  '我叫王小明，身分證A123456789，電話0912-345-678，被騙了5萬元。對方要我加LINE：scam_agent88';

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  let pageErrors: string[] = [];
  let caseId = '';

  beforeAll(async () => {
    e2e = await startE2E();
    pageErrors = e2e.pageErrors;
    const res = await e2e.server.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { text: MESSAGE, platform: 'line' },
    });
    caseId = res.json<{ case: { id: string } }>().case.id;
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  async function publicView(page: Page) {
    const main = page.locator('main');
    await page.getByTestId('case-status').waitFor();
    const text = (await main.textContent()) ?? '';
    for (const value of ['王小明', 'A123456789', '0912-345-678', '+886912345678']) {
      expect(text).not.toContain(value);
    }
    expect(text).toContain('scam_agent88');
    return text;
  }

  it('shows citizens the case without the victim, in both languages and widths', async () => {
    const phone = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(phone, `/cases/${caseId}`);
    const text = await publicView(phone);
    expect(text).toContain('我叫〔姓名〕，身分證〔身分證號〕，電話〔電話〕');
    expect(text).toContain(zhTW.case.summaryNote);
    expect(text).not.toContain(zhTW.case.personalHeading);
    await e2e.screenshot(phone, 'case-personal-data-zh-TW-360');
    await e2e.expectAccessible(phone, 'case page with redacted personal data');

    const desktop = await e2e.newPage(1280, { injectAxe: true });
    await e2e.open(desktop, `/cases/${caseId}`);
    await publicView(desktop);
    await desktop.getByRole('button', { name: zhTW.language.switchTo }).click();
    await desktop.locator('html[lang="en"]').waitFor();
    expect(await desktop.locator('main').textContent()).toContain(en.case.summaryNote);
    await e2e.screenshot(desktop, 'case-personal-data-en-1280');
    await e2e.expectAccessible(desktop, 'case page with redacted personal data, in English');
    expect(pageErrors).toEqual([]);
  });

  it('shows an analyst the original in a staff-only section', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signInWithToken(page);
    await e2e.open(page, `/cases/${caseId}`);
    const original = page.getByTestId('original-summary');
    await original.waitFor();
    expect(await original.textContent()).toContain('我叫王小明，身分證A123456789');
    const section = page.locator('section[aria-labelledby="case-personal"]');
    expect(await section.textContent()).toContain('+886912345678');
    // The public part of the page stays as citizens see it.
    expect(await page.locator('blockquote.summary').first().textContent()).toContain('〔姓名〕');
    await e2e.screenshot(page, 'case-personal-data-staff-zh-TW-1280');
    await e2e.expectAccessible(page, 'case page with the staff-only personal data');
  });
});
