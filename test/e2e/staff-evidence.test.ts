/**
 * A report's contact and screenshot on the staff case page, in a real browser (issue 9 follow-up):
 * a citizen's report arrives through the API as multipart with a generated PNG, a phone number for
 * follow-up and consent, and a second report of the same URL comes without either. Signed in as
 * an analyst (session cookie), the case page shows the contact marked as personal data beside its
 * report only, and "show screenshot" fetches the blob with the session and shows it through a
 * `blob:` URL under the server's real Content-Security-Policy; hiding it revokes the URL. The
 * public case page (signed out) shows neither. The staff navigation leads to the decision history.
 * axe-core checks the pages (WCAG 2.1 A/AA); screenshots go to var/e2e-screenshots. Set-up
 * (build, real server, Chromium): ./browser.ts.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
// The harness first: it loads the app in the order the server does.
import { createUser, type TestUser } from '../harness.js';
import { solidPng } from '../intake/images.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = "staff case page: a report's contact and screenshot";
reportMissingBrowser(SUITE);

const URL_REPORTED = 'https://vip-stock-club.example.test/join';
/** What the reporter typed, and the E.164 form intake keeps. */
const CONTACT_TYPED = '0933-222-111';
const CONTACT_E164 = '+886933222111';

/** A multipart/form-data body as a browser's FormData encodes it (undici's encoder). */
async function multipart(
  fields: Record<string, string>,
  screenshot?: Buffer,
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (screenshot !== undefined) {
    form.append(
      'screenshot',
      new Blob([new Uint8Array(screenshot)], { type: 'image/png' }),
      'ad.png',
    );
  }
  const encoded = new Request('http://scamnet.test/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
  };
}

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let e2e: E2E;
  let analyst: TestUser;
  const png = solidPng(48, 30, [30, 90, 200]);
  const pngSha256 = createHash('sha256').update(png).digest('hex');
  let caseId = '';
  let withAttachments = '';
  let plain = '';

  async function submit(fields: Record<string, string>, screenshot?: Buffer) {
    const { payload, headers } = await multipart(fields, screenshot);
    const res = await e2e.server.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload,
      headers,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body: { case: { id: string }; report: { id: string } } = res.json();
    return { caseId: body.case.id, reportId: body.report.id };
  }

  beforeAll(async () => {
    e2e = await startE2E();
    analyst = await createUser(e2e.server, { role: 'analyst', displayName: '分析師阿芳' });
    const first = await submit(
      {
        url: URL_REPORTED,
        text: '股市老師帶單，加入 VIP 群組保證月賺三成',
        platform: 'website',
        contact: CONTACT_TYPED,
        consent: 'true',
      },
      png,
    );
    const second = await submit({ url: URL_REPORTED, platform: 'website' });
    expect(second.caseId).toBe(first.caseId);
    caseId = first.caseId;
    withAttachments = first.reportId;
    plain = second.reportId;
  });

  beforeEach(() => {
    e2e.pageErrors.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('an analyst sees the contact as personal data and views the screenshot through a blob: URL', async () => {
    // No CSP bypass on this page: the image must load under the server's own policy.
    const page = await e2e.newPage(1280);
    await e2e.signIn(page, analyst, '/staff');
    await e2e.open(page, `/cases/${caseId}`);
    const reports = page.getByTestId('case-reports');
    const withShot = reports.locator(`li[data-report-id="${withAttachments}"]`);
    const without = reports.locator(`li[data-report-id="${plain}"]`);
    await withShot.waitFor();
    await without.waitFor();

    const contact = withShot.getByTestId('report-contact');
    const contactText = (await contact.textContent()) ?? '';
    expect(contactText).toContain(CONTACT_E164);
    expect(contactText).toContain(zhTW.caseAdmin.contactType.phone);
    expect(contactText).toContain(zhTW.caseAdmin.personalData);
    expect(await without.getByTestId('report-contact').count()).toBe(0);
    expect(await without.getByRole('button', { name: zhTW.caseAdmin.showScreenshot }).count()).toBe(
      0,
    );

    const show = withShot.getByRole('button', { name: zhTW.caseAdmin.showScreenshot });
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    const blobResponse = page.waitForResponse((r) =>
      r.url().endsWith(`/api/v1/blobs/${pngSha256}`),
    );
    await show.click();
    expect((await blobResponse).headers()['content-type']).toBe('image/png');
    const alt = zhTW.caseAdmin.screenshotAlt.replace('{{id}}', withAttachments);
    const img = withShot.getByRole('img', { name: alt });
    await img.waitFor();
    // decode() rejects when the image cannot load (e.g. refused by the page's CSP).
    const loaded: unknown = await page.evaluate(`(async () => {
      const img = document.querySelector(${JSON.stringify(`li[data-report-id="${withAttachments}"] img`)});
      await img.decode();
      return { src: img.src, width: img.naturalWidth, height: img.naturalHeight };
    })()`);
    expect(loaded).toEqual({ src: expect.stringMatching(/^blob:/), width: 48, height: 30 });
    const src =
      typeof loaded === 'object' && loaded !== null && 'src' in loaded ? String(loaded.src) : '';
    const hide = withShot.getByRole('button', { name: zhTW.caseAdmin.hideScreenshot });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    await e2e.screenshot(page, 'staff-evidence-screenshot-zh-TW-1280');

    // Hiding it removes the image and revokes its object URL.
    await hide.click();
    await img.waitFor({ state: 'detached' });
    const afterRevoke = await page.evaluate(
      (src) =>
        fetch(src).then(
          () => 'still there',
          () => 'revoked',
        ),
      src,
    );
    expect(afterRevoke).toBe('revoked');
    // A revoked blob: URL is a failed fetch the console reports; nothing else may go wrong.
    expect(e2e.pageErrors.filter((error) => !error.includes('blob:'))).toEqual([]);
  }, 60_000);

  it('is accessible with the screenshot shown, in zh-TW and English', async () => {
    const page = await e2e.newPage(360, { injectAxe: true });
    await e2e.signIn(page, analyst, '/staff');
    await e2e.open(page, `/cases/${caseId}`);
    const withShot = page.locator(`li[data-report-id="${withAttachments}"]`);
    await withShot.getByRole('button', { name: zhTW.caseAdmin.showScreenshot }).click();
    await withShot.getByRole('img').waitFor();
    await e2e.expectAccessible(page, 'the staff case page with a report screenshot shown');
    await e2e.screenshot(page, 'staff-evidence-screenshot-zh-TW-360');

    await e2e.open(page, `/cases/${caseId}?lang=en`);
    await page.locator('html[lang="en"]').waitFor();
    const english = page.locator(`li[data-report-id="${withAttachments}"]`);
    expect(await english.getByTestId('report-contact').textContent()).toContain(
      en.caseAdmin.personalData,
    );
    await english.getByRole('button', { name: en.caseAdmin.showScreenshot }).click();
    await english
      .getByRole('img', { name: en.caseAdmin.screenshotAlt.replace('{{id}}', withAttachments) })
      .waitFor();
    await e2e.expectAccessible(page, 'the staff case page with a report screenshot, in English');
    await e2e.screenshot(page, 'staff-evidence-screenshot-en-360');
    expect(e2e.pageErrors).toEqual([]);
  }, 60_000);

  it('the staff navigation leads an analyst to their decision history', async () => {
    const page = await e2e.newPage(1280);
    await e2e.signIn(page, analyst, '/staff');
    const nav = page.getByRole('navigation', { name: zhTW.staff.navLabel });
    await nav.getByRole('link', { name: zhTW.staff.nav.history }).click();
    await page.waitForURL('**/verify/history');
    await page.getByRole('heading', { level: 1, name: zhTW.history.title }).waitFor();
    expect(e2e.pageErrors).toEqual([]);
  }, 30_000);

  it('the public case page shows neither the contact nor the screenshot', async () => {
    const page = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(page, `/cases/${caseId}`);
    await page.getByTestId('case-status').waitFor();
    const html = await page.content();
    expect(html).toContain('vip-stock-club.example.test');
    for (const secret of [CONTACT_E164, '933222111', '933-222-111', pngSha256]) {
      expect(html).not.toContain(secret);
    }
    expect(await page.getByTestId('case-reports').count()).toBe(0);
    expect(await page.getByRole('button', { name: zhTW.caseAdmin.showScreenshot }).count()).toBe(0);
    expect(await page.locator('img[src^="blob:"]').count()).toBe(0);
    await e2e.expectAccessible(page, 'the public case page of a report with a screenshot');
    await e2e.screenshot(page, 'staff-evidence-public-zh-TW-360');
    expect(e2e.pageErrors).toEqual([]);
  }, 30_000);
});
