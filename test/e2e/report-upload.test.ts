/**
 * End to end in a real browser (issue 9): a citizen reports a message with a screenshot (a small
 * PNG generated here), a contact for follow-up and consent; the report lands with the screenshot
 * stored by its SHA-256 and the contact kept for staff, while the public case page shows neither.
 * A wrong file type is refused beside the file field, by the browser's check (an SVG) and by the
 * server's (an SVG named .png); a contact without consent and an unreadable contact get their own
 * messages. Set-up (build, real server, Chromium): ./browser.ts.
 */
import { createHash } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { SVG, solidPng } from '../intake/images.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'report form with a screenshot and a contact';
reportMissingBrowser(SUITE);

/** The error text that `field`'s aria-describedby points at ('' when there is none). */
async function describedError(page: Page, field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ');
  const errorId = ids.find((id) => id.endsWith('-error'));
  if (errorId === undefined) return '';
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? '';
}

/** The file input labelled `label` (the consent checkbox's label mentions screenshots too). */
function fileField(page: Page, label: string): Locator {
  return page.getByLabel(label).and(page.locator('input[type="file"]'));
}

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    e2e = await startE2E();
    pageErrors = e2e.pageErrors;
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('sends a PNG screenshot and a contact with consent; staff get them, the public does not', async () => {
    const png = solidPng(40, 24, [220, 40, 40]);
    const contact = `e2e-${Date.now().toString(36)}@mailbox.test`;
    const message = `飆股老師帶你每天獲利 20%，加入群組領取明牌 e2e-upload-${Date.now()}`;
    const page = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(page, '/report');
    await page.getByLabel(zhTW.report.textLabel).fill(message);
    await fileField(page, zhTW.report.screenshotLabel).setInputFiles({
      name: 'scam-ad.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await page.getByText('scam-ad.png').waitFor();
    await page.getByLabel(zhTW.report.contactLabel).fill(contact);
    await page.getByLabel(zhTW.report.consentLabel).check();
    await e2e.screenshot(page, 'report-upload-filled-zh-TW-360');
    await e2e.expectAccessible(page, 'report form with a screenshot chosen');

    await page.getByRole('button', { name: zhTW.report.submit }).click();
    const outcome = page.getByTestId('report-outcome');
    await outcome.waitFor();
    const caseId = /\bC[0-9A-Z]{4,}\b/.exec((await outcome.textContent()) ?? '')?.[0];
    expect(caseId).toBeDefined();
    await e2e.screenshot(page, 'report-upload-sent-zh-TW-360');

    const stored = await e2e.server.deps.db
      .selectFrom('reports')
      .select(['reporter_contact', 'reporter_contact_type', 'screenshot_sha256', 'channel'])
      .where('case_id', '=', caseId ?? '')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      reporter_contact: contact,
      reporter_contact_type: 'email',
      screenshot_sha256: createHash('sha256').update(png).digest('hex'),
      channel: 'web',
    });

    await page.locator(`[data-case-id="${caseId}"] a`).click();
    await page.getByTestId('case-status').waitFor();
    const caseText = (await page.locator('main').textContent()) ?? '';
    expect(caseText).toContain('飆股老師');
    expect(caseText).not.toContain(contact);
    expect(caseText).not.toContain('scam-ad.png');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('refuses a wrong file type beside the file field: in the browser and from the server', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.open(page, '/report');
    const file = fileField(page, zhTW.report.screenshotLabel);
    await page.getByLabel(zhTW.report.urlLabel).fill('https://wrong-file-e2e.test/offer');

    // The browser's check: an SVG is not among the accepted types; nothing is kept or sent.
    await file.setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: SVG });
    await page.getByText(zhTW.report.errors.screenshot_type).waitFor();
    expect(await file.getAttribute('aria-invalid')).toBe('true');
    expect(await describedError(page, file)).toBe(zhTW.report.errors.screenshot_type);
    expect(await file.evaluate((input) => ('files' in input ? input.files?.length : -1))).toBe(0);
    await e2e.screenshot(page, 'report-upload-wrong-type-zh-TW-1280');
    await e2e.expectAccessible(page, 'report form with a file type error');

    // The server's check: an SVG named .png passes the browser's look at the name and type.
    await file.setInputFiles({ name: 'shot.png', mimeType: 'image/png', buffer: SVG });
    expect(await file.getAttribute('aria-invalid')).toBe('false');
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    // Consent first: a screenshot needs it, and the form says so beside the checkbox.
    const consent = page.getByLabel(zhTW.report.consentLabel);
    await page.getByText(zhTW.report.errors.consent_required).waitFor();
    expect(await describedError(page, consent)).toBe(zhTW.report.errors.consent_required);
    expect(await page.evaluate('document.activeElement?.name')).toBe('consent');
    await consent.check();
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    await page.getByText(zhTW.report.errors.screenshot_type).waitFor();
    expect(await describedError(page, file)).toBe(zhTW.report.errors.screenshot_type);
    expect(await page.evaluate('document.activeElement?.name')).toBe('screenshot');
    expect(pageErrors).toEqual(['400 /api/v1/reports']);
    const count = await e2e.server.deps.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('url', '=', 'https://wrong-file-e2e.test/offer')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  }, 60_000);

  it('explains an unreadable contact and a screenshot that is too large, in English', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true, locale: 'en' });
    await e2e.open(page, '/report?lang=en');
    await page.locator('html[lang="en"]').waitFor();
    const file = fileField(page, en.report.screenshotLabel);
    await file.setInputFiles({
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: solidPng(4, 4, [0, 0, 0], 5 * 1024 * 1024 + 1),
    });
    const tooLarge = en.report.errors.screenshot_too_large.replace('{{max}}', '5 MB');
    expect(await describedError(page, file)).toBe(tooLarge);

    const contact = page.getByLabel(en.report.contactLabel);
    await page.getByLabel(en.report.textLabel).fill('Your parcel is held, pay the fee at the link');
    await contact.fill('call me at home');
    await page.getByLabel(en.report.consentLabel).check();
    // The refused file was not kept: the report goes without it.
    await page.getByRole('button', { name: en.report.submit }).click();
    await page.getByText(en.report.errors.invalid_contact).waitFor();
    expect(await contact.getAttribute('aria-invalid')).toBe('true');
    expect(await describedError(page, contact)).toBe(en.report.errors.invalid_contact);
    await e2e.screenshot(page, 'report-upload-contact-error-en-1280');
    await e2e.expectAccessible(page, 'report form with a contact error, in English');

    await contact.fill('0912 345 678');
    await page.getByRole('button', { name: en.report.submit }).click();
    await page.getByTestId('report-outcome').waitFor();
    expect(pageErrors).toEqual(['400 /api/v1/reports']);
  }, 60_000);
});
