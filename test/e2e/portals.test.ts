/**
 * The signed-in parts of the web UI in a real browser (issue 9): a verifier signs in, sees only
 * the cases routed to them with the evidence, and decides; an analyst filters the triage queue,
 * overrides triage with a reason and sees the full audit trail; a platform liaison acknowledges a
 * notice and reports removal, and the public case page shows it removed; the takedown board counts
 * down and marks an overdue notice in red; a one-click decision link works without signing in,
 * once; the bootstrap admin (admin token) manages the blocklist, users and API keys; an expired
 * session does not break public pages. axe-core checks every page visited (WCAG 2.1 A/AA), and
 * the main pages are run at 360 px. Set-up (build, real server, Chromium): ./browser.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import { adminHeaders, createUser, TEST_ADMIN_TOKEN, type TestUser } from '../harness.js';
import {
  createTestEntities,
  decideCaseViaApi,
  HSIEH_AD_TEXT,
  missDeadlineAfterAcknowledgement,
  HSIEH_CHIN_HO,
  HSIEH_OFFICE_VERIFIER,
  PCHOME,
} from '../factories.js';
import { createDecisionLink } from '../../src/verification/index.js';
import { HAS_BROWSER, reportMissingBrowser, useE2E, waitUntilLoaded } from './browser.js';

const SUITE = 'verifier portal, staff console and platform liaison in a real browser';
reportMissingBrowser(SUITE);

/** Cases routed to 謝金河's office for the paging test: more than one page (20) of the queue. */
const QUEUE_CASES = 24;

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  const e2e = useE2E({ DECISION_LINK_SECRET: 'decision-link-secret-for-e2e-0123456789' });
  let verifier: TestUser;
  let pchomeVerifier: TestUser;
  let analyst: TestUser;
  let liaison: TestUser;
  /** Routed to 謝金河's office, decided by the verifier, removed by Facebook. */
  let caseA = '';
  /** Routed to PChome, overridden by the analyst. */
  let caseB = '';

  beforeAll(async () => {
    await createTestEntities(e2e.server.app, [HSIEH_CHIN_HO, PCHOME]);
    const ctx = e2e.server;
    verifier = await createUser(ctx, HSIEH_OFFICE_VERIFIER);
    pchomeVerifier = await createUser(ctx, { role: 'verifier', entityIds: ['pchome'] });
    analyst = await createUser(ctx, { role: 'analyst', displayName: '分析師小林' });
    liaison = await createUser(ctx, { role: 'platform_liaison', platform: 'facebook' });
    caseA = await e2e.reportCase({
      url: 'https://www.facebook.com/ads/library/?id=987654321',
      text: HSIEH_AD_TEXT,
      platform: 'facebook',
    });
    caseB = await e2e.reportCase({
      url: 'https://pchome-24h-sale.shop/login',
      text: '網路家庭 PChome 週年慶，登入領取折價券',
      platform: 'website',
    });
  });

  it('a verifier signs in, sees only their queue with the evidence, and decides in one step', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, verifier, '/verify');
    expect(await page.getByTestId('user-bar').textContent()).toContain('謝金河辦公室');
    const item = page.locator(`.queue__item[data-case-id="${caseA}"]`);
    await item.waitFor();
    // Only the case routed to their entity; PChome's case is not theirs.
    expect(await page.locator(`[data-case-id="${caseB}"]`).count()).toBe(0);
    expect(await page.locator('.queue__item').count()).toBe(1);
    // The evidence: the reported text, the URL as plain text (never a link).
    expect(await item.locator('blockquote').first().textContent()).toContain(HSIEH_AD_TEXT);
    await item.locator('code', { hasText: 'facebook.com/ads/library' }).first().waitFor();
    expect(await page.locator('main a[href*="facebook.com"]').count()).toBe(0);
    await e2e.screenshot(page, 'verify-zh-TW-1280');
    await e2e.expectAccessible(page, 'the verifier queue');

    // need_info without a question is refused beside the field; then decide fraud.
    await item.getByRole('radio', { name: zhTW.decision.need_info }).check();
    await item.getByRole('button', { name: zhTW.decide.submit }).click();
    await item.getByText(zhTW.decide.questionRequired).waitFor();
    expect(await item.getByLabel(zhTW.decide.question).getAttribute('aria-invalid')).toBe('true');
    await item.getByRole('radio', { name: zhTW.decision.fraud, exact: true }).check();
    await item.getByLabel(zhTW.decide.note).fill('本人從未投放此廣告');
    await item.getByRole('button', { name: zhTW.decide.submit }).click();
    const decided = page.getByTestId('decided-status');
    await decided.getByText(caseA).waitFor();
    // Facebook has no delivery channel here: nothing says the platform was told.
    expect(await decided.textContent()).toContain('詐騙訊息，尚未通知平台');
    await page.getByTestId('queue-empty').waitFor();
    await e2e.expectAccessible(page, 'the verifier queue after deciding');

    // The server agrees: fraud, and a notice to Facebook.
    const view = await e2e.server.app.inject({ url: `/api/v1/cases/${caseA}` });
    expect(view.json()).toMatchObject({ case: { verdict: 'fraud', status: 'fraud_confirmed' } });
    // A verifier cannot open the staff console.
    await e2e.open(page, '/staff');
    await page.getByText('您的角色（確認單位）無法使用這個頁面。').waitFor();
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('an analyst filters the triage queue, overrides triage with a reason and sees the audit trail', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, analyst, '/staff');
    const table = page.getByTestId('staff-queue');
    await table.locator(`tr[data-case-id="${caseB}"]`).waitFor();
    // The decided case has left the queue.
    expect(await table.locator(`tr[data-case-id="${caseA}"]`).count()).toBe(0);
    await e2e.screenshot(page, 'staff-queue-zh-TW-1280');
    await e2e.expectAccessible(page, 'the staff triage queue');

    // Filters: by routed entity (server side) and scam type (here), kept in the address.
    await page.getByLabel(zhTW.triage.routed).selectOption('pchome');
    await page.waitForURL('**/staff?entity=pchome');
    await table.locator(`tr[data-case-id="${caseB}"]`).waitFor();
    await page.getByLabel(zhTW.triage.scamType).selectOption('romance');
    await page.getByTestId('queue-count').getByText('共 0 件符合條件').waitFor();
    await page.getByLabel(zhTW.triage.scamType).selectOption('');

    // The case page has the staff panels.
    await table.getByRole('link', { name: caseB }).click();
    await page.waitForURL(`**/cases/${caseB}`);
    const scamType = page.getByTestId('triage-scam-type');
    await scamType.waitFor();
    const triagePanel = page.locator('section', { has: page.getByTestId('triage-facts') });
    await triagePanel.getByLabel(zhTW.triage.scamType).selectOption('charity');
    await triagePanel.getByRole('button', { name: zhTW.triage.submit }).click();
    // The reason is required.
    await triagePanel.getByText(zhTW.triage.reasonRequired).waitFor();
    const reason = triagePanel.getByLabel(zhTW.triage.reason);
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('e2e: 其實是抽獎詐騙');
    await triagePanel.getByRole('button', { name: zhTW.triage.submit }).click();
    await page.getByTestId('triage-status').getByText(zhTW.triage.saved).waitFor();
    expect(await scamType.textContent()).toContain('慈善捐款');
    expect(await scamType.textContent()).toContain(zhTW.triage.overridden);

    // The full audit trail has the override with its reason; the public steps are there too.
    const override = page
      .getByTestId('audit-trail')
      .locator('[data-event-type="case.triage_override"]');
    await override.waitFor();
    expect(await override.textContent()).toContain('e2e: 其實是抽獎詐騙');
    expect(await override.textContent()).toContain(zhTW.auditType.caseTriageOverride);
    for (const step of ['reported', 'triaged', 'sent']) {
      expect(await page.locator(`[data-step="${step}"]`).getAttribute('data-done')).toBe('true');
    }
    const triage = await e2e.server.app.inject({
      url: `/api/v1/cases/${caseB}/triage`,
      headers: adminHeaders,
    });
    expect(triage.json()).toMatchObject({ scamType: 'charity', overrides: ['scamType'] });
    await e2e.screenshot(page, 'staff-case-zh-TW-1280');
    await e2e.expectAccessible(page, 'the case page with staff panels');

    // The public sees the same case without any staff control or audit event.
    const citizen = await e2e.newPage(1280);
    await e2e.open(citizen, `/cases/${caseB}`);
    await citizen.getByTestId('timeline').waitFor();
    expect(await citizen.getByTestId('triage-facts').count()).toBe(0);
    expect(await citizen.getByTestId('audit-trail').count()).toBe(0);
    expect(await citizen.getByRole('heading', { name: zhTW.verdictPanel.heading }).count()).toBe(0);
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('a platform liaison acknowledges a notice and reports removal; the case shows removed', async () => {
    const page = await e2e.newPage(1280, {
      injectAxe: true,
      clockAt: e2e.server.clock.now(),
    });
    await e2e.signIn(page, liaison, '/platform');
    const card = page.getByTestId('liaison-open').locator('article', { hasText: caseA });
    await card.waitFor();
    // No channel delivered it: no deadline runs until the liaison acknowledges it here.
    expect(await card.getByTestId('deadline').textContent()).toContain(zhTW.deadline.notDelivered);
    expect(await card.getByTestId('deadline').getAttribute('data-pending')).toBe('true');
    await e2e.screenshot(page, 'platform-zh-TW-1280');
    await e2e.expectAccessible(page, 'the platform liaison notices');

    await card.getByRole('button', { name: zhTW.liaison.acknowledge }).click();
    await card.getByTestId('notice-state').getByText(zhTW.noticeState.acknowledged).waitFor();
    // Acknowledged now: that is its delivery, and the 24 hours run from it.
    expect(await card.getByTestId('deadline').textContent()).toContain('剩 24 小時 00 分');
    expect(await card.getByTestId('deadline').getAttribute('data-overdue')).toBe('false');
    // Rejecting needs a reason; removal does not.
    await card.getByRole('radio', { name: zhTW.noticeState.rejected }).check();
    await card.getByRole('button', { name: zhTW.liaison.submitOutcome }).click();
    await card.getByText(zhTW.liaison.reasonRequired).waitFor();
    await card.getByRole('radio', { name: zhTW.noticeState.removed }).check();
    await card.getByRole('button', { name: zhTW.liaison.submitOutcome }).click();
    const closed = page.getByTestId('liaison-closed').locator('article', { hasText: caseA });
    await closed.getByTestId('notice-state').getByText(zhTW.noticeState.removed).waitFor();
    await e2e.expectAccessible(page, 'the platform liaison notices after reporting');

    const citizen = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(citizen, `/cases/${caseA}`);
    await citizen.locator('[data-step="removed"][data-done="true"]').waitFor();
    expect(await citizen.getByTestId('case-status').textContent()).toContain(
      '詐騙訊息，平台已移除',
    );
    for (const step of ['reported', 'triaged', 'sent', 'decided', 'platform_notified']) {
      expect(await citizen.locator(`[data-step="${step}"]`).getAttribute('data-done')).toBe('true');
    }
    expect(await citizen.locator('[data-step="sent"]').textContent()).toContain(
      zhTW.timeline.sent_to_party,
    );
    await e2e.screenshot(citizen, 'case-removed-zh-TW-360');
    await e2e.expectAccessible(citizen, 'the public case page with its progress');
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('the takedown board counts down, shows an overdue notice in red, and the compliance table', async () => {
    const caseD = await e2e.reportCase({
      url: 'https://www.facebook.com/ads/library/?id=5550001',
      text: '限時領取政府補助金，點此登記',
      platform: 'facebook',
    });
    await decideCaseViaApi(e2e.server.app, caseD);
    // Facebook has no channel here: the notice waits, and no deadline can be missed.
    const waiting = (
      await e2e.server.app.inject({
        url: '/api/v1/notices?state=pending_delivery',
        headers: adminHeaders,
      })
    )
      .json()
      .notices.find((n: { caseId: string }) => n.caseId === caseD);
    expect(waiting).toMatchObject({ pendingReason: 'no_channel', deadlineAt: null });
    // An admin records the platform's acknowledgement (received by phone): delivered then.
    expect(await missDeadlineAfterAcknowledgement(e2e.server, String(waiting.id))).toMatchObject({
      missedDeadlines: 1,
    });

    const page = await e2e.newPage(1280, {
      injectAxe: true,
      clockAt: e2e.server.clock.now(),
    });
    await e2e.signIn(page, analyst, '/staff');
    await page.getByRole('link', { name: zhTW.staff.nav.takedown, exact: true }).click();
    const row = page.getByTestId('open-notices').locator('tr', { hasText: caseD });
    await row.waitFor();
    const deadline = row.getByTestId('deadline');
    expect(await deadline.getAttribute('data-overdue')).toBe('true');
    expect(await deadline.getAttribute('class')).toContain('deadline--overdue');
    // Overdue since the first deadline (an hour ago); the next occurrence is counted down.
    expect(await deadline.textContent()).toContain('已逾期 1 小時 00 分');
    expect(await deadline.textContent()).toContain('下一個期限剩 23 小時 00 分');
    expect(await row.textContent()).toContain(zhTW.noticeState.overdue);
    const compliance = page.getByTestId('compliance').locator('tr', { hasText: 'Facebook' });
    await compliance.waitFor();
    await e2e.screenshot(page, 'takedown-zh-TW-1280');
    await e2e.expectAccessible(page, 'the takedown board');
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it('a one-click decision link shows the case and decides without signing in, once', async () => {
    const caseE = await e2e.reportCase({
      text: '謝董推薦：跟著謝金河買就對了，加入VIP投資群',
      platform: 'line',
    });
    const token = await e2e.server.deps.db
      .transaction()
      .execute((trx) => createDecisionLink(trx, e2e.server.deps, caseE, 'hsieh-chin-ho'));
    const page = await e2e.newPage(360, { injectAxe: true });
    await e2e.open(page, `/decide/${token}`);
    await page.getByRole('heading', { name: `案件 ${caseE}` }).waitFor();
    expect(await page.locator('blockquote.summary').textContent()).toContain('謝金河');
    expect(await page.getByTestId('user-bar').count()).toBe(0);
    await e2e.screenshot(page, 'decide-link-zh-TW-360');
    await e2e.expectAccessible(page, 'the one-click decision page');

    await page.getByRole('radio', { name: zhTW.decision.high_risk }).check();
    await page.getByRole('button', { name: zhTW.decide.submit }).click();
    await page.getByTestId('link-done').getByText('高風險訊息').waitFor();
    const view = await e2e.server.app.inject({ url: `/api/v1/cases/${caseE}` });
    expect(view.json()).toMatchObject({ case: { verdict: 'high_risk' } });

    // The link works once.
    await e2e.open(page, `/decide/${token}`);
    await page.getByTestId('link-error').getByText(zhTW.decideLink.decision_link_used).waitFor();
    await e2e.expectAccessible(page, 'a used decision link');
    // A forged link is refused too.
    await e2e.open(page, `/decide/${token.slice(0, -4)}AAAA`);
    await page.getByTestId('link-error').getByText(zhTW.decideLink.decision_link_invalid).waitFor();
    expect(
      e2e.unexpectedErrors('409 /api/v1/decision-links', '404 /api/v1/decision-links'),
    ).toEqual([]);
  }, 60_000);

  it('the bootstrap admin manages the blocklist, accounts and API keys, entities and routing', async () => {
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.open(page, '/signin');
    await page.getByText(zhTW.signIn.withToken).click();
    await page.getByLabel(zhTW.signIn.token, { exact: true }).fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: zhTW.signIn.tokenSubmit }).click();
    await page.waitForURL('**/staff');

    // Blocklist: the guard refuses a platform; a proposed domain is activated with its legal
    // basis, then appealed.
    await page.getByRole('link', { name: zhTW.staff.nav.blocklist, exact: true }).click();
    await page.getByText(zhTW.blocklist.propose).click();
    const domainField = page.getByLabel(zhTW.blocklist.domain, { exact: true });
    await domainField.fill('facebook.com');
    await page.getByRole('button', { name: zhTW.blocklist.proposeSubmit }).click();
    await page.getByText('這個網域不能封鎖').waitFor();
    const domain = `fake-shop-e2e-${Date.now().toString(36)}.com.tw`;
    await domainField.fill(domain);
    await page.getByRole('button', { name: zhTW.blocklist.proposeSubmit }).click();
    const entry = page.locator('article', { hasText: domain });
    await entry.getByText(zhTW.entryState.proposed).waitFor();
    await entry.getByRole('button', { name: zhTW.blocklist.action.activate }).click();
    await entry.getByRole('button', { name: zhTW.blocklist.action.activate }).last().click();
    await entry.getByText(zhTW.blocklist.basisRequired).waitFor();
    await entry.getByLabel(zhTW.blocklist.reference).fill('數授產字第1150000001號');
    await entry.getByLabel(zhTW.blocklist.basisDate).fill('2026-11-20');
    await entry.getByLabel(zhTW.blocklist.unit).fill('數位發展部');
    await entry.getByRole('button', { name: zhTW.blocklist.action.activate }).last().click();
    await entry.locator('.chip').getByText(zhTW.entryState.active).waitFor();
    expect(await entry.textContent()).toContain('數授產字第1150000001號');
    await e2e.expectAccessible(page, 'the blocklist');
    await entry.getByRole('button', { name: zhTW.blocklist.action.appeal }).click();
    await entry.getByLabel(zhTW.blocklist.note).fill('e2e: 網站經營者提出申訴');
    await entry.getByRole('button', { name: zhTW.blocklist.action.appeal }).last().click();
    await entry.locator('.chip').getByText(zhTW.entryState.appealed).waitFor();
    const feed = await e2e.server.app.inject({ url: '/api/v1/blocklist/feeds/hosts.txt' });
    expect(feed.body).not.toContain(domain);
    await e2e.screenshot(page, 'blocklist-zh-TW-1280');

    // Accounts and API keys: the new key is shown once.
    await page.getByRole('link', { name: zhTW.staff.nav.users, exact: true }).click();
    await page.getByText(zhTW.users.addKey).click();
    await page.getByLabel(zhTW.users.keyName, { exact: true }).fill('LINE bot e2e');
    await page.getByRole('button', { name: zhTW.users.createKey }).click();
    const shown = page.getByTestId('shown-once');
    await shown.waitFor();
    const key = (await shown.locator('code').textContent()) ?? '';
    expect(key).toMatch(/^snk_[0-9a-z]{10}_\S+$/);
    await page.getByTestId('api-keys').locator('tr', { hasText: 'LINE bot e2e' }).waitFor();
    await page.getByText(zhTW.users.add, { exact: true }).click();
    await page.getByLabel(zhTW.signIn.email, { exact: true }).fill('office-e2e@example.test');
    await page.getByLabel(zhTW.users.entities).fill('pchome');
    await page.getByRole('button', { name: zhTW.users.create }).click();
    await page.getByTestId('users').locator('tr', { hasText: 'office-e2e@example.test' }).waitFor();
    expect(await page.getByTestId('shown-once').count()).toBe(2);
    await e2e.screenshot(page, 'users-zh-TW-1280');
    await e2e.expectAccessible(page, 'users and API keys');
    await page.reload();
    await page.getByTestId('api-keys').locator('tr', { hasText: 'LINE bot e2e' }).waitFor();
    expect(await page.getByTestId('shown-once').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(key);

    // Entities and routing rules (admins may edit the rules).
    await page.getByRole('link', { name: zhTW.staff.nav.entities, exact: true }).click();
    await page.locator('[data-entity-id="hsieh-chin-ho"]').waitFor();
    await page.getByTestId('routing-rules').waitFor();
    // Edit a rule's note and save the whole set; the server has it.
    const noteField = page.getByLabel('第 1 條規則：說明', { exact: true });
    await noteField.fill('e2e: 冒用身分由本人確認');
    await page.getByRole('button', { name: zhTW.routing.save }).click();
    await page.getByText(/已儲存 \d+ 條規則/).waitFor();
    const rules = await e2e.server.app.inject({
      url: '/api/v1/routing-rules',
      headers: adminHeaders,
    });
    const saved: { rules: Array<{ note: string | null }> } = rules.json();
    expect(saved.rules.map((rule) => rule.note)).toContain('e2e: 冒用身分由本人確認');

    // Add an entity through the form: a bad ID is refused beside its field, a good one is saved.
    const addEntity = page.locator('details', { has: page.getByText(zhTW.entities.add) });
    await addEntity.locator('summary').click();
    const idField = addEntity.getByLabel(zhTW.entities.id, { exact: true });
    await idField.fill('Not an ID');
    await addEntity.getByLabel(zhTW.entities.nameZh, { exact: true }).fill('端對端測試單位');
    await addEntity.getByRole('button', { name: zhTW.entities.save }).click();
    await addEntity.getByText(zhTW.entities.idInvalid).waitFor();
    expect(await idField.getAttribute('aria-invalid')).toBe('true');
    const idErrorId = ((await idField.getAttribute('aria-describedby')) ?? '')
      .split(' ')
      .find((describer) => describer.endsWith('-error'));
    expect(await page.locator(`[id="${idErrorId}"]`).textContent()).toBe(zhTW.entities.idInvalid);
    await idField.fill('e2e-unit');
    await addEntity.getByRole('button', { name: zhTW.entities.save }).click();
    await page.locator('[data-entity-id="e2e-unit"]').waitFor();
    expect(await idField.inputValue()).toBe('');

    // Add a rule routed to it and save; then remove it and save again.
    const cellName = (n: number, what: string) =>
      zhTW.routing.cellLabel.replace('{{n}}', String(n)).replace('{{what}}', what);
    const cell = (n: number, what: string) => page.getByLabel(cellName(n, what), { exact: true });
    const ruleRows = page.getByTestId('routing-rules').locator('tbody tr');
    const ruleCount = await ruleRows.count();
    await page.getByRole('button', { name: zhTW.routing.add }).click();
    expect(await ruleRows.count()).toBe(ruleCount + 1);
    await cell(ruleCount + 1, zhTW.routing.target).selectOption('e2e-unit');
    await page.getByRole('button', { name: zhTW.routing.save }).click();
    await page.getByText(`已儲存 ${ruleCount + 1} 條規則`).waitFor();
    const withRule: { rules: Array<{ target: string }> } = (
      await e2e.server.app.inject({ url: '/api/v1/routing-rules', headers: adminHeaders })
    ).json();
    expect(withRule.rules.map((rule) => rule.target)).toContain('e2e-unit');
    await cell(ruleCount + 1, zhTW.routing.remove).click();
    expect(await ruleRows.count()).toBe(ruleCount);
    await page.getByRole('button', { name: zhTW.routing.save }).click();
    await page.getByText(`已儲存 ${ruleCount} 條規則`).waitFor();
    const withoutRule: { rules: Array<{ target: string }> } = (
      await e2e.server.app.inject({ url: '/api/v1/routing-rules', headers: adminHeaders })
    ).json();
    expect(withoutRule.rules.map((rule) => rule.target)).not.toContain('e2e-unit');
    await e2e.screenshot(page, 'entities-zh-TW-1280');
    await e2e.expectAccessible(page, 'entities and routing rules');
    expect(e2e.unexpectedErrors('400 /api/v1/blocklist/entries')).toEqual([]);
  }, 90_000);

  it('the main pages fit a 360 px phone and pass axe, in Chinese and English', async () => {
    const pages: Array<[TestUser, string, string[]]> = [
      [analyst, '/staff', ['/staff', `/cases/${caseB}`, '/staff/takedown', '/staff/entities']],
      [verifier, '/verify', ['/verify']],
      [liaison, '/platform', ['/platform']],
    ];
    for (const [user, landing, paths] of pages) {
      const page = await e2e.newPage(360, { injectAxe: true });
      await e2e.signIn(page, user, landing);
      for (const path of paths) {
        for (const lang of ['zh-TW', 'en'] as const) {
          await e2e.open(page, `${path}?lang=${lang}`);
          await page.locator(`html[lang="${lang}"]`).waitFor();
          await waitUntilLoaded(page, lang);
          const name = `${path.replaceAll('/', '-').slice(1) || 'home'}-${lang}-360`;
          await e2e.screenshot(page, name.replace(/cases-C[0-9A-Z]+/, 'case-staff'));
          await e2e.expectAccessible(page, `${path} at 360 px (${lang})`);
          const overflow = await page.evaluate(
            'document.documentElement.scrollWidth - document.documentElement.clientWidth',
          );
          expect(overflow, `${path} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
        }
      }
      expect(await page.getByTestId('user-bar').textContent()).toContain(
        en.role[user.role === 'platform_liaison' ? 'platform_liaison' : user.role],
      );
    }
    await e2e.open(await e2e.newPage(360), '/signin?lang=en');
    expect(e2e.unexpectedErrors()).toEqual([]);
  }, 120_000);

  it('an expired session does not break public pages: the stale cookie is cleared', async () => {
    const page = await e2e.newPage(1280);
    await e2e.signIn(page, pchomeVerifier, '/verify');
    // Disabling the account ends its sessions: the browser still holds the cookie.
    const disabled = await e2e.server.app.inject({
      method: 'POST',
      url: `/api/v1/users/${pchomeVerifier.id}/disable`,
      headers: adminHeaders,
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    await e2e.open(page, `/?q=${encodeURIComponent('https://unknown-e2e-site.com.tw/x')}`);
    await page.getByTestId('lookup-not-found').waitFor();
    expect(await page.getByTestId('user-bar').count()).toBe(0);
    // The page clears the stale cookie when its session check answers 401; that request may still
    // be in flight when the lookup result shows, so wait for it rather than race it.
    await expect
      .poll(async () => (await page.context().cookies()).map((c) => c.name), { timeout: 15_000 })
      .not.toContain('scamnet_session');
    // And a report goes through as the public.
    await page.getByLabel(zhTW.report.platformLabel).selectOption('website');
    expect(
      await page.getByLabel(zhTW.report.platformLabel).locator('option').allTextContents(),
    ).not.toContain(zhTW.platform.meta_audience_network);
    await page.getByRole('button', { name: zhTW.report.submit }).click();
    await page.getByTestId('report-outcome').waitFor();
    expect(e2e.unexpectedErrors('401 /api/v1/')).toEqual([]);
  }, 60_000);

  it("a verifier's queue beyond one page: the true total, pages, search; a case past the first page is decided from its own page", async () => {
    // 24 more cases routed to 謝金河's office (short texts: each its own case), one second apart.
    const routed: string[] = [];
    for (let n = 0; n < QUEUE_CASES; n += 1) {
      e2e.server.clock.advance(1000);
      routed.push(
        await e2e.reportCase({
          url: `https://www.facebook.com/ads/library/?id=${700_000 + n}`,
          text: n % 10 === 0 ? `謝金河報台積電${n}` : `謝金河報明牌${n}`,
          platform: 'facebook',
        }),
      );
    }
    expect(new Set(routed).size).toBe(QUEUE_CASES);
    // The whole queue as the API orders it (with case A when an earlier test left it undecided).
    const queued = await e2e.server.app.inject({
      url: '/api/v1/verification/queue?entityId=hsieh-chin-ho&limit=200',
      headers: adminHeaders,
    });
    const order = (queued.json().items as Array<{ case: { id: string } }>).map((i) => i.case.id);
    expect(order.slice(-QUEUE_CASES)).toEqual(routed);
    const all = order.length;
    const page = await e2e.newPage(1280, { injectAxe: true });
    await e2e.signIn(page, verifier, '/verify');
    const total = page.getByTestId('queue-total');
    await total.getByText(`共 ${all} 件待確認`).waitFor();
    const items = page.locator('.queue__item');
    await expect.poll(() => items.count()).toBe(20);
    expect(await items.first().getAttribute('data-case-id')).toBe(order[0]);
    const pager = page.getByRole('navigation', { name: `${zhTW.verifier.queue}：分頁` });
    expect(await pager.textContent()).toContain(`第 1 / 2 頁（第 1–20 筆，共 ${all} 筆）`);
    expect(await page.locator(`.queue__item[data-case-id="${routed[22]}"]`).count()).toBe(0);
    await pager.getByRole('button', { name: zhTW.pager.next }).click();
    await page.waitForURL('**/verify?page=2');
    await expect.poll(() => items.count()).toBe(all - 20);
    expect(await items.first().getAttribute('data-case-id')).toBe(order[20]);
    // The case decided below is on this second page, not the first.
    expect(await page.locator(`.queue__item[data-case-id="${routed[22]}"]`).count()).toBe(1);
    await e2e.expectAccessible(page, 'the second page of the verifier queue');

    // Search by text on the server: three of them name 台積電; the search starts at page one.
    await page.getByLabel(zhTW.lists.text, { exact: true }).fill('台積電');
    await page.getByRole('button', { name: zhTW.lists.apply, exact: true }).click();
    await total.getByText('符合篩選條件的待確認案件共 3 件').waitFor();
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
    // A search for something that is no indicator is refused beside its field.
    await page.getByRole('button', { name: zhTW.lists.clear }).click();
    await total.getByText(`共 ${all} 件待確認`).waitFor();
    const indicator = page.getByLabel(zhTW.lists.indicator, { exact: true });
    await indicator.fill('hello world');
    await page.getByRole('button', { name: zhTW.lists.apply, exact: true }).click();
    await page.getByText(zhTW.errors.invalid_indicator).first().waitFor();
    expect(await indicator.getAttribute('aria-invalid')).toBe('true');
    await indicator.fill('https://www.facebook.com/ads/library/?id=700022');
    await page.getByRole('button', { name: zhTW.lists.apply, exact: true }).click();
    await total.getByText('符合篩選條件的待確認案件共 1 件').waitFor();
    expect(await items.first().getAttribute('data-case-id')).toBe(routed[22]);

    // The case on page two has the decision form on its own page, with what was reported.
    const target = routed[22] ?? '';
    await e2e.open(page, `/cases/${target}`);
    const panel = page.getByTestId('case-decision');
    await panel.waitFor();
    await panel.locator('blockquote', { hasText: '謝金河報明牌22' }).waitFor();
    await e2e.screenshot(page, 'case-decide-verifier-zh-TW-1280');
    await e2e.expectAccessible(page, 'a case page with the decision form');
    await panel.getByRole('radio', { name: zhTW.decision.high_risk }).check();
    await panel.getByRole('button', { name: zhTW.decide.submit }).click();
    await page.getByTestId('case-decided').waitFor();
    await page.getByTestId('case-status').getByText(zhTW.status.high_risk).waitFor();
    expect(await page.getByTestId('case-decision').count()).toBe(0);
    const view = await e2e.server.app.inject({ url: `/api/v1/cases/${target}` });
    expect(view.json()).toMatchObject({ case: { verdict: 'high_risk' } });
    // The queue counts one fewer.
    await e2e.open(page, '/verify');
    await total.getByText(`共 ${all - 1} 件待確認`).waitFor();

    // Another entity's verifier sees the case page without the form; an analyst gets it.
    const other = await e2e.newPage(1280, { injectAxe: true });
    // (A new one: the PChome verifier of the other tests may have been disabled.)
    const otherVerifier = await createUser(e2e.server, { role: 'verifier', entityIds: ['pchome'] });
    await e2e.signIn(other, otherVerifier, '/verify');
    await e2e.open(other, `/cases/${routed[23]}`);
    await other.getByTestId('case-not-in-queue').waitFor();
    expect(await other.getByTestId('case-decision').count()).toBe(0);
    await e2e.expectAccessible(other, 'a case page of another entity for a verifier');
    // Analysts decide any case on its page with the verdict panel (one form, not two).
    const staff = await e2e.newPage(1280);
    await e2e.signIn(staff, analyst, '/staff');
    await e2e.open(staff, `/cases/${routed[23]}`);
    await staff.getByRole('heading', { name: zhTW.verdictPanel.heading }).waitFor();
    expect(await staff.getByTestId('case-decision').count()).toBe(0);
    expect(await staff.getByRole('radio', { name: zhTW.verdict.fraud, exact: true }).count()).toBe(
      1,
    );
    // On a 360 px phone, in English: the second page of the queue and a case to decide.
    const phone = await e2e.newPage(360, { injectAxe: true });
    await e2e.signIn(phone, verifier, '/verify');
    for (const [path, ready] of [
      ['/verify?page=2&lang=en', 'queue-total'],
      [`/cases/${routed[23]}?lang=en`, 'case-decision'],
    ] as const) {
      await e2e.open(phone, path);
      await phone.locator('html[lang="en"]').waitFor();
      await phone.getByTestId(ready).waitFor();
      await e2e.screenshot(phone, `verify-paging-${ready}-en-360`);
      await e2e.expectAccessible(phone, `${path} at 360 px`);
      const overflow = await phone.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow, `${path} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    }
    expect(await phone.getByTestId('case-decision').textContent()).toContain(
      en.caseDecision.heading,
    );
    expect(e2e.unexpectedErrors('400 /api/v1/verification/queue')).toEqual([]);
  }, 120_000);
});
