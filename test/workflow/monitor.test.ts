import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCaseViaApi, setChannelViaApi, submitReportViaApi } from '../factories.js';
import { adminHeaders, buildTestApp, testDialects } from '../harness.js';
import { startContentSite } from './support.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;
const HOUR = 3_600_000;

describe.each(testDialects())('takedown monitoring through the sweep on %s', (dialect) => {
  let ctx: Ctx;
  let site: Awaited<ReturnType<typeof startContentSite>>;
  let port = 0;

  beforeAll(async () => {
    site = await startContentSite();
    port = site.port;
    ctx = await buildTestApp(dialect, { env: { ...site.env, SWEEP_INTERVAL_SECONDS: '0' } });
    // Facebook's notices are delivered to a webhook on the same loopback server (any 2xx).
    await setChannelViaApi(ctx.app, 'facebook', {
      webhookUrl: `http://127.0.0.1:${port}/webhook`,
      webhookSecret: 'monitor-test-webhook-secret',
    });
  });
  afterAll(async () => {
    await ctx.close();
    await site.close();
  });

  const inject: Ctx['app']['inject'] = (...args: Parameters<Ctx['app']['inject']>) =>
    ctx.app.inject(...args);
  const sweep = async () =>
    (await inject({ method: 'POST', url: '/api/v1/sweep', headers: adminHeaders })).json();
  /** The case of a Facebook report of this server's `path` with `text`, decided fraud. */
  async function confirmedCase(path: string, text: string): Promise<string> {
    const sent = await submitReportViaApi(ctx.app, {
      url: `http://127.0.0.1:${port}${path}`,
      text,
      platform: 'facebook',
    });
    await decideCaseViaApi(ctx.app, sent.case.id);
    return sent.case.id;
  }
  async function confirmedNotice(path: string): Promise<{ caseId: string; noticeId: string }> {
    const caseId = await confirmedCase(path, `飆股老師帶單 ${path}`);
    const notices = (await inject({ url: '/api/v1/notices', headers: adminHeaders })).json()
      .notices;
    return { caseId, noticeId: notices.find((n: { caseId: string }) => n.caseId === caseId).id };
  }

  it('closes a notice when scamnet sees the content removed, and flags a removal claim it sees contradicted', async () => {
    const live = await confirmedNotice('/post/1');
    const claimed = await confirmedNotice('/post/2');
    const outcome = await inject({
      method: 'POST',
      url: `/api/v1/notices/${claimed.noticeId}/outcome`,
      headers: adminHeaders,
      payload: { outcome: 'removed' },
    });
    expect(outcome.json().state).toBe('removed');

    expect((await sweep()).rechecks.checked).toBe(0);
    ctx.clock.advance(HOUR);
    const first = await sweep();
    expect(first.rechecks).toEqual({ checked: 2, removedObserved: 0, claimsContradicted: 1 });
    expect(
      (await inject({ url: `/api/v1/notices/${live.noticeId}`, headers: adminHeaders })).json()
        .state,
    ).toBe('sent');

    site.removed.add('/post/1');
    ctx.clock.advance(HOUR);
    const second = await sweep();
    expect(second.rechecks).toMatchObject({ removedObserved: 1 });
    const notice = (
      await inject({ url: `/api/v1/notices/${live.noticeId}`, headers: adminHeaders })
    ).json();
    expect(notice).toMatchObject({
      state: 'removed',
      outcomeReason: expect.stringContaining('observed removed by scamnet'),
    });
    const view = (await inject({ url: `/api/v1/cases/${live.caseId}` })).json().case;
    expect(view.status).toBe('fraud_removed');
    const events = (
      await inject({ url: `/api/v1/cases/${live.caseId}/timeline`, headers: adminHeaders })
    ).json().events;
    expect(
      events.filter((e: { type: string }) => e.type === 'takedown_notice.rechecked'),
    ).toHaveLength(2);
    const resolved = events.find((e: { type: string }) => e.type === 'takedown_notice.resolved');
    expect(resolved.data).toMatchObject({ observedByScamnet: true, withinDeadline: true });
    const claimEvents = (
      await inject({ url: `/api/v1/cases/${claimed.caseId}/timeline`, headers: adminHeaders })
    ).json().events;
    expect(claimEvents.map((e: { type: string }) => e.type)).toContain(
      'takedown_notice.claim_contradicted',
    );

    ctx.clock.advance(HOUR);
    expect((await sweep()).rechecks).toEqual({
      checked: 0,
      removedObserved: 0,
      claimsContradicted: 0,
    });
  });

  it('re-checks a notice about a URL, not a notice about a LINE ID on the same case', async () => {
    const caseId = await confirmedCase('/landing/9', '飆股老師帶單，加LINE：@monitor88 領取名單');
    const notices: Array<{ id: string; caseId: string; platform: string }> = (
      await inject({ url: '/api/v1/notices', headers: adminHeaders })
    )
      .json()
      .notices.filter((n: { caseId: string }) => n.caseId === caseId);
    expect(notices.map((n) => n.platform).sort()).toEqual(['facebook', 'line']);
    ctx.clock.advance(HOUR);
    expect((await sweep()).rechecks).toMatchObject({ checked: 1 });
    const events = (
      await inject({ url: `/api/v1/cases/${caseId}/timeline`, headers: adminHeaders })
    ).json().events as Array<{ type: string; subjectId: string }>;
    const rechecked = events.filter((e) => e.type === 'takedown_notice.rechecked');
    expect(rechecked.map((e) => e.subjectId)).toEqual([
      notices.find((n) => n.platform === 'facebook')?.id,
    ]);
  });
});
