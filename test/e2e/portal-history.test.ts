/**
 * The portal histories and takedown settings in a real browser (issue 9): a verifier decides a
 * case and finds it in their decision history (paged, newest first); a reporter signed in reports
 * a message and finds it under "my reports" with the case's status and a link to its progress;
 * the sanction ledger shows a missed deadline to staff and to that platform's liaison only; an
 * admin sets a platform's notice delivery channel and the secret never comes back. axe-core
 * (WCAG 2.1 A/AA) checks every new page, in Chinese and English, at 360 px and on a desktop.
 * Set-up (build, real server, Chromium): ./browser.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { adminHeaders, createUser, loginAs, type TestUser } from '../harness.js';
import {
  createTestEntities,
  decideCaseViaApi,
  HSIEH_AD_TEXT,
  HSIEH_CHIN_HO,
  HSIEH_OFFICE_VERIFIER,
  missDeadlineAfterAcknowledgement,
} from '../factories.js';
import { HAS_BROWSER, reportMissingBrowser, useE2E, waitUntilLoaded } from './browser.js';

const SUITE = 'decision history, my reports, sanction ledger and delivery channels in a browser';
reportMissingBrowser(SUITE);

const REPORTER_TEXT = '恭喜您中獎！請加入客服LINE領取iPhone，只需支付運費 99 元';
/** The admin's decisions beyond one page of the history (20 a page). */
const ADMIN_DECISIONS = 21;

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  const e2e = useE2E();
  let verifier: TestUser;
  let reporter: TestUser;
  let facebookLiaison: TestUser;
  let lineLiaison: TestUser;
  /** Routed to 謝金河's office and decided by the verifier in the browser. */
  let verifierCase = '';

  beforeAll(async () => {
    await createTestEntities(e2e.server.app, [HSIEH_CHIN_HO]);
    const ctx = e2e.server;
    verifier = await createUser(ctx, HSIEH_OFFICE_VERIFIER);
    reporter = await createUser(ctx, { role: 'reporter', displayName: '王小明' });
    facebookLiaison = await createUser(ctx, { role: 'platform_liaison', platform: 'facebook' });
    lineLiaison = await createUser(ctx, { role: 'platform_liaison', platform: 'line' });
    verifierCase = await e2e.reportCase({
      url: 'https://www.facebook.com/ads/library/?id=24681357',
      text: HSIEH_AD_TEXT,
      platform: 'facebook',
    });
  });

  it('a verifier decides a case, then finds it in their decision history', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, verifier, '/verify');
    // Nothing decided yet.
    await page.getByRole('link', { name: zhTW.verifier.historyLink }).click();
    await page.waitForURL('**/verify/history');
    await page.getByTestId('history-empty').waitFor();
    await e2e.expectAccessible(page, 'an empty decision history');

    await page.getByRole('link', { name: zhTW.history.backToQueue }).click();
    const item = page.locator(`.queue__item[data-case-id="${verifierCase}"]`);
    await item.getByRole('radio', { name: zhTW.decision.fraud, exact: true }).check();
    await item.getByLabel(zhTW.decide.note).fill('本人從未投放此廣告');
    await item.getByRole('button', { name: zhTW.decide.submit }).click();
    await page.getByTestId('decided-status').getByText(verifierCase).waitFor();

    await page.getByRole('link', { name: zhTW.verifier.historyLink }).click();
    await page.waitForURL('**/verify/history');
    const row = page.getByTestId('decision-history').locator(`tr[data-case-id="${verifierCase}"]`);
    await row.waitFor();
    expect(await page.getByTestId('decision-history').locator('tbody tr').count()).toBe(1);
    expect(await row.getByTestId('history-verdict').textContent()).toBe(zhTW.verdict.fraud);
    expect(await row.locator('.chip').textContent()).toContain(zhTW.status.fraud_confirmed);
    expect(await row.textContent()).toContain('本人從未投放此廣告');
    // Decided at the server's (fake) now.
    expect(Date.parse((await row.locator('time').getAttribute('datetime')) ?? '')).toBe(
      e2e.server.clock.now(),
    );
    await e2e.screenshot(page, 'verify-history-zh-TW-1280');
    await e2e.expectAccessible(page, 'the decision history');

    // The row links to the case.
    await row.getByRole('link', { name: `案件 ${verifierCase}`, exact: false }).click();
    await page.waitForURL(`**/cases/${verifierCase}`);
    await page.getByTestId('timeline').waitFor();
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('the decision history pages newest first, 20 to a page, the page kept in the address', async () => {
    const cases: string[] = [];
    for (let n = 0; n < ADMIN_DECISIONS; n += 1) {
      const id = await e2e.reportCase({
        url: `https://prize-${n}-${Date.now().toString(36)}.example.test/claim`,
        platform: 'website',
      });
      await decideCaseViaApi(e2e.server.app, id, n % 2 === 0 ? 'not_fraud' : 'high_risk');
      cases.push(id);
    }
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signInWithToken(page);
    await e2e.open(page, '/verify/history');
    const table = page.getByTestId('decision-history');
    await table.waitFor();
    // Newest first: the last decision heads page 1.
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(20);
    expect(await rows.first().getAttribute('data-case-id')).toBe(cases.at(-1));
    expect(await rows.first().getByTestId('history-verdict').textContent()).toBe(
      zhTW.verdict.not_fraud,
    );
    const pager = page.getByRole('navigation', { name: '判定紀錄：分頁' });
    expect(
      await pager.getByRole('button', { name: zhTW.pager.previous }).getAttribute('aria-disabled'),
    ).toBe('true');
    await pager.getByRole('button', { name: zhTW.pager.next }).click();
    await page.waitForURL('**/verify/history?page=2');
    await expect.poll(() => rows.count()).toBe(ADMIN_DECISIONS - 20);
    expect(await rows.first().getAttribute('data-case-id')).toBe(cases[0]);
    expect(await pager.textContent()).toContain(
      `第 2 / 2 頁（第 21–21 筆，共 ${ADMIN_DECISIONS} 筆）`,
    );
    const next = pager.getByRole('button', { name: zhTW.pager.next });
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    // Focus stays on the button at the end, and pressing it again changes nothing.
    expect(await next.evaluate((button) => button === button.ownerDocument.activeElement)).toBe(
      true,
    );
    await next.press('Enter');
    expect(new URL(page.url()).search).toBe('?page=2');
    await e2e.expectAccessible(page, 'the second page of a decision history');
    // A page number past the end shows the last page.
    await e2e.open(page, '/verify/history?page=9');
    await expect.poll(() => rows.count()).toBe(ADMIN_DECISIONS - 20);
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 90_000);

  it('a reporter reports while signed in and finds it under my reports', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, reporter, '/');
    const nav = page.getByRole('navigation', { name: zhTW.nav.label });
    await nav.getByRole('link', { name: zhTW.nav.myReports }).click();
    await page.waitForURL('**/me/reports');
    await page.getByTestId('my-reports-empty').waitFor();
    await e2e.expectAccessible(page, 'an empty my-reports page');

    await page.getByRole('link', { name: zhTW.myReports.reportMore }).click();
    await page.waitForURL('**/report');
    await page.getByLabel(zhTW.report.textLabel).fill(REPORTER_TEXT);
    await page.getByLabel(zhTW.report.platformLabel).selectOption('line');
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    await page.getByTestId('report-outcome').waitFor();

    // The server linked the report to the account.
    const session = await loginAs(e2e.server, reporter);
    const mine = await e2e.server.app.inject({
      url: '/api/v1/me/reports',
      headers: session.headers,
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const body: {
      reports: Array<{ id: string; case: { id: string; status: keyof typeof zhTW.status } }>;
    } = mine.json();
    expect(body.reports).toHaveLength(1);
    const [sent] = body.reports;
    if (sent === undefined) throw new Error('no report');

    await nav.getByRole('link', { name: zhTW.nav.myReports }).click();
    await page.waitForURL('**/me/reports');
    const card = page.getByTestId('my-reports').locator(`[data-report-id="${sent.id}"]`);
    await card.waitFor();
    expect(await page.getByTestId('my-reports').locator('article').count()).toBe(1);
    expect(await card.textContent()).toContain(REPORTER_TEXT);
    expect(await card.locator('.chip').getAttribute('data-status')).toBe(sent.case.status);
    expect(await card.locator('.chip').textContent()).toContain(zhTW.status[sent.case.status]);
    expect(await card.textContent()).toContain(zhTW.platform.line);
    await e2e.screenshot(page, 'my-reports-zh-TW-1280');
    await e2e.expectAccessible(page, 'my reports');

    // Someone else's report of the same message is not listed; the case's count grows.
    await e2e.reportCase({ text: REPORTER_TEXT, platform: 'line' });
    await page.reload();
    await card.waitFor();
    expect(await page.getByTestId('my-reports').locator('article').count()).toBe(1);

    await card.getByRole('link', { name: `查看案件 ${sent.case.id} 的處理進度` }).click();
    await page.waitForURL(`**/cases/${sent.case.id}`);
    await page.getByTestId('timeline').waitFor();
    // A verifier is not a reporter: the page says so instead of listing anything.
    const other = await e2e.newPage(1280);
    await e2e.signIn(other, verifier, '/verify');
    await e2e.open(other, '/me/reports');
    await other.getByText('您的角色（確認單位）無法使用這個頁面。').waitFor();
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('the sanction ledger shows a missed deadline to staff and to that platform only', async () => {
    // The verifier's fraud verdict created a notice to Facebook; with no channel it waits until
    // the platform acknowledges it (recorded by an admin here): its deadline runs from then.
    const notices = await e2e.server.app.inject({ url: '/api/v1/notices', headers: adminHeaders });
    const { notices: list }: { notices: Array<{ id: string; caseId: string }> } = notices.json();
    const notice = list.find((n) => n.caseId === verifierCase);
    if (notice === undefined) throw new Error('no notice for the decided case');
    expect(await missDeadlineAfterAcknowledgement(e2e.server, notice.id)).toMatchObject({
      missedDeadlines: 1,
      sanctions: 1,
    });

    const staff = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signInWithToken(staff);
    await staff.getByRole('link', { name: zhTW.staff.nav.takedown, exact: true }).click();
    const ledger = staff.getByTestId('sanctions');
    const row = ledger.locator(`tr[data-notice-id="${notice.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Facebook');
    expect(await row.textContent()).toContain('第 1 次');
    expect(await row.textContent()).toContain('第39條第1項第3款');
    expect(await row.textContent()).toMatch(/500,000.*5,000,000/);
    // The ledger's platform filter asks the server for one platform (the board has its own).
    const ledgerSection = staff.locator('section', {
      has: staff.getByRole('heading', { name: zhTW.sanctions.heading }),
    });
    const ledgerPlatform = ledgerSection.getByLabel(zhTW.case.platform, { exact: true });
    await ledgerPlatform.selectOption('line');
    await staff.getByTestId('sanctions-empty').waitFor();
    await ledgerPlatform.selectOption('facebook');
    await row.waitFor();
    await waitUntilLoaded(staff);
    await e2e.screenshot(staff, 'takedown-ledger-zh-TW-1280');
    await e2e.expectAccessible(staff, 'the takedown board with the ledger and channels');

    const facebook = await e2e.newPage(1280, { injectAxe: true, clockAt: e2e.server.clock.now() });
    await e2e.signIn(facebook, facebookLiaison, '/platform');
    await facebook.getByTestId('sanctions').locator(`tr[data-notice-id="${notice.id}"]`).waitFor();
    // A liaison gets no platform filter: the server gives only their platform's entries.
    expect(await facebook.locator('#main select').count()).toBe(0);
    await waitUntilLoaded(facebook);
    await e2e.screenshot(facebook, 'platform-ledger-zh-TW-1280');
    await e2e.expectAccessible(facebook, 'the liaison page with its ledger');

    const line = await e2e.newPage(1280);
    await e2e.signIn(line, lineLiaison, '/platform');
    await line.getByTestId('sanctions-empty').waitFor();
    expect(await line.getByTestId('sanctions').count()).toBe(0);
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('an admin sets a delivery channel; the secret is never shown back', async () => {
    // Loopback port 9 (discard): nothing outside this machine is ever addressed.
    const webhook = 'http://127.0.0.1:9/hooks/scamnet?token=query-token-e2e';
    const secret = 'hmac-secret-for-e2e-0123456789';
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signInWithToken(page);
    await page.getByRole('link', { name: zhTW.staff.nav.takedown, exact: true }).click();
    const card = page.getByTestId('channels').locator('[data-platform="line"]');
    await card.getByTestId('channel-none').waitFor();
    await card.getByRole('button', { name: '修改 LINE 的送達方式' }).click();

    // A short secret is refused beside its field, before anything is sent.
    await card.getByLabel(zhTW.channels.webhookUrl).fill(webhook);
    await card.getByLabel(zhTW.channels.secret).fill('too-short');
    await card.getByLabel(zhTW.channels.email).fill('takedown@line.example.test');
    await card.getByRole('button', { name: zhTW.channels.save }).click();
    await card.getByText('金鑰至少要 16 個字元。').waitFor();
    expect(await card.getByLabel(zhTW.channels.secret).getAttribute('aria-invalid')).toBe('true');
    await e2e.expectAccessible(page, 'the delivery channel form with an error');
    await card.getByLabel(zhTW.channels.secret).fill(secret);
    await card.getByRole('button', { name: zhTW.channels.save }).click();
    await page.getByTestId('channel-status').getByText('已儲存 LINE 的送達方式。').waitFor();

    // Shown back without the query token; the secret only as "set".
    const shown = card.getByTestId('channel-webhook');
    expect(await shown.textContent()).toContain('http://127.0.0.1:9/hooks/scamnet?…');
    expect(await shown.textContent()).toContain(zhTW.channels.signed);
    expect(await card.getByTestId('channel-email').textContent()).toBe(
      'takedown@line.example.test',
    );
    const stored = await e2e.server.app.inject({
      url: '/api/v1/platforms/channels',
      headers: adminHeaders,
    });
    expect(stored.json()).toMatchObject({
      channels: [
        {
          platform: 'line',
          webhookUrl: webhook,
          webhookSigned: true,
          email: 'takedown@line.example.test',
        },
      ],
    });
    await e2e.screenshot(page, 'takedown-channels-zh-TW-1280');

    // Editing again: the secret field is empty, and leaving the webhook out must be deliberate.
    await card.getByRole('button', { name: '修改 LINE 的送達方式' }).click();
    expect(await card.getByLabel(zhTW.channels.secret).inputValue()).toBe('');
    expect(await card.getByLabel(zhTW.channels.webhookUrl).inputValue()).toBe('');
    await card.getByRole('button', { name: zhTW.channels.save }).click();
    await card.getByText(zhTW.channels.keepOrRemove).waitFor();
    await card.getByLabel(zhTW.channels.removeWebhook).check();
    await card.getByRole('button', { name: zhTW.channels.save }).click();
    await page.getByTestId('channel-status').getByText('已儲存 LINE 的送達方式。').waitFor();
    expect(await card.getByTestId('channel-webhook').textContent()).toBe(zhTW.channels.notSet);
    const after = await e2e.server.app.inject({
      url: '/api/v1/platforms/channels',
      headers: adminHeaders,
    });
    expect(after.json()).toMatchObject({
      channels: [{ platform: 'line', webhookUrl: null, webhookSigned: false }],
    });

    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain(secret);
    expect(text).not.toContain('query-token-e2e');
    expect(await page.content()).not.toContain(secret);
    // Only admins get the channels: an analyst sees the board without them.
    const analyst = await createUser(e2e.server, { role: 'analyst' });
    const other = await e2e.newPage(1280);
    await e2e.signIn(other, analyst, '/staff');
    await e2e.open(other, '/staff/takedown');
    await other.getByTestId('sanctions').waitFor();
    expect(await other.getByTestId('channels').count()).toBe(0);
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('the new pages fit a 360 px phone and pass axe, in Chinese and English', async () => {
    const visits: Array<[TestUser | 'admin', string, string, string[]]> = [
      [verifier, '/verify', 'verify-history', ['/verify/history']],
      [reporter, '/', 'my-reports', ['/me/reports']],
      [facebookLiaison, '/platform', 'platform-ledger', ['/platform']],
      ['admin', '/staff', 'takedown-ledger-channels', ['/staff/takedown']],
    ];
    for (const [user, landing, name, paths] of visits) {
      const page = await e2e.newPage(360, { injectAxe: true });
      if (user === 'admin') await e2e.signInWithToken(page);
      else await e2e.signIn(page, user, landing);
      for (const path of paths) {
        for (const lang of ['zh-TW', 'en'] as const) {
          await e2e.open(page, `${path}?lang=${lang}`);
          await page.locator(`html[lang="${lang}"]`).waitFor();
          await waitUntilLoaded(page, lang);
          await e2e.screenshot(page, `${name}-${lang}-360`);
          await e2e.expectAccessible(page, `${path} at 360 px (${lang})`);
          const overflow = await page.evaluate(
            'document.documentElement.scrollWidth - document.documentElement.clientWidth',
          );
          expect(overflow, `${path} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
        }
      }
    }
    // The English strings are the ones shown.
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, reporter, '/');
    await e2e.open(page, '/me/reports?lang=en');
    await page.getByRole('heading', { name: en.myReports.title, level: 1 }).waitFor();
    await page.getByTestId('my-reports').locator('article').first().waitFor();
    await e2e.screenshot(page, 'my-reports-en-1280');
    await e2e.expectAccessible(page, 'my reports in English');
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 120_000);
});
