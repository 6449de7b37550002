/**
 * What a takedown notice says, end to end through the HTTP API, the sweep, a webhook receiver
 * and an SMTP server on loopback: no personal data of reporters or victims, the content itself
 * (never scamnet) as its source, no notice where nothing can be acted on, and the X-ARF class
 * from the case — every notice valid against the shipped X-ARF v4 schemas, formats asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeyOf } from '../../src/takedown/index.js';
import { adminHeaders, testDialects } from '../harness.js';
import type { TestApp } from '../harness.js';
import { createTestEntities, decideCaseViaApi, setChannelViaApi } from '../factories.js';
import { startDeliveryApp, xarfValidator, type DeliveryApp } from './support.js';

type Ctx = TestApp;
interface Notice {
  id: string;
  caseId: string;
  platform: string;
  state: string;
  contentUrl: string | null;
}

/** Fake personal data of the victim who reported (issue 13's example). */
const VICTIM = '我叫王小明，身分證A123456789，電話0912-345-678，被騙了5萬元。';
const VICTIM_DATA = [
  '王小明',
  'A123456789',
  '0912',
  '912345678',
  '912-345',
  '5萬',
  '身分證',
  '我叫',
];

describe.each(testDialects())('what takedown notices say, on %s', (dialect) => {
  let ctx: Ctx;
  let smtp: DeliveryApp['smtp'];
  let webhook: DeliveryApp['webhook'];
  let close: DeliveryApp['close'] | undefined;
  const validate = xarfValidator();

  beforeAll(async () => {
    ({ ctx, smtp, webhook, close } = await startDeliveryApp(dialect, {
      MAIL_FROM: 'scamnet <noreply@scamnet.test>',
      PUBLIC_BASE_URL: 'https://scamnet.test',
    }));
    for (const platform of ['facebook', 'line']) {
      await setChannelViaApi(ctx.app, platform, {
        webhookUrl: webhook.url,
        webhookSecret: 'notice-webhook-secret-0123456789',
        email: `takedown@${platform}.test`,
      });
    }
    await createTestEntities(ctx.app, [
      { id: 'meta', kind: 'company', nameZh: 'Meta', nameEn: 'Meta' },
      { id: 'chunghwa-post', kind: 'company', nameZh: '中華郵政', nameEn: 'Chunghwa Post' },
    ]);
  });
  afterAll(async () => close?.());

  const inject: Ctx['app']['inject'] = (...args: Parameters<Ctx['app']['inject']>) =>
    ctx.app.inject(...args);

  /** Reports, optionally corrects triage, confirms as fraud; returns the case and its notices. */
  async function confirmed(
    report: Record<string, string>,
    triage?: Record<string, string>,
  ): Promise<{ caseId: string; notices: Notice[] }> {
    const reported = await inject({ method: 'POST', url: '/api/v1/reports', payload: report });
    expect(reported.statusCode, reported.body).toBe(201);
    const caseId: string = reported.json().case.id;
    if (triage !== undefined) {
      const patched = await inject({
        method: 'PATCH',
        url: `/api/v1/cases/${caseId}/triage`,
        headers: adminHeaders,
        payload: { ...triage, reason: 'analyst correction' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    await decideCaseViaApi(ctx.app, caseId);
    const list = await inject({ url: '/api/v1/notices?limit=500', headers: adminHeaders });
    const notices = (list.json().notices as Notice[]).filter((n) => n.caseId === caseId);
    return { caseId, notices };
  }

  async function xarfOf(noticeId: string): Promise<Record<string, unknown>> {
    const detail = await inject({ url: `/api/v1/notices/${noticeId}`, headers: adminHeaders });
    expect(detail.statusCode, detail.body).toBe(200);
    const report: Record<string, unknown> = detail.json().xarf;
    expect(validate(report), JSON.stringify(report)).toEqual([]);
    return report;
  }

  /** Everything that left scamnet for `noticeId` after a sweep: webhook bodies and e-mails. */
  async function sentFor(noticeId: string): Promise<string[]> {
    const res = await inject({ method: 'POST', url: '/api/v1/sweep', headers: adminHeaders });
    expect(res.statusCode, res.body).toBe(200);
    const bodies = webhook.requests
      .filter((r) => r.headers['x-scamnet-notice'] === noticeId)
      .map((r) => r.body);
    const mails = smtp.messages
      .filter((m) => m.subject.includes(noticeId))
      .flatMap((m) => [m.subject, m.text, ...m.attachments.map((a) => a.content)]);
    expect(bodies).toHaveLength(1);
    expect(mails.length).toBeGreaterThanOrEqual(3);
    // The e-mail's Message-ID is the webhook's idempotency key: the report's ID and a digest
    // of the report sent (the same report, by either channel, is one message to its receiver).
    const reportId = JSON.parse(bodies[0] ?? '{}').report_id;
    const mailIds = smtp.messages
      .filter((m) => m.subject.includes(noticeId))
      .map((m) => m.messageId);
    expect(new Set(mailIds)).toEqual(
      new Set([`<${idempotencyKeyOf(reportId, bodies[0] ?? '')}@scamnet.notice>`]),
    );
    for (const body of bodies) expect(validate(JSON.parse(body)), body).toEqual([]);
    return [...bodies, ...mails];
  }

  it('carries no personal data of the victim who reported, by webhook, e-mail or the API', async () => {
    const ad = 'https://www.facebook.com/ads/library/?id=555000111';
    const { caseId, notices } = await confirmed({
      url: ad,
      platform: 'facebook',
      text: `${VICTIM}廣告說加LINE：@profit999 老師帶你投資`,
    });
    // The victim's phone is an indicator of the case (personal: staff see it, the public does
    // not): what keeps it out of notices is the notice's rule.
    const view = (await inject({ url: `/api/v1/cases/${caseId}`, headers: adminHeaders })).json()
      .case;
    expect(view.indicators).not.toContainEqual({ type: 'phone', value: '+886912345678' });
    expect(view.staff.personalIndicators).toContainEqual({ type: 'phone', value: '+886912345678' });
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices) {
      const report = await xarfOf(notice.id);
      const out = [...(await sentFor(notice.id)), JSON.stringify(report)];
      for (const text of out) {
        for (const data of VICTIM_DATA) expect(text, notice.platform).not.toContain(data);
      }
      expect(report.description).toEqual(
        expect.stringContaining(`case ${caseId}: confirmed fraud`),
      );
    }
    // The scam's own LINE ID, in the ad's sentence, is something LINE can act on.
    expect(notices.map((n) => n.platform).sort()).toEqual(['facebook', 'line']);
    const line = notices.find((n) => n.platform === 'line');
    expect(await xarfOf(line?.id ?? '')).toMatchObject({
      url: 'https://line.me/R/ti/p/%40profit999',
      source_identifier: '@profit999',
      fraud_type: 'investment',
    });
    expect(await xarfOf(notices.find((n) => n.platform === 'facebook')?.id ?? '')).toMatchObject({
      url: ad,
      source_identifier: ad,
      scamnet_identifiers: [
        { type: 'url', value: ad },
        { type: 'ad_id', value: '555000111' },
      ],
    });
  });

  it('a LINE-only or phone-only message names the LINE ID or the phone, never scamnet', async () => {
    const line = await confirmed(
      { platform: 'line', text: '加LINE：@fastmoney88 領取飆股名單，保證獲利' },
      { scamType: 'investment' },
    );
    expect(line.notices).toHaveLength(1);
    expect(line.notices[0]).toMatchObject({
      platform: 'line',
      contentUrl: null,
      targets: [{ type: 'line_id', value: '@fastmoney88' }],
    });
    const lineReport = await xarfOf(line.notices[0]?.id ?? '');
    expect(lineReport).toMatchObject({
      url: 'https://line.me/R/ti/p/%40fastmoney88',
      source_identifier: '@fastmoney88',
    });
    const phone = await confirmed(
      { platform: 'line', text: '恭喜中獎！請撥 0987-654-321 領取獎金' },
      { scamType: 'windfall' },
    );
    const phoneReport = await xarfOf(phone.notices[0]?.id ?? '');
    expect(phoneReport).toMatchObject({
      url: 'tel:+886987654321',
      source_identifier: '+886987654321',
      fraud_type: 'lottery',
    });
    for (const report of [lineReport, phoneReport]) {
      expect(String(report.url)).not.toContain('scamnet');
      expect(String(report.source_identifier)).not.toContain('scamnet');
    }
    const mail = smtp.messages.length;
    await sentFor(phone.notices[0]?.id ?? '');
    expect(
      smtp.messages
        .slice(mail)
        .map((m) => m.text)
        .join('\n'),
    ).toContain('Content: tel:+886987654321');
  });

  it('sends no notice that cannot be acted on, says why on the case, and refuses one on request', async () => {
    for (const report of [
      { platform: 'facebook', text: '您的帳戶異常，請立即回電客服處理，否則將停權' },
      { platform: 'line', text: `${VICTIM}我的LINE ID: wang_xm` },
    ]) {
      const before = webhook.requests.length;
      const { caseId, notices } = await confirmed(report);
      expect(notices).toEqual([]);
      const timeline = (
        await inject({ url: `/api/v1/cases/${caseId}/timeline`, headers: adminHeaders })
      ).json();
      expect(timeline.events).toContainEqual(
        expect.objectContaining({
          type: 'case.notice_not_sent',
          data: expect.objectContaining({ platform: report.platform, reason: 'not_actionable' }),
        }),
      );
      expect(timeline.steps.map((s: { step: string }) => s.step)).not.toContain(
        'platform_notified',
      );
      const triage = await inject({ url: `/api/v1/cases/${caseId}/triage`, headers: adminHeaders });
      expect(triage.json().stage).toBe('decided');
      const send = await inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/notices`,
        headers: adminHeaders,
      });
      expect(send.statusCode, send.body).toBe(409);
      expect(send.json().error.code).toBe('notice_not_actionable');
      await inject({ method: 'POST', url: '/api/v1/sweep', headers: adminHeaders });
      expect(webhook.requests.slice(before)).toEqual([]);
    }
  });

  it('takes category and type from the case: a Meta or parcel impersonation is phishing, not government', async () => {
    const meta = await confirmed(
      {
        url: 'https://www.facebook.com/meta.support.center.tw',
        platform: 'facebook',
        text: 'Meta 通知：您的粉絲專頁違反社群守則，24小時內將被停用，請立即驗證',
      },
      { scamType: 'impersonation', impersonatedEntityId: 'meta' },
    );
    const metaReport = await xarfOf(meta.notices[0]?.id ?? '');
    expect(metaReport).toMatchObject({
      category: 'content',
      type: 'phishing',
      target_brand: 'Meta',
    });
    expect(metaReport).not.toHaveProperty('fraud_type');
    const impersonations: Array<[string, string, string, object]> = [
      [
        'https://www.facebook.com/post.tw.delivery/posts/123456789',
        '【中華郵政】您的包裹因地址不全無法投遞，請點擊連結更新地址',
        'chunghwa-post',
        {
          type: 'phishing',
          target_brand: 'Chunghwa Post',
          scamnet_identifiers: expect.arrayContaining([{ type: 'post_id', value: '123456789' }]),
        },
      ],
      [
        'https://www.facebook.com/tw.police.notice/posts/987',
        '警察局通知：您的帳戶涉及洗錢案件，請配合監管',
        'npa-165',
        { type: 'fraud', fraud_type: 'government_impersonation' },
      ],
    ];
    for (const [url, text, impersonatedEntityId, xarf] of impersonations) {
      const { notices } = await confirmed(
        { url, platform: 'facebook', text },
        { scamType: 'impersonation', impersonatedEntityId },
      );
      expect(await xarfOf(notices[0]?.id ?? ''), impersonatedEntityId).toMatchObject(xarf);
    }
  });

  it('staff send the notices still due: a new one after a rejection, none while one is open', async () => {
    const { caseId, notices } = await confirmed({
      url: 'https://www.facebook.com/fast.money.page/posts/42',
      platform: 'facebook',
      text: '老師帶單飆股穩賺',
    });
    const first = notices[0]?.id ?? '';
    const open = await inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/notices`,
      headers: adminHeaders,
    });
    expect(open.statusCode).toBe(409);
    expect(open.json().error.code).toBe('notice_already_open');
    const rejected = await inject({
      method: 'POST',
      url: `/api/v1/notices/${first}/outcome`,
      headers: adminHeaders,
      payload: { outcome: 'rejected', reason: 'not found on our side' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const again = await inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/notices`,
      headers: adminHeaders,
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().notices).toEqual([
      expect.objectContaining({
        platform: 'facebook',
        state: 'pending_delivery',
        sentAt: null,
        contentUrl: 'https://www.facebook.com/fast.money.page/posts/42',
      }),
    ]);
    expect(again.json().notices[0].id).not.toBe(first);
    await xarfOf(again.json().notices[0].id);

    const reported = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { url: 'https://www.facebook.com/undecided.page/posts/7', platform: 'facebook' },
    });
    const undecided = await inject({
      method: 'POST',
      url: `/api/v1/cases/${reported.json().case.id}/notices`,
      headers: adminHeaders,
    });
    expect(undecided.statusCode).toBe(409);
    expect(undecided.json().error.code).toBe('case_not_fraud');
  });
});
