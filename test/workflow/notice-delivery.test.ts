/**
 * A takedown notice is "sent" only when a delivery succeeded, and its legal deadline runs from
 * then (issue 18): without a working channel a notice is `pending_delivery` — visible to staff
 * with why and since when, no deadline, never a sanction, and the case never reads 「已通知平台移除」
 * — and configuring or repairing the platform's channel delivers the notices waiting for it.
 * Through the HTTP API, the sweep, and a webhook receiver and SMTP server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicBaseUrlWarnings, publicLinkBase } from '../../src/config/index.js';
import { adminHeaders, apiKeyFor, testDialects } from '../harness.js';
import { decideCaseViaApi, setChannelViaApi } from '../factories.js';
import type { TestApp } from '../harness.js';
import { startDeliveryApp, type DeliveryApp } from './support.js';

type Ctx = TestApp;
const HOUR = 3_600_000;
const SECRET = 'delivery-test-webhook-secret-0123';

describe.each(testDialects())('takedown notice delivery on %s', (dialect) => {
  let ctx: Ctx;
  let smtp: DeliveryApp['smtp'];
  let webhook: DeliveryApp['webhook'];
  let close: DeliveryApp['close'] | undefined;
  let liaison: Record<string, string>;

  beforeAll(async () => {
    ({ ctx, smtp, webhook, close } = await startDeliveryApp(dialect, {
      // Left at a loopback address: notices must carry no link to it.
      PUBLIC_BASE_URL: 'http://localhost:8080',
    }));
    liaison = (await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'tiktok' })).headers;
  });
  afterAll(async () => close?.());

  const inject: Ctx['app']['inject'] = (...args: Parameters<Ctx['app']['inject']>) =>
    ctx.app.inject(...args);
  const sweep = async () =>
    (await inject({ method: 'POST', url: '/api/v1/sweep', headers: adminHeaders })).json();
  const notice = async (id: string) =>
    (await inject({ url: `/api/v1/notices/${id}`, headers: adminHeaders })).json();
  const caseView = async (id: string) => (await inject({ url: `/api/v1/cases/${id}` })).json().case;

  /** Reports `url` on `platform`, confirms it as fraud, and returns the case and its one notice. */
  async function confirmed(url: string): Promise<{ caseId: string; noticeId: string }> {
    const reported = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      // A text of its own, so that no two test cases merge into one.
      payload: { url, text: `飆股老師帶單，保證獲利 ${url}` },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const caseId: string = reported.json().case.id;
    await decideCaseViaApi(ctx.app, caseId);
    const list = (await inject({ url: '/api/v1/notices', headers: adminHeaders })).json().notices;
    const own = list.filter((n: { caseId: string }) => n.caseId === caseId);
    expect(own).toHaveLength(1);
    return { caseId, noticeId: own[0].id };
  }

  it('waits without a channel: no deadline, no sanction, no "platform told"; a channel set later delivers it', async () => {
    const { caseId, noticeId } = await confirmed(
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ&delivery=1',
    );
    expect(await notice(noticeId)).toMatchObject({
      platform: 'youtube',
      state: 'pending_delivery',
      sentAt: null,
      firstDeadlineAt: null,
      deadlineAt: null,
      pendingReason: 'no_channel',
      deliveries: [],
    });
    expect(await caseView(caseId)).toMatchObject({
      status: 'fraud_confirmed',
      label: { 'zh-TW': '詐騙訊息，尚未通知平台', en: 'Scam — platform not yet told' },
    });
    // Staff find it among the notices waiting for delivery, with its age.
    const waiting = (
      await inject({ url: '/api/v1/notices?state=pending_delivery', headers: adminHeaders })
    ).json().notices;
    expect(waiting.map((n: { id: string }) => n.id)).toContain(noticeId);
    expect(waiting[0].createdAt).toEqual(expect.any(String));

    // A week passes: nothing was delivered, so no deadline was missed and nothing is owed.
    ctx.clock.advance(7 * 24 * HOUR);
    expect(await sweep()).toMatchObject({ missedDeadlines: 0, sanctions: 0 });
    expect(
      (await inject({ url: '/api/v1/sanctions', headers: adminHeaders })).json().sanctions,
    ).toEqual([]);
    const timeline = (await inject({ url: `/api/v1/cases/${caseId}/timeline` })).json().steps;
    expect(timeline.map((s: { step: string }) => s.step)).not.toContain('platform_notified');

    // The admin sets YouTube's webhook: the waiting notice is queued and the sweep delivers it.
    const set = await setChannelViaApi(ctx.app, 'youtube', {
      webhookUrl: webhook.url,
      webhookSecret: SECRET,
    });
    expect(set.noticesQueued).toBe(1);
    expect((await notice(noticeId)).pendingReason).toBe('queued');
    const deliveredAt = new Date(ctx.clock.now()).toISOString();
    expect((await sweep()).deliveries.sent).toBe(1);
    const body = JSON.parse(webhook.requests.at(-1)?.body ?? '{}');
    const after = await notice(noticeId);
    expect(after).toMatchObject({
      state: 'sent',
      sentAt: deliveredAt,
      firstDeadlineAt: new Date(ctx.clock.now() + 24 * HOUR).toISOString(),
      deadlineAt: new Date(ctx.clock.now() + 24 * HOUR).toISOString(),
      pendingReason: null,
    });
    // What the platform was told is what was recorded: the deadline it was given.
    expect(JSON.stringify(body)).toContain(after.deadlineAt.slice(0, 16));
    expect(await caseView(caseId)).toMatchObject({ status: 'fraud_notified' });
    const steps = (await inject({ url: `/api/v1/cases/${caseId}/timeline` })).json().steps;
    expect(steps.find((s: { step: string }) => s.step === 'platform_notified')).toMatchObject({
      at: deliveredAt,
      detail: { platform: 'youtube' },
    });
    // Steps are in time order.
    const times = steps.map((s: { at: string }) => s.at);
    expect(times).toEqual([...times].sort());
  });

  it('keeps a notice pending while deliveries fail, says why, and delivers it once the channel is repaired', async () => {
    // Nothing listens on port 9: every attempt fails.
    await setChannelViaApi(ctx.app, 'google', {
      webhookUrl: 'http://127.0.0.1:9/hook',
      webhookSecret: SECRET,
    });
    const { caseId, noticeId } = await confirmed(
      'https://sites.google.com/view/fake-invest-club/delivery-2',
    );
    for (let i = 0; i < 8; i += 1) {
      await sweep();
      ctx.clock.advance(5 * HOUR);
    }
    const failing = await notice(noticeId);
    expect(failing).toMatchObject({
      state: 'pending_delivery',
      pendingReason: 'given_up',
      deadlineAt: null,
    });
    expect(failing.lastDeliveryError).toEqual(expect.any(String));
    expect(failing.deliveries.length).toBeGreaterThan(0);
    expect(failing.deliveries.every((d: { status: string }) => d.status === 'failed')).toBe(true);
    expect(await caseView(caseId)).toMatchObject({ status: 'fraud_confirmed' });
    expect((await sweep()).sanctions).toBe(0);

    const repaired = await setChannelViaApi(ctx.app, 'google', {
      webhookUrl: webhook.url,
      webhookSecret: SECRET,
    });
    expect(repaired.noticesQueued).toBe(1);
    expect((await sweep()).deliveries.sent).toBe(1);
    expect(await notice(noticeId)).toMatchObject({ state: 'sent', pendingReason: null });
    expect(await caseView(caseId)).toMatchObject({ status: 'fraud_notified' });
  });

  it("counts the liaison's acknowledgement or answer in the portal as the delivery", async () => {
    const a = await confirmed('https://www.tiktok.com/@fast.money/video/7412345678901234001');
    const b = await confirmed('https://www.tiktok.com/@fast.money/video/7412345678901234002');
    ctx.clock.advance(HOUR);
    const now = new Date(ctx.clock.now()).toISOString();
    const listed = (await inject({ url: '/api/v1/notices', headers: liaison })).json().notices;
    expect(listed.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining([a.noticeId, b.noticeId]),
    );
    const ack = await inject({
      method: 'POST',
      url: `/api/v1/notices/${a.noticeId}/acknowledge`,
      headers: liaison,
    });
    expect(ack.json()).toMatchObject({
      state: 'acknowledged',
      sentAt: now,
      acknowledgedAt: now,
      deadlineAt: new Date(ctx.clock.now() + 24 * HOUR).toISOString(),
    });
    expect(await caseView(a.caseId)).toMatchObject({ status: 'fraud_notified' });

    const answered = await inject({
      method: 'POST',
      url: `/api/v1/notices/${b.noticeId}/outcome`,
      headers: liaison,
      payload: { outcome: 'removed' },
    });
    expect(answered.json()).toMatchObject({ state: 'removed', sentAt: now });
    expect(await caseView(b.caseId)).toMatchObject({ status: 'fraud_removed' });
    const compliance = (
      await inject({
        url: '/api/v1/platforms/compliance?from=2026-01-01&to=2027-12-31',
        headers: adminHeaders,
      })
    ).json();
    const tiktok = compliance.platforms.find((p: { platform: string }) => p.platform === 'tiktok');
    // Only delivered notices count as sent.
    expect(tiktok).toMatchObject({ noticesSent: 2, removedWithinDeadline: 1 });
  });

  it('staff who record an outcome on an undelivered notice do not make it delivered', async () => {
    const { noticeId } = await confirmed('https://www.instagram.com/p/DeliveryTest05/');
    const observed = await inject({
      method: 'POST',
      url: `/api/v1/notices/${noticeId}/outcome`,
      headers: adminHeaders,
      payload: { outcome: 'removed' },
    });
    expect(observed.json()).toMatchObject({ state: 'removed', sentAt: null, deadlineAt: null });
    const compliance = (
      await inject({
        url: '/api/v1/platforms/compliance?from=2026-01-01&to=2027-12-31',
        headers: adminHeaders,
      })
    ).json();
    const instagram = compliance.platforms.find(
      (p: { platform: string }) => p.platform === 'instagram',
    );
    expect(instagram?.noticesSent ?? 0).toBe(0);
  });

  it('sends e-mailed notices without a link to localhost', async () => {
    await setChannelViaApi(ctx.app, 'threads', { email: 'takedown@threads.test' });
    const { noticeId } = await confirmed('https://www.threads.net/@fastmoney/post/DeliveryTest6');
    await sweep();
    const mail = smtp.messages.find((m) => m.subject.includes(noticeId));
    expect(mail).toBeDefined();
    expect(mail?.text).not.toMatch(/localhost|127\.0\.0\.1/);
    expect(mail?.text).toContain('https://www.threads.net/@fastmoney/post/DeliveryTest6');
  });
});

describe('PUBLIC_BASE_URL checks', () => {
  it('gives no link base for this machine only, and one for a public address', () => {
    for (const local of [
      'http://localhost:8080',
      'http://127.0.0.1',
      'http://[::1]:8080',
      'http://app.localhost',
      'http://0.0.0.0:8080',
    ]) {
      expect(publicLinkBase({ publicBaseUrl: local }), local).toBeNull();
    }
    expect(publicLinkBase({ publicBaseUrl: 'https://165.example.gov.tw' })).toBe(
      'https://165.example.gov.tw',
    );
  });

  it('warns at start-up when it is left at its default or does not match where the server listens', () => {
    const defaults = { publicBaseUrl: 'http://localhost:8080', publicBaseUrlSet: false };
    expect(publicBaseUrlWarnings(defaults, { host: '127.0.0.1', port: 8080 })).toEqual([]);
    expect(publicBaseUrlWarnings(defaults, { host: '0.0.0.0', port: 8080 })).toEqual([
      expect.stringContaining('PUBLIC_BASE_URL is not set'),
    ]);
    expect(publicBaseUrlWarnings(defaults, { host: '127.0.0.1', port: 3000 })).toEqual([
      expect.stringContaining('PUBLIC_BASE_URL is not set'),
      expect.stringContaining('port 8080'),
    ]);
    const local = { publicBaseUrl: 'http://localhost:8080', publicBaseUrlSet: true };
    expect(publicBaseUrlWarnings(local, { host: '0.0.0.0', port: 8080 })).toEqual([
      expect.stringContaining('names this machine only'),
    ]);
    expect(publicBaseUrlWarnings(local, { host: '127.0.0.1', port: 3000 })).toEqual([
      expect.stringContaining('port 8080'),
    ]);
    const real = { publicBaseUrl: 'https://scam.example.org', publicBaseUrlSet: true };
    expect(publicBaseUrlWarnings(real, { host: '0.0.0.0', port: 8080 })).toEqual([]);
  });
});
