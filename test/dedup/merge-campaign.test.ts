import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminHeaders, buildTestApp, testDialects, type TestContext } from '../harness.js';
import { submitTestReport } from '../factories.js';

import type { ScamnetApp } from '../../src/app/index.js';
describe.each(testDialects())('case merge, split and campaigns (%s)', (dialect) => {
  let context: TestContext & { app: ScamnetApp };
  beforeAll(async () => {
    context = await buildTestApp(dialect);
  });
  afterAll(async () => {
    await context.close();
  });

  const report = async (text: string, url?: string) =>
    (await submitTestReport(context, { text, url })).case.id;
  const post = (
    url: string,
    payload: Record<string, unknown>,
    headers: Record<string, string> = adminHeaders,
  ) => context.app.inject({ method: 'POST', url, payload, headers });
  const get = (url: string, headers: Record<string, string> = adminHeaders) =>
    context.app.inject({ method: 'GET', url, headers });
  const setVerdict = async (id: string, verdict: string) => {
    const response = await post(`/api/v1/cases/${id}/verdict`, { verdict, note: 'test' });
    expect(response.statusCode, response.body).toBe(200);
  };

  it('merges a case into another, moving reports, keys, indicators and search terms', async () => {
    const target = await report('假冒客服來電說要解除分期付款，請撥打 0912-345-678 聯絡專員處理');
    const source = await report(
      '網購後接到電話說設定錯誤變成分期扣款，要求操作ATM解除，客服LINE ID @fakehelp01',
    );
    const denied = await post(`/api/v1/cases/${target}/merge`, { sourceCaseId: source }, {});
    expect(denied.statusCode).toBe(401);
    const response = await post(`/api/v1/cases/${target}/merge`, {
      sourceCaseId: source,
      note: 'same ATM instalment scam',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{
      case: { id: string; reportCount: number };
      movedReports: number;
    }>();
    expect(body.case.id).toBe(target);
    expect(body.case.reportCount).toBe(2);
    expect(body.movedReports).toBe(1);
    // An exact repost of the source's text now joins the target (its key moved).
    const again = await submitTestReport(context, {
      text: '網購後接到電話說設定錯誤變成分期扣款，要求操作ATM解除，客服LINE ID @fakehelp01',
    });
    expect(again.case.id).toBe(target);
    const search = await get(`/api/v1/search?q=${encodeURIComponent('分期扣款')}`, {});
    expect(
      search.json<{ hits: Array<{ case: { id: string } }> }>().hits.map((h) => h.case.id),
    ).toEqual([target]);
    const events = await context.deps.db
      .selectFrom('events')
      .select(['subject_id', 'type'])
      .where('type', '=', 'case.merged')
      .execute();
    expect(events.map((e) => e.subject_id).sort()).toEqual([source, target].sort());
    const again2 = await post(`/api/v1/cases/${target}/merge`, { sourceCaseId: source });
    expect(again2.statusCode).toBe(409);
  });

  it('tells the public where a merged-away case went, through a chain of merges', async () => {
    const a = await report('第一份：假冒電信公司說門號即將停話，要求點連結補繳費用以免斷線');
    const b = await report('第二份：冒充銀行通知信用卡盜刷，要求加客服好友處理退款手續');
    const c = await report('第三份：假投資老師帶單保證獲利，加入群組即可領取飆股名單');
    expect((await get(`/api/v1/cases/${a}`, {})).json().case.mergedInto).toBeNull();
    expect((await post(`/api/v1/cases/${b}/merge`, { sourceCaseId: a })).statusCode).toBe(200);
    const merged = (await get(`/api/v1/cases/${a}`, {})).json().case;
    expect(merged.reportCount).toBe(0);
    expect(merged.mergedInto).toBe(b);
    expect((await get(`/api/v1/cases/${b}`, {})).json().case.mergedInto).toBeNull();
    // b is merged on into c: a now points at c, where its reports are.
    expect((await post(`/api/v1/cases/${c}/merge`, { sourceCaseId: b })).statusCode).toBe(200);
    expect((await get(`/api/v1/cases/${a}`, {})).json().case.mergedInto).toBe(c);
    expect((await get(`/api/v1/cases/${b}`, {})).json().case.mergedInto).toBe(c);
    expect((await get(`/api/v1/cases/${c}`, {})).json().case.reportCount).toBe(3);
  });

  it('refuses to merge decided cases with different verdicts, and a decided case into an undecided one', async () => {
    const a = await report('這是第一則需要判定的可疑訊息內容，邀請你加入投資群組穩賺不賠');
    const b = await report('這是第二則完全不同的訊息，說你的帳戶異常需要重新驗證身分資料');
    const c = await report('第三則訊息：恭喜中獎請先支付手續費才能領取獎金一百萬元整');
    await setVerdict(a, 'fraud');
    await setVerdict(b, 'not_fraud');
    const conflict = await post(`/api/v1/cases/${a}/merge`, { sourceCaseId: b });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json<{ error: { code: string } }>().error.code).toBe('verdict_conflict');
    const direction = await post(`/api/v1/cases/${c}/merge`, { sourceCaseId: a });
    expect(direction.statusCode).toBe(409);
    expect(direction.json<{ error: { code: string } }>().error.code).toBe('merge_direction');
    const ok = await post(`/api/v1/cases/${a}/merge`, { sourceCaseId: c });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ case: { verdict: string } }>().case.verdict).toBe('fraud');
  });

  it('splits reports out of a case into a new, undecided case', async () => {
    const text =
      '限時免費領取貼圖大禮包，只要加入官方帳號就送，今天最後一天 https://bit.ly/3stick1';
    const id = await report(text);
    await report(`早安！${text}`);
    const wrong = await report(`這是另一則無關訊息但用了同一個短網址 https://bit.ly/3stick1`);
    expect(wrong).toBe(id);
    const listed = await get(`/api/v1/cases/${id}/reports`);
    expect(listed.statusCode).toBe(200);
    const reports = listed.json<{ reports: Array<{ id: string; text: string }> }>().reports;
    expect(reports).toHaveLength(3);
    const move = reports.filter((r) => r.text.includes('無關訊息')).map((r) => r.id);
    const all = await post(`/api/v1/cases/${id}/split`, { reportIds: reports.map((r) => r.id) });
    expect(all.statusCode).toBe(400);
    const response = await post(`/api/v1/cases/${id}/split`, {
      reportIds: move,
      note: 'unrelated',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{
      case: { reportCount: number };
      newCase: { id: string; reportCount: number; verdict: string };
    }>();
    expect(body.case.reportCount).toBe(2);
    expect(body.newCase.reportCount).toBe(1);
    expect(body.newCase.verdict).toBe('undecided');
    // The shared short link stays with the original case (the remaining reports still carry it).
    const next = await report('又一則完全不同的內容然而附上相同的短網址喔 https://bit.ly/3stick1');
    expect(next).toBe(id);
    // The split-off text, reported again exactly, joins the new case.
    const exact = await report('這是另一則無關訊息但用了同一個短網址 https://bit.ly/3stick1');
    expect([id, body.newCase.id]).toContain(exact);
  });

  it('links cases that share a phone number or a registrable domain into a campaign', async () => {
    const a = await report(
      '投資老師帶你賺，聯絡電話 0933-111-222',
      'https://profit-club-tw.example/join',
    );
    const b = await report('保證獲利的飆股群，請打 0933111222 找助理');
    const c = await report(
      '新的活動頁面在這裡，入金就送獎勵',
      'https://profit-club-tw.example/bonus',
    );
    const d = await report('我在 Facebook 看到這個 https://www.facebook.com/some.page/posts/1');
    const e = await report('也在 Facebook 上 https://www.facebook.com/other.page/posts/2');
    const response = await get(`/api/v1/cases/${a}/campaign`);
    expect(response.statusCode, response.body).toBe(200);
    const graph = response.json<{
      cases: Array<{ id: string; depth: number }>;
      links: Array<{ from: string; to: string; type: string; value: string }>;
    }>();
    expect(graph.cases.map((x) => x.id).sort()).toEqual([a, b, c].sort());
    expect(graph.links.map((l) => l.type).sort()).toEqual(['domain', 'phone']);
    const fb = await get(`/api/v1/cases/${d}/campaign`);
    expect(fb.json<{ cases: Array<{ id: string }> }>().cases.map((x) => x.id)).not.toContain(e);
    expect((await get(`/api/v1/cases/${a}/campaign`, {})).statusCode).toBe(401);
  });

  it('links cases that share an IP address, and not a private one (issue 19)', async () => {
    const a = await report('下載「安全認證」程式：連線到 198.51.100.77 輸入驗證碼即可');
    const b = await report('客服要我打開遠端軟體連到 198.51.100[.]77，說這樣才能退款');
    const c = await report('請先登入路由器 192.168.1.1 再依指示操作轉帳');
    const d = await report('另一則訊息也叫人登入 192.168.1.1 然後到ATM操作');
    const graph = (await get(`/api/v1/cases/${a}/campaign`)).json<{
      cases: Array<{ id: string }>;
      links: Array<{ type: string; value: string }>;
    }>();
    expect(graph.cases.map((x) => x.id).sort()).toEqual([a, b].sort());
    expect(graph.links.map((l) => `${l.type} ${l.value}`)).toEqual(['ip 198.51.100.77']);
    const home = (await get(`/api/v1/cases/${c}/campaign`)).json<{
      cases: Array<{ id: string }>;
    }>();
    expect(home.cases.map((x) => x.id)).not.toContain(d);
  });
});
