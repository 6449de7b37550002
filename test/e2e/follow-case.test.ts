/**
 * "Follow this case" in a real browser (issue 15): the case page shows the control when the site
 * has a VAPID key, registers the service worker (/sw.js), subscribes with the site's key, follows
 * the case, and stops following with the token it kept; the decided case's message then reaches
 * a loopback push service that verifies and decrypts it. Headless Chromium has no push service
 * of its own (subscribing needs Google's), so PushManager's subscribe is replaced in the page by
 * one returning a subscription at the loopback service, with keys this test holds — everything
 * else (permission, service worker, the app's requests, the server's push) is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhTW } from '../../web/src/i18n/zh-TW.js';
import {
  deliverCaseUpdates,
  followersOfCase,
  generateVapidKeys,
} from '../../src/followers/index.js';
import { newSubscriber, startPushService, type PushService } from '../followers/push-service.js';
import { HAS_BROWSER, reportMissingBrowser, startE2E, type E2E } from './browser.js';

const SUITE = 'following a case in a real browser';
reportMissingBrowser(SUITE);

describe.skipIf(!HAS_BROWSER)(SUITE, () => {
  const vapid = generateVapidKeys();
  let e2e: E2E;
  let push: PushService;

  beforeAll(async () => {
    push = await startPushService(vapid.publicKey);
    e2e = await startE2E({
      WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
      WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
      WEB_PUSH_SUBJECT: 'mailto:ops@scamnet.test',
      SWEEP_INTERVAL_SECONDS: '0',
      CAPTURE_ALLOW_LOOPBACK: 'true',
      CAPTURE_ALLOWED_PORTS: `80,443,${push.port}`,
    });
  });
  afterAll(async () => {
    await e2e?.close();
    await push?.close();
  });

  it('follows from the case page, is told once the case is decided, and stops following', async () => {
    const reported = await e2e.server.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { url: 'https://www.facebook.com/follow.e2e/posts/1' },
    });
    const caseId: string = reported.json().case.id;
    const subscriber = newSubscriber();
    const endpoint = push.subscribe('/push/e2e', subscriber);

    const page = await e2e.newPage(1024, { injectAxe: true });
    await page.context().grantPermissions(['notifications'], { origin: e2e.baseUrl });
    // Page scripts as text: the test's tsconfig has no DOM types.
    await page.addInitScript(`
      PushManager.prototype.getSubscription = async () => null;
      PushManager.prototype.subscribe = async function (options) {
        const key = options.applicationServerKey;
        const view = new Uint8Array(key.buffer ?? key, key.byteOffset ?? 0, key.byteLength);
        window.subscribedWith = btoa(String.fromCharCode(...view))
          .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
        const subscription = ${JSON.stringify(subscriber.json(endpoint))};
        return { toJSON: () => subscription };
      };
    `);

    await e2e.open(page, `/cases/${caseId}`);
    const control = page.getByTestId('follow-case');
    await control.waitFor();
    await control.getByRole('button', { name: zhTW.follow.button }).click();
    await page.getByTestId('follow-status').waitFor();
    expect(await page.getByTestId('follow-status').textContent()).toBe(zhTW.follow.following);
    // Subscribed with this site's key, through a real service worker registration.
    expect(await page.evaluate('window.subscribedWith')).toBe(vapid.publicKey);
    const scope = await page.evaluate(`navigator.serviceWorker.getRegistration('/').then(
      (r) => r?.active?.scriptURL ?? r?.installing?.scriptURL ?? null)`);
    expect(scope).toBe(`${e2e.baseUrl}/sw.js`);
    expect(await followersOfCase(e2e.server.deps.db, caseId)).toHaveLength(1);
    await e2e.expectAccessible(page, 'case page, following');

    // Reloading keeps the state (the token is in this browser).
    await e2e.open(page, `/cases/${caseId}`);
    await page.getByTestId('follow-status').waitFor();

    const decided = await e2e.server.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/verdict`,
      headers: { authorization: `Bearer ${e2e.server.config.adminToken ?? ''}` },
      payload: { verdict: 'fraud' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(await deliverCaseUpdates(e2e.server.deps)).toMatchObject({ sent: 1 });
    expect(push.rejected).toEqual([]);
    expect(push.received.map((r) => r.message)).toEqual([
      {
        caseId,
        status: 'fraud_confirmed',
        title: '您追蹤的案件有新進度',
        body: `案件 ${caseId}：詐騙訊息，尚未通知平台`,
        url: `/cases/${caseId}`,
      },
    ]);

    // The unfollow link works from any browser: opening it changes nothing, its button stops.
    const link = (await page.getByTestId('unfollow-link').getAttribute('href')) ?? '';
    expect(link).toMatch(/^\/unfollow\/[A-Za-z0-9_-]{43}$/);
    const elsewhere = await e2e.newPage(360);
    await e2e.open(elsewhere, link);
    expect(await followersOfCase(e2e.server.deps.db, caseId)).toHaveLength(1);
    await elsewhere.getByRole('button', { name: zhTW.follow.stop }).click();
    await elsewhere.getByTestId('unfollow-done').waitFor();
    expect(await followersOfCase(e2e.server.deps.db, caseId)).toEqual([]);
    // The case page's own button, with the token already used, shows the case unfollowed.
    await page.getByRole('button', { name: zhTW.follow.stop }).click();
    await control.getByRole('button', { name: zhTW.follow.button }).waitFor();
    // The only failed request: that second stop (404 follower_not_found, shown as stopped).
    expect(e2e.pageErrors).toEqual([`404 ${link.replace('/unfollow/', '/api/v1/followers/')}`]);
  });
});
