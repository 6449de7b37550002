import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, apiKeyFor, testDialects } from '../harness.js';
import type { TestApp } from '../harness.js';
import {
  createTestEntities,
  HSIEH_AD_TEXT,
  HSIEH_CHIN_HO,
  PCHOME,
  decideCaseViaApi,
  setChannelViaApi,
} from '../factories.js';
import { startDeliveryApp, xarfValidator, type DeliveryApp } from './support.js';

type Ctx = TestApp;
const HOUR = 3_600_000;
const WEBHOOK_SECRET = 'fb-webhook-secret-0123456789';

describe('X-ARF validator', () => {
  it('accepts the spec sample and rejects a report without its required fields', () => {
    const validate = xarfValidator();
    const sample: unknown = JSON.parse(
      readFileSync(
        path.join(
          import.meta.dirname,
          '..',
          'fixtures',
          'third_party',
          'xarf',
          'content-fraud.json',
        ),
        'utf8',
      ),
    );
    expect(validate(sample)).toEqual([]);
    expect(
      validate({ xarf_version: '4.2.0', category: 'content', type: 'fraud' }).length,
    ).toBeGreaterThan(0);
    // Formats are asserted, not just annotated.
    const object = typeof sample === 'object' && sample !== null ? sample : {};
    expect(validate({ ...object, url: 'https://example.com/a|b' })).toContain(
      '/url must match format "uri"',
    );
    expect(validate({ ...object, timestamp: 'yesterday' })).toContain(
      '/timestamp must match format "date-time"',
    );
  });
});

describe.each(testDialects())('the case workflow end to end on %s', (dialect) => {
  let ctx: Ctx;
  let smtp: DeliveryApp['smtp'];
  let webhook: DeliveryApp['webhook'];
  let close: DeliveryApp['close'] | undefined;
  let verifier: { headers: { authorization: string } };
  let otherVerifier: { headers: { authorization: string } };
  let facebook: { headers: { authorization: string } };
  let tiktok: { headers: { authorization: string } };
  const validateXarf = xarfValidator();

  beforeAll(async () => {
    ({ ctx, smtp, webhook, close } = await startDeliveryApp(dialect, {
      MAIL_FROM: 'scamnet <noreply@scamnet.test>',
      PUBLIC_BASE_URL: 'https://scamnet.test',
      DECISION_LINK_SECRET: 'decision-link-secret-for-tests-0123456789',
      ESCALATION_EMAIL: 'duty@regulator.test',
    }));
    await createTestEntities(ctx.app, [
      { ...HSIEH_CHIN_HO, contactEmail: 'office@hsieh.test' },
      { ...PCHOME, contactEmail: 'legal@pchome.test' },
    ]);
    const channel = await setChannelViaApi(ctx.app, 'facebook', {
      webhookUrl: webhook.url,
      webhookSecret: WEBHOOK_SECRET,
      email: 'takedown@facebook.test',
    });
    expect(channel).not.toHaveProperty('webhookSecret');
    verifier = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['hsieh-chin-ho'] });
    otherVerifier = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['pchome'] });
    facebook = await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'facebook' });
    tiktok = await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'tiktok' });
  });
  afterAll(async () => close?.());

  const sweep = async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/sweep',
      headers: adminHeaders,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      missedDeadlines: number;
      sanctions: number;
      deliveries: { sent: number; retried: number; failed: number };
    };
  };

  it('report → triage → routed to the impersonated figure → confirmed → notice by webhook and e-mail → acknowledged → removed', async () => {
    const inject = ctx.app.inject.bind(ctx.app);
    // 報案
    const reported = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        url: 'https://www.facebook.com/ads/library/?id=987654321',
        text: HSIEH_AD_TEXT,
        platform: 'facebook',
      },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const id: string = reported.json().case.id;
    // 分案: routed to the figure's own office → 疑似詐騙訊息，已通知本人
    expect(reported.json().case).toMatchObject({
      status: 'awaiting_party',
      colour: 'yellow',
      label: { 'zh-TW': '疑似詐騙訊息，已通知本人' },
    });
    const triage = await inject({ url: `/api/v1/cases/${id}/triage`, headers: adminHeaders });
    expect(triage.json()).toMatchObject({
      stage: 'verification',
      platform: 'facebook',
      scamType: 'investment',
      impersonatedEntityId: 'hsieh-chin-ho',
      routedEntityId: 'hsieh-chin-ho',
    });
    expect(triage.json().riskScore).toBeGreaterThan(40);

    // The office gets a one-click link by e-mail (sent by the sweep through the outbox).
    expect((await sweep()).deliveries.sent).toBe(1);
    const linkMail = smtp.messages.find((m) => m.to.includes('office@hsieh.test'));
    expect(linkMail?.text).toMatch(/https:\/\/scamnet\.test\/decide\/[\w-]+\.[\w-]+/);

    // 確認: only the routed verifier sees and decides it.
    const queue = await inject({ url: '/api/v1/verification/queue', headers: verifier.headers });
    expect(queue.statusCode).toBe(200);
    const item = queue.json().items.find((i: { case: { id: string } }) => i.case.id === id);
    expect(item.reports[0].text).toContain('謝金河');
    expect(JSON.stringify(item)).not.toMatch(/reporter/i);
    const otherQueue = await inject({
      url: '/api/v1/verification/queue',
      headers: otherVerifier.headers,
    });
    expect(otherQueue.json().items.map((i: { case: { id: string } }) => i.case.id)).not.toContain(
      id,
    );
    const denied = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/decision`,
      headers: otherVerifier.headers,
      payload: { decision: 'fraud' },
    });
    expect(denied.statusCode).toBe(403);
    const verdictByVerifier = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/verdict`,
      headers: verifier.headers,
      payload: { verdict: 'fraud' },
    });
    expect(verdictByVerifier.statusCode).toBe(403);

    ctx.clock.advance(HOUR);
    const decided = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/decision`,
      headers: verifier.headers,
      payload: { decision: 'fraud', note: '本人從未投放此廣告' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    // Confirmed, but no delivery has succeeded yet: nothing says the platform was told.
    expect(decided.json().case).toMatchObject({
      status: 'fraud_confirmed',
      label: { 'zh-TW': '詐騙訊息，尚未通知平台' },
      colour: 'red',
      verdict: 'fraud',
    });
    const again = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/decision`,
      headers: verifier.headers,
      payload: { decision: 'not_fraud' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('illegal_transition');

    // 通知下架: one notice to Facebook, waiting for its first delivery: no deadline runs yet.
    const notices = await inject({ url: '/api/v1/notices', headers: facebook.headers });
    const notice = notices.json().notices.find((n: { caseId: string }) => n.caseId === id);
    expect(notice).toMatchObject({
      platform: 'facebook',
      state: 'pending_delivery',
      createdAt: '2026-11-29T03:00:00.000Z',
      sentAt: null,
      deadlineAt: null,
      pendingReason: 'queued',
      contentUrl: 'https://www.facebook.com/ads/library/?id=987654321',
    });
    const hidden = await inject({ url: `/api/v1/notices/${notice.id}`, headers: tiktok.headers });
    expect(hidden.statusCode).toBe(404);

    // Delivered by webhook (signed X-ARF) and by e-mail (X-ARF attached); first webhook try fails.
    webhook.statuses.push(503);
    const first = await sweep();
    expect(first.deliveries).toMatchObject({ sent: 1, retried: 1 });
    // The e-mail was accepted: the platform is told now, and the 24 hours run from now.
    const told = await inject({ url: `/api/v1/notices/${notice.id}`, headers: facebook.headers });
    expect(told.json()).toMatchObject({
      state: 'sent',
      sentAt: '2026-11-29T03:00:00.000Z',
      deadlineAt: '2026-11-30T03:00:00.000Z',
      pendingReason: null,
    });
    expect((await inject({ url: `/api/v1/cases/${id}` })).json().case).toMatchObject({
      status: 'fraud_notified',
      label: { 'zh-TW': '詐騙訊息，已通知平台移除' },
    });
    ctx.clock.advance(60_000);
    expect((await sweep()).deliveries.sent).toBe(1);
    const delivered = webhook.requests.at(-1);
    expect(delivered?.headers['x-scamnet-signature']).toBe(
      `sha256=${createHmac('sha256', WEBHOOK_SECRET)
        .update(delivered?.body ?? '')
        .digest('hex')}`,
    );
    const report: unknown = JSON.parse(delivered?.body ?? '{}');
    expect(validateXarf(report), JSON.stringify(report)).toEqual([]);
    expect(report).toMatchObject({
      category: 'content',
      type: 'fraud',
      fraud_type: 'investment',
      url: 'https://www.facebook.com/ads/library/?id=987654321',
      claimed_entity: 'Hsieh Chin-ho',
      source_identifier: 'https://www.facebook.com/ads/library/?id=987654321',
    });
    expect(JSON.stringify(report)).not.toContain('謝金河親自帶你投資');
    const mail = smtp.messages.find((m) => m.to.includes('takedown@facebook.test'));
    expect(mail?.subject).toContain(notice.id);
    const attached: unknown = JSON.parse(
      mail?.attachments.find((a) => a.filename === 'xarf.json')?.content ?? '{}',
    );
    expect(validateXarf(attached)).toEqual([]);
    const detail = await inject({ url: `/api/v1/notices/${notice.id}`, headers: facebook.headers });
    expect(
      detail
        .json()
        .deliveries.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`)
        .sort(),
    ).toEqual(['email:delivered', 'webhook:delivered', 'webhook:failed']);
    expect(validateXarf(detail.json().xarf)).toEqual([]);

    // The platform acknowledges, then removes within the deadline.
    const ack = await inject({
      method: 'POST',
      url: `/api/v1/notices/${notice.id}/acknowledge`,
      headers: facebook.headers,
    });
    expect(ack.json().state).toBe('acknowledged');
    expect(
      (
        await inject({
          method: 'POST',
          url: `/api/v1/notices/${notice.id}/acknowledge`,
          headers: facebook.headers,
        })
      ).statusCode,
    ).toBe(409);
    ctx.clock.advance(3 * HOUR);
    const removed = await inject({
      method: 'POST',
      url: `/api/v1/notices/${notice.id}/outcome`,
      headers: facebook.headers,
      payload: { outcome: 'removed' },
    });
    expect(removed.json()).toMatchObject({
      state: 'removed',
      resolvedAt: '2026-11-29T06:01:00.000Z',
    });
    const late = await inject({
      method: 'POST',
      url: `/api/v1/notices/${notice.id}/outcome`,
      headers: facebook.headers,
      payload: { outcome: 'rejected', reason: 'x' },
    });
    expect(late.statusCode).toBe(409);

    const view = (await inject({ url: `/api/v1/cases/${id}` })).json().case;
    expect(view).toMatchObject({
      status: 'fraud_removed',
      label: { 'zh-TW': '詐騙訊息，平台已移除' },
    });
    const timeline = (await inject({ url: `/api/v1/cases/${id}/timeline` })).json();
    expect(timeline.steps.map((s: { step: string }) => s.step)).toEqual([
      'reported',
      'triaged',
      'sent_to_party',
      'decided',
      'platform_notified',
      'removed',
    ]);
    expect(timeline).not.toHaveProperty('events');
    expect(JSON.stringify(timeline)).not.toContain('apikey');
    const staff = (
      await inject({ url: `/api/v1/cases/${id}/timeline`, headers: adminHeaders })
    ).json();
    const verdictEvent = staff.events.find((e: { type: string }) => e.type === 'case.verdict');
    expect(verdictEvent.data).toMatchObject({
      before: { verdict: 'undecided' },
      after: { verdict: 'fraud' },
      note: '本人從未投放此廣告',
    });
    expect(verdictEvent.actor).not.toBe('public');

    const compliance = await inject({
      url: '/api/v1/platforms/compliance?from=2026-11-01&to=2026-12-01',
      headers: facebook.headers,
    });
    expect(compliance.json().platforms).toEqual([
      expect.objectContaining({
        platform: 'facebook',
        noticesSent: 1,
        removedWithinDeadline: 1,
        medianHoursToRemoval: 3.02,
      }),
    ]);
  });

  it('a platform that misses the deadline: overdue, escalated, one sanction entry per missed deadline', async () => {
    const inject = ctx.app.inject.bind(ctx.app);
    let start = ctx.clock.now();
    const reported = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        url: 'https://www.tiktok.com/@fast.money.daily/video/7412345678901234567',
        text: '加入飆股群組，老師帶單穩賺不賠',
      },
    });
    const id: string = reported.json().case.id;
    expect(reported.json().case.platform).toBe('tiktok');
    const triage = (
      await inject({ url: `/api/v1/cases/${id}/triage`, headers: adminHeaders })
    ).json();
    expect(triage).toMatchObject({
      scamType: 'investment',
      impersonatedEntityId: null,
      routedEntityId: 'fsc',
    });
    expect(reported.json().case.status).toBe('processing');

    await decideCaseViaApi(ctx.app, id);
    const notice = (
      await inject({ url: '/api/v1/notices?platform=tiktok', headers: adminHeaders })
    ).json().notices[0];
    expect(notice.caseId).toBe(id);

    // TikTok has no delivery channel: the notice waits, no deadline runs, nothing is sanctioned.
    expect(notice).toMatchObject({
      state: 'pending_delivery',
      pendingReason: 'no_channel',
      deadlineAt: null,
    });
    ctx.clock.advance(72 * HOUR);
    expect(await sweep()).toMatchObject({ missedDeadlines: 0, sanctions: 0 });
    expect(
      (await inject({ url: '/api/v1/sanctions?platform=tiktok', headers: adminHeaders })).json()
        .sanctions,
    ).toEqual([]);
    expect((await inject({ url: `/api/v1/cases/${id}` })).json().case.status).toBe(
      'fraud_confirmed',
    );
    // Its liaison acknowledges it in the portal: that is its delivery, and the deadline runs now.
    const acked = await inject({
      method: 'POST',
      url: `/api/v1/notices/${notice.id}/acknowledge`,
      headers: tiktok.headers,
    });
    expect(acked.json()).toMatchObject({ state: 'acknowledged', pendingReason: null });
    start = ctx.clock.now();
    expect(acked.json().deadlineAt).toBe(new Date(start + 24 * HOUR).toISOString());
    expect((await inject({ url: `/api/v1/cases/${id}` })).json().case.status).toBe(
      'fraud_notified',
    );

    ctx.clock.advance(23 * HOUR);
    expect((await sweep()).missedDeadlines).toBe(0);
    ctx.clock.advance(2 * HOUR);
    const swept = await sweep();
    expect(swept).toMatchObject({ missedDeadlines: 1, sanctions: 1 });
    expect((await sweep()).missedDeadlines).toBe(0);
    let state = (
      await inject({ url: `/api/v1/notices/${notice.id}`, headers: tiktok.headers })
    ).json();
    expect(state).toMatchObject({
      state: 'overdue',
      missedDeadlines: 1,
      deadlineAt: new Date(start + 48 * HOUR).toISOString(),
    });

    ctx.clock.advance(48 * HOUR);
    expect((await sweep()).sanctions).toBe(2);
    const ledger = (
      await inject({ url: '/api/v1/sanctions?platform=tiktok', headers: tiktok.headers })
    ).json().sanctions;
    expect(ledger.map((s: { occurrence: number }) => s.occurrence).sort()).toEqual([1, 2, 3]);
    const first = ledger.find((s: { occurrence: number }) => s.occurrence === 1);
    expect(first).toMatchObject({
      fineMin: 500000,
      fineMax: 5000000,
      currency: 'TWD',
      missedDeadlineAt: new Date(start + 24 * HOUR).toISOString(),
    });
    expect(first.legalBasis).toContain('第39條第1項第3款');
    expect(ledger.find((s: { occurrence: number }) => s.occurrence === 3).legalBasis).toContain(
      '情節重大',
    );
    expect(
      (await inject({ url: '/api/v1/sanctions', headers: facebook.headers })).json().sanctions,
    ).toEqual([]);
    const escalations = smtp.messages.filter((m) => m.to.includes('duty@regulator.test'));
    expect(escalations).toHaveLength(3);
    expect(escalations[0]?.subject).toContain(notice.id);

    const removed = await inject({
      method: 'POST',
      url: `/api/v1/notices/${notice.id}/outcome`,
      headers: tiktok.headers,
      payload: { outcome: 'removed' },
    });
    expect(removed.json().state).toBe('removed');
    state = (
      await inject({
        url: '/api/v1/platforms/compliance?from=2026-11-01&to=2026-12-31',
        headers: tiktok.headers,
      })
    ).json();
    expect(state.platforms[0]).toMatchObject({
      platform: 'tiktok',
      noticesSent: 1,
      removedWithinDeadline: 0,
      removedLate: 1,
      missedDeadlines: 3,
      // The same figures as in /api/v1/stats: the notice missed its deadline and is in the ledger.
      overdue: 1,
      sanctions: 3,
    });
    const timeline = (
      await inject({ url: `/api/v1/cases/${id}/timeline`, headers: adminHeaders })
    ).json();
    expect(
      timeline.events.filter((e: { type: string }) => e.type === 'sanction.recorded'),
    ).toHaveLength(3);
    expect(timeline.steps.map((s: { step: string }) => s.step)).toContain('sent_to_agency');
  });

  it('one-click decision links: need_info, answer, single use, tampering and expiry refused', async () => {
    const inject = ctx.app.inject.bind(ctx.app);
    const before = smtp.messages.length;
    const reported = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        url: 'https://pchome-24h-sale.shop/login',
        text: '網路家庭 PChome 週年慶，登入領取折價券。我叫王小明，身分證A123456789，電話0912-345-678',
      },
    });
    const id: string = reported.json().case.id;
    const triage = (
      await inject({ url: `/api/v1/cases/${id}/triage`, headers: adminHeaders })
    ).json();
    expect(triage.routedEntityId).toBe('pchome');
    await sweep();
    const mail = smtp.messages.slice(before).find((m) => m.to.includes('legal@pchome.test'));
    const token = /\/decide\/([\w-]+\.[\w-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(token).not.toBe('');

    const info = await inject({ url: `/api/v1/decision-links/${token}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ entityId: 'pchome', entityName: '網路家庭', case: { id } });
    expect(info.json().reports[0].text).toContain('PChome');
    // The impersonated party is outside scamnet: the reporter's own details are masked for them.
    for (const personal of ['A123456789', '0912-345-678', '王小明']) {
      expect(JSON.stringify(info.json().reports)).not.toContain(personal);
      expect(mail?.text).not.toContain(personal);
    }
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}A`;
    expect((await inject({ url: `/api/v1/decision-links/${tampered}` })).json().error.code).toBe(
      'decision_link_invalid',
    );

    const asked = await inject({
      method: 'POST',
      url: `/api/v1/decision-links/${token}`,
      payload: { decision: 'need_info', question: '請提供廣告截圖' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(
      (await inject({ url: `/api/v1/cases/${id}/triage`, headers: adminHeaders })).json().stage,
    ).toBe('need_info');
    const reuse = await inject({
      method: 'POST',
      url: `/api/v1/decision-links/${token}`,
      payload: { decision: 'fraud' },
    });
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().error.code).toBe('decision_link_used');
    const noQuestion = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/decision`,
      headers: adminHeaders,
      payload: { decision: 'need_info' },
    });
    expect(noQuestion.json().error).toMatchObject({
      code: 'validation_failed',
      details: { field: 'question' },
    });
    const askTwice = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/decision`,
      headers: adminHeaders,
      payload: { decision: 'need_info', question: 'again?' },
    });
    expect(askTwice.statusCode).toBe(409);

    const answered = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/info-answer`,
      headers: adminHeaders,
      payload: { answer: '已附上截圖' },
    });
    expect(answered.statusCode).toBe(204);
    expect(
      (
        await inject({
          method: 'POST',
          url: `/api/v1/cases/${id}/info-answer`,
          headers: adminHeaders,
          payload: { answer: 'again' },
        })
      ).statusCode,
    ).toBe(409);
    const queue = (
      await inject({ url: '/api/v1/verification/queue', headers: otherVerifier.headers })
    ).json();
    expect(queue.items.map((i: { case: { id: string } }) => i.case.id)).toContain(id);

    ctx.clock.advance(100 * HOUR);
    const reported2 = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { text: 'PChome 網路家庭 會員專屬抽獎 https://pchome-lucky.shop/a' },
    });
    const id2: string = reported2.json().case.id;
    const count = smtp.messages.length;
    await sweep();
    const token2 =
      /\/decide\/([\w-]+\.[\w-]+)/.exec(
        smtp.messages
          .slice(count)
          .map((m) => m.text)
          .join('\n'),
      )?.[1] ?? '';
    expect(token2).not.toBe('');
    ctx.clock.advance(73 * HOUR);
    const expired = await inject({
      method: 'POST',
      url: `/api/v1/decision-links/${token2}`,
      payload: { decision: 'fraud' },
    });
    expect(expired.json().error.code).toBe('decision_link_expired');
    expect((await inject({ url: `/api/v1/cases/${id2}` })).json().case.verdict).toBe('undecided');
  });

  it('an analyst override of triage is recorded and kept; illegal transitions are refused', async () => {
    const inject = ctx.app.inject.bind(ctx.app);
    const reported = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { text: '高薪兼職在家工作，日領三千，加賴詳談' },
    });
    const id: string = reported.json().case.id;
    expect(
      (await inject({ url: `/api/v1/cases/${id}/triage`, headers: adminHeaders })).json(),
    ).toMatchObject({ scamType: 'job', routedEntityId: 'npa-165' });
    const override = await inject({
      method: 'PATCH',
      url: `/api/v1/cases/${id}/triage`,
      headers: adminHeaders,
      payload: { scamType: 'money_mule', routedEntityId: 'hsieh-chin-ho', reason: '實為收購帳戶' },
    });
    expect(override.statusCode, override.body).toBe(200);
    expect(override.json()).toMatchObject({
      scamType: 'money_mule',
      routedEntityId: 'hsieh-chin-ho',
    });
    expect(override.json().overrides.sort()).toEqual(['routedEntityId', 'scamType']);
    for (const [headers, payload, status] of [
      [adminHeaders, { routedEntityId: 'nobody', reason: 'x' }, 400],
      [adminHeaders, { scamType: 'job' }, 400],
      [verifier.headers, { scamType: 'job', reason: 'x' }, 403],
    ] as const) {
      const res = await inject({
        method: 'PATCH',
        url: `/api/v1/cases/${id}/triage`,
        headers,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
    }
    const events = (
      await inject({ url: `/api/v1/cases/${id}/timeline`, headers: adminHeaders })
    ).json().events;
    const publicSteps = (await inject({ url: `/api/v1/cases/${id}/timeline` })).json().steps;
    expect(publicSteps.find((x: { step: string }) => x.step === 'triaged').detail.scamType).toBe(
      'money_mule',
    );
    const recorded = events.find((e: { type: string }) => e.type === 'case.triage_override');
    expect(recorded.data).toMatchObject({ reason: '實為收購帳戶' });

    const verdict = (value: string) =>
      inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/verdict`,
        headers: adminHeaders,
        payload: { verdict: value },
      });
    expect((await verdict('not_fraud')).json().case.status).toBe('not_fraud');
    const lateAsk = await inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/decision`,
      headers: adminHeaders,
      payload: { decision: 'need_info', question: '?' },
    });
    expect(lateAsk.statusCode).toBe(409);
    expect((await verdict('fraud')).statusCode).toBe(200);
    expect((await verdict('high_risk')).json().case.status).toBe('high_risk');
  });

  it('staff list every case with filters and pages; a verifier reads their decision history; query numbers are coerced', async () => {
    const inject = ctx.app.inject.bind(ctx.app);
    const first = await inject({ url: '/api/v1/cases?limit=2', headers: adminHeaders });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().items).toHaveLength(2);
    expect(first.json().next).toBe(first.json().items[1].case.id);
    const second = await inject({
      url: `/api/v1/cases?limit=2&after=${first.json().next}`,
      headers: adminHeaders,
    });
    const ids = [...first.json().items, ...second.json().items].map(
      (i: { case: { id: string } }) => i.case.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
    const removed = await inject({
      url: '/api/v1/cases?stage=removed&minRisk=0',
      headers: adminHeaders,
    });
    expect(removed.json().items.length).toBeGreaterThan(0);
    expect(removed.json().items.every((i: { stage: string }) => i.stage === 'removed')).toBe(true);
    expect((await inject({ url: '/api/v1/cases', headers: verifier.headers })).statusCode).toBe(
      403,
    );
    expect(
      (await inject({ url: '/api/v1/cases?minRisk=high', headers: adminHeaders })).statusCode,
    ).toBe(400);

    const history = await inject({
      url: '/api/v1/verification/history?limit=10',
      headers: verifier.headers,
    });
    expect(history.statusCode).toBe(200);
    expect(history.json().decisions[0]).toMatchObject({
      verdict: 'fraud',
      note: '本人從未投放此廣告',
    });
    expect(
      (await inject({ url: '/api/v1/verification/history', headers: otherVerifier.headers })).json()
        .decisions,
    ).toEqual([]);
    expect(
      (await inject({ url: '/api/v1/notices?limit=1', headers: adminHeaders })).json().notices,
    ).toHaveLength(1);
  });
});
