/**
 * The staff console in a real browser (issue 9): an analyst pages and filters the triage queue
 * (server-side filters over GET /api/v1/cases, kept in the address and shareable), and on a case
 * page sees its reports and campaign links, merges another case into it after a confirmation
 * step, splits a report out into a new case, and presses "capture now" against a loopback server
 * of this test (CAPTURE_ALLOW_LOOPBACK with its port allowed; nothing else is fetched). The
 * merged-away case says where it went. axe-core checks each page (WCAG 2.1 A/AA); screenshots go
 * to var/e2e-screenshots. Set-up (build, real server, Chromium): ./browser.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
// The harness first: it loads the app in the order the server does.
import { adminHeaders, createUser, type TestUser } from '../harness.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'staff console: queue filters, merge, split, campaign and capture in a real browser';
reportMissingBrowser(SUITE);

const PAGE_TITLE = '飆股老師 VIP 投資群組';
const FILLERS = 9;

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  let site: Server;
  let port = 0;
  let hits: string[] = [];
  let e2e: E2E;
  let analyst: TestUser;
  /** Two reports (same URL, different words); the case the others are merged into. */
  let target = '';
  /** One report, merged into the target by the analyst. */
  let source = '';
  /** Shares a phone number with the target: its campaign link. */
  let linked = '';

  async function caseView(id: string): Promise<{ reportCount: number; urls: string[] }> {
    const res = await e2e.server.app.inject({ url: `/api/v1/cases/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    const body: { case: { reportCount: number; urls: string[] } } = res.json();
    return body.case;
  }

  beforeAll(async () => {
    site = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><head><title>${PAGE_TITLE}</title></head><body>加入</body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    ({ port } = site.address() as AddressInfo);
    e2e = await startE2E({
      CAPTURE_ALLOW_LOOPBACK: 'true',
      CAPTURE_ALLOWED_PORTS: `80,443,${port}`,
    });
    analyst = await createUser(e2e.server, { role: 'analyst', displayName: '分析師小陳' });

    target = await e2e.reportCase({
      url: `http://127.0.0.1:${port}/invest`,
      text: '飆股老師親自帶你投資，保證獲利，名額有限，請撥 0912-345-678 加入',
      platform: 'website',
    });
    const second = await e2e.reportCase({
      url: `http://127.0.0.1:${port}/invest`,
      text: '我阿姨在這個網站匯了二十萬，現在客服都不回',
      platform: 'website',
    });
    expect(second).toBe(target);
    source = await e2e.reportCase({
      url: `http://127.0.0.1:${port}/job`,
      text: '在家打字工作，日領三千元，請先繳保證金',
      platform: 'website',
    });
    linked = await e2e.reportCase({
      text: '恭喜您抽中 iPhone 17！請於今日撥打 0912345678 領獎',
      platform: 'line',
    });
    for (let i = 0; i < FILLERS; i++) {
      await e2e.reportCase({ url: `https://filler-${i}.example.test/ad`, platform: 'facebook' });
    }
    expect((await caseView(target)).reportCount).toBe(2);
    // The phone number in both texts links the target and the linked case.
    const campaign = await e2e.server.app.inject({
      url: `/api/v1/cases/${target}/campaign`,
      headers: adminHeaders,
    });
    const graph: { cases: { id: string }[] } = campaign.json();
    expect(graph.cases.map((c) => c.id)).toContain(linked);
  });

  beforeEach(() => {
    e2e.pageErrors.length = 0;
  });

  afterAll(async () => {
    await e2e?.close();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });

  const rows = (page: Page) => page.getByTestId('staff-queue').locator('tbody tr');
  const rowIds = async (page: Page) =>
    rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-case-id')));

  it('an analyst pages through the queue and filters it; the filters are in a shareable address', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, analyst, '/staff');
    const count = page.getByTestId('queue-count');
    await count.getByText('共 12 件符合條件').waitFor();
    await e2e.expectAccessible(page, 'the staff queue');

    // Ten a page: two pages, forward and back; the total counts both.
    await page.getByLabel(zhTW.staff.pageSize).selectOption('10');
    await page.waitForURL('**/staff?size=10');
    await expect.poll(() => rows(page).count()).toBe(10);
    expect(await count.textContent()).toContain('共 12 件符合條件');
    const first = await rowIds(page);
    const pager = page.getByRole('navigation', { name: `${zhTW.staff.queueHeading}：分頁` });
    expect(await pager.textContent()).toContain('第 1 / 2 頁（第 1–10 筆，共 12 筆）');
    await pager.getByRole('button', { name: zhTW.pager.next }).click();
    await page.waitForURL('**/staff?size=10&page=2');
    await expect.poll(() => rows(page).count()).toBe(2);
    const second = await rowIds(page);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(await count.textContent()).toContain('共 12 件符合條件');
    expect(
      await pager.getByRole('button', { name: zhTW.pager.next }).getAttribute('aria-disabled'),
    ).toBe('true');
    await pager.getByRole('button', { name: zhTW.pager.previous }).click();
    await expect.poll(() => rows(page).count()).toBe(10);
    expect(await rowIds(page)).toEqual(first);

    // Text search narrows the total on the server; it is in the address too.
    await page.getByLabel(zhTW.lists.text, { exact: true }).fill('在家打字');
    await page.getByRole('button', { name: zhTW.lists.apply, exact: true }).click();
    await page.waitForURL(/q=/);
    await count.getByText('共 1 件符合條件').waitFor();
    await page.getByRole('button', { name: zhTW.lists.clear }).click();
    await count.getByText('共 12 件符合條件').waitFor();

    // Server-side filters: platform, then scam type on top of it.
    await page.getByLabel(zhTW.case.platform).selectOption('line');
    await page.waitForURL('**/staff?size=10&platform=line');
    await count.getByText('共 1 件符合條件').waitFor();
    expect(await rowIds(page)).toEqual([linked]);
    await e2e.screenshot(page, 'staff-console-queue-filtered-zh-TW-1280');

    // Decided cases are left out unless asked for.
    const decided = await e2e.server.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${linked}/verdict`,
      headers: adminHeaders,
      payload: { verdict: 'fraud', note: 'e2e' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    await page.reload();
    await count.getByText('共 0 件符合條件').waitFor();
    await page.getByLabel(zhTW.staff.verdictFilter).selectOption('fraud');
    await page.waitForURL('**/staff?size=10&platform=line&verdict=fraud');
    await count.getByText('共 1 件符合條件').waitFor();

    // A shared address opens the same view, in English too.
    const other = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(other, analyst, '/staff');
    await e2e.open(other, '/staff?platform=website&size=10&lang=en');
    await other.locator('html[lang="en"]').waitFor();
    await other.getByTestId('queue-count').getByText('2 cases match.').waitFor();
    expect((await rowIds(other)).sort()).toEqual([source, target].sort());
    expect(await other.getByLabel(en.case.platform).inputValue()).toBe('website');
    await e2e.expectAccessible(other, 'the filtered staff queue in English');
    await e2e.screenshot(other, 'staff-console-queue-en-1280');
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('an analyst merges a case in, splits a report out, sees the campaign and captures evidence', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, analyst, '/staff');
    await e2e.open(page, `/cases/${target}`);
    const reports = page.getByTestId('case-reports');
    await reports.locator('li[data-report-id]').nth(1).waitFor();
    expect(await reports.locator('li[data-report-id]').count()).toBe(2);

    // The campaign: the linked case and the phone number both cases carry.
    const campaign = page.getByTestId('campaign');
    const link = campaign.locator(`li[data-case-id="${linked}"]`);
    await link.waitFor();
    expect(await link.textContent()).toContain('+886912345678');
    expect(await link.textContent()).toContain(`共用的${zhTW.indicator.phone}`);
    await e2e.expectAccessible(page, 'the staff case page');

    // Merge: check the other case first, then confirm.
    const mergePanel = page.locator('section', {
      has: page.getByRole('heading', { name: zhTW.caseAdmin.mergeHeading }),
    });
    await mergePanel.getByLabel(zhTW.caseAdmin.mergeSource).fill(source.toLowerCase());
    await mergePanel.getByRole('button', { name: zhTW.caseAdmin.mergeCheck }).click();
    const confirm = page.getByTestId('merge-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('在家打字工作');
    // Focus moves to the question so a screen reader user hears it.
    expect(await page.evaluate('document.activeElement && document.activeElement.tagName')).toBe(
      'H3',
    );
    await e2e.expectAccessible(page, 'the merge confirmation');
    await e2e.screenshot(page, 'staff-console-merge-confirm-zh-TW-1280');
    expect((await caseView(source)).reportCount).toBe(1);
    await confirm.getByRole('button', { name: zhTW.caseAdmin.mergeConfirm }).click();
    await page
      .getByTestId('merge-status')
      .getByText(`已將案件 ${source} 的 1 則通報併入本案`)
      .waitFor();
    await reports.locator('li[data-report-id]').nth(2).waitFor();
    expect((await caseView(source)).reportCount).toBe(0);
    expect((await caseView(target)).reportCount).toBe(3);
    await page.getByTestId('report-count').getByText('3 次通報').waitFor();

    // Merging it again is refused, and the page says why.
    await mergePanel.getByLabel(zhTW.caseAdmin.mergeSource).fill(source);
    await mergePanel.getByRole('button', { name: zhTW.caseAdmin.mergeCheck }).click();
    await confirm.getByRole('button', { name: zhTW.caseAdmin.mergeConfirm }).click();
    await mergePanel.getByRole('alert').getByText(zhTW.caseAdmin.errors.case_empty).waitFor();
    await mergePanel.getByRole('button', { name: zhTW.caseAdmin.cancel }).click();
    expect(await mergePanel.getByRole('alert').count()).toBe(0);

    // Split: nothing chosen is refused here; then the job report goes to a new case.
    await reports.getByRole('button', { name: /拆分為新案件/ }).click();
    await reports.getByText(zhTW.caseAdmin.splitChooseOne).waitFor();
    const jobReport = reports.locator('li[data-report-id]', { hasText: '在家打字工作' });
    await jobReport.getByRole('checkbox').check();
    await reports.getByRole('button', { name: /拆分為新案件/ }).click();
    const splitStatus = page.getByTestId('split-status');
    await splitStatus.getByText(/已將 1 則通報拆分為新案件 C[0-9A-Z]+/).waitFor();
    const newCase = (await splitStatus.getByRole('link').textContent())?.match(/C[0-9A-Z]+/)?.[0];
    expect(newCase).toBeDefined();
    expect(newCase).not.toBe(target);
    await reports.locator('li[data-report-id]').nth(1).waitFor();
    expect(await reports.locator('li[data-report-id]').count()).toBe(2);
    expect((await caseView(target)).reportCount).toBe(2);
    expect((await caseView(newCase ?? '')).reportCount).toBe(1);

    // Capture now: the server fetches the case's URL from the test's loopback site.
    hits = [];
    const captures = page.locator('section', {
      has: page.getByRole('heading', { name: zhTW.caseAdmin.capturesHeading }),
    });
    await captures.getByText(zhTW.caseAdmin.noCaptures).waitFor();
    await captures.getByRole('button', { name: zhTW.caseAdmin.captureNow }).click();
    await page
      .getByTestId('capture-status')
      .getByText(/已完成 \d+ 筆擷取/)
      .waitFor();
    const fresh = page.getByTestId('captures').locator('li[data-new="true"]');
    await fresh.first().waitFor();
    expect(await fresh.first().getAttribute('data-outcome')).toBe('fetched');
    expect(await fresh.first().textContent()).toContain(PAGE_TITLE);
    expect(hits).toContain('/invest');
    const stored = await e2e.server.app.inject({
      url: `/api/v1/cases/${target}/captures`,
      headers: adminHeaders,
    });
    const storedBody: { captures: { id: string }[] } = stored.json();
    expect(storedBody.captures.length).toBe(await fresh.count());

    // The audit trail names the merge and the split.
    const trail = page.getByTestId('audit-trail');
    await trail.locator('[data-event-type="case.merged"]').waitFor();
    await trail.locator('[data-event-type="case.split"]').waitFor();
    await e2e.expectAccessible(page, 'the staff case page after merge, split and capture');
    await e2e.screenshot(page, 'staff-console-case-zh-TW-1280');

    // The merged-away case says where it went.
    await e2e.open(page, `/cases/${source}`);
    const moved = page.getByTestId('merged-into');
    await moved.waitFor();
    expect(await moved.textContent()).toContain(target);
    await moved.getByRole('link').click();
    await page.waitForURL(`**/cases/${target}`);
    expect(e2e.unexpectedErrors(`409 /api/v1/cases/${target}/merge`)).toEqual([]);
  }, 90_000);
});
