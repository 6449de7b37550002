/**
 * What the citizen sees is consistent (issue 18): one verdict per check, computed from exactly
 * the cases the answer lists, for every kind of input (URL, domain, phone, LINE ID with and
 * without `@`, e-mail, bank account, crypto address, free text, a pasted message with several
 * indicators), over `GET` and `POST /api/v1/lookup` alike; a site only mentioned in a message is
 * not on record as that site; a few words are not a check; a pasted message of 2,000 Chinese
 * characters goes in a POST body; and a new report holding an indicator of a confirmed scam says
 * so (confirmation and case page), with triage's risk raised and the link recorded.
 */
// The harness first: it loads the app in the order the server does.
import { adminHeaders, buildTestApp, testDialects } from '../harness.js';
import { submitReportViaApi, decideCaseViaApi } from '../factories.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRows, readImportFile } from '../../src/intake/index.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;

interface PublicCase {
  id: string;
  status: string;
  colour: string;
  verdict: string;
  label: { 'zh-TW': string; en: string };
}
interface Lookup {
  found: boolean;
  verdict: {
    outcome: string;
    status: string | null;
    label: { 'zh-TW': string; en: string } | null;
    colour: string | null;
    matches: number;
    mentions: number;
  };
  query: {
    kind: string;
    canonical: string | null;
    indicators: Array<{ type: string; value: string }>;
    message: boolean;
  };
  cases: PublicCase[];
  matches: Array<{ caseId: string; by: Array<{ type: string; value: string | null }> }>;
  truncated: boolean;
  mentions: { total: number; totalIsExact: boolean; cases: PublicCase[] };
}
interface KnownScam {
  type: string;
  value: string;
  case: PublicCase;
}

const COLOUR_ORDER = ['red', 'yellow', 'grey', 'green'];

/** A message of `length` Chinese characters (a real scam text, repeated), unique by `marker`. */
function longMessage(length: number, marker: string): string {
  const base =
    '【投資群組公告】本群由資深分析師帶領，每日提供飆股明牌，保證獲利百分之三十以上，' +
    '名額有限，請盡快匯款入金開通會員資格，逾期不候。';
  let text = `${marker} `;
  while ([...text].length < length) text += base;
  return [...text].slice(0, length).join('');
}

describe.each(testDialects())('lookup verdicts and known scams on %s', (dialect) => {
  let ctx: Ctx;
  let dir = '';
  const ids: Record<string, string> = {};

  const report = (payload: Record<string, unknown>) => submitReportViaApi(ctx.app, payload);
  const decide = (caseId: string, verdict: string) => decideCaseViaApi(ctx.app, caseId, verdict);

  /**
   * The one rule every answer must keep: the verdict is the most serious listed case, `found`
   * and `matches` say the same, and each listed case has its reasons.
   */
  const expectConsistent = (body: Lookup, what: string) => {
    expect(body.found, what).toBe(body.cases.length > 0);
    expect(body.verdict.matches, what).toBe(body.cases.length);
    expect(body.verdict.outcome === 'on_record', what).toBe(body.found);
    expect(
      body.matches.map((m) => m.caseId),
      what,
    ).toEqual(body.cases.map((c) => c.id));
    for (const m of body.matches) expect(m.by.length, what).toBeGreaterThan(0);
    expect(body.verdict.mentions, what).toBe(body.mentions.total);
    const listed = new Set(body.cases.map((c) => c.id));
    for (const c of body.mentions.cases) expect(listed.has(c.id), what).toBe(false);
    if (body.cases.length === 0) {
      expect(body.verdict.status, what).toBeNull();
      return;
    }
    const worst = Math.min(...body.cases.map((c) => COLOUR_ORDER.indexOf(c.colour)));
    expect(body.verdict.colour, what).toBe(COLOUR_ORDER[worst]);
    expect(body.cases[0]?.colour, what).toBe(body.verdict.colour);
    expect(body.verdict.status, what).toBe(body.cases[0]?.status);
    expect(body.verdict.label, what).toEqual(body.cases[0]?.label);
  };

  /** The same check over GET and over POST: identical answers, both consistent. */
  const check = async (field: 'q' | 'url', value: string): Promise<Lookup> => {
    const get = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/lookup?${new URLSearchParams({ [field]: value }).toString()}`,
    });
    const post = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/lookup',
      payload: { [field]: value },
    });
    expect(get.statusCode, get.body).toBe(200);
    expect(post.statusCode, post.body).toBe(200);
    const body = get.json<Lookup>();
    expect(post.json(), `${field}=${value}: POST equals GET`).toEqual(body);
    expectConsistent(body, `${field}=${value}`);
    return body;
  };
  const caseIds = (body: Lookup) => body.cases.map((c) => c.id);

  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
    dir = mkdtempSync(path.join(tmpdir(), 'scamnet-lookup-'));
    // 165's fraud LINE IDs, as the open data writes them: personal IDs bare, official ones with @.
    const lineIds = path.join(dir, 'line_ids.csv');
    writeFileSync(lineIds, '\uFEFF編號,帳號,通報日期\n2,lai659,2017/1/2\n7,@yip3025T,2017/10/23\n');
    const imported = await importRows(ctx.deps, readImportFile(lineIds, 'tw165-line-ids'));
    expect(imported.accepted).toBe(2);

    // A news site a rumour merely quotes (as Cofacts messages do): undecided, grey.
    ids.rumour = (
      await report({
        text:
          '轉傳：專家說每天喝溫水可以預防中風，詳見 udn.com 新聞 ' +
          'https://udn.com/news/story/7266/123 請分享給家人',
      })
    ).case.id;
    // A scam website, reported as a URL and confirmed.
    ids.site = (
      await report({ url: 'https://www.onlytop-shop.com.tw/sale', platform: 'website' })
    ).case.id;
    await decide(ids.site, 'fraud');
    // A confirmed scam message with its contacts and payment details; it quotes a news page too.
    ids.message = (
      await report({
        text:
          '投資飆股老師帶你賺，加LINE: stock888 或撥 0912-345-678，匯款至 (822) 123456789012，' +
          'USDT 地址 0x52908400098527886E0F7030069857D2E4169EE7，客服信箱 desk@profit-club.com.tw，' +
          '媒體報導 https://news.daily-paper.com.tw/a/1',
      })
    ).case.id;
    await decide(ids.message, 'fraud');
    // Messages containing 投資 that are not the word itself (the word search finds them).
    for (const text of [
      '免費投資理財講座，週六下午兩點在台北開講',
      '退休族如何分配投資組合？銀行理專這樣建議',
      '投資詐騙手法翻新，警方提醒民眾勿輕信陌生群組',
    ]) {
      await report({ text });
    }
    // A not-fraud case holding a phone: green, less serious than red.
    ids.green = (
      await report({ text: '中華電信客服專線 0912-345-678 營業時間查詢（非詐騙）' })
    ).case.id;
    await decide(ids.green, 'not_fraud');
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('a LINE ID with or without @ finds the 165 case, with its red verdict', async () => {
    const bare = await check('q', 'lai659');
    expect(bare.verdict).toMatchObject({ outcome: 'on_record', colour: 'red' });
    const lineCase = bare.cases[0]?.id ?? '';
    expect(bare.matches[0]?.by).toContainEqual({ type: 'line_id', value: 'lai659' });
    for (const typed of [
      '@lai659',
      '@LAI659',
      'ＬＡＩ６５９',
      'LINE ID: @lai659',
      '加賴：lai659',
    ]) {
      const body = await check('q', typed);
      expect(body.verdict.outcome, typed).toBe('on_record');
      expect(body.verdict.colour, typed).toBe('red');
      expect(caseIds(body), typed).toContain(lineCase);
    }
    // An official account written without its @ is found too.
    const official = await check('q', 'yip3025t');
    expect(official.verdict.outcome).toBe('on_record');
    expect(official.matches[0]?.by).toContainEqual({ type: 'line_id', value: '@yip3025t' });
    // A LINE URL is checked as its LINE ID.
    const byUrl = await check('url', 'https://line.me/ti/p/~lai659');
    expect(caseIds(byUrl)).toContain(lineCase);
  });

  it('a site only mentioned in a message is not on record as that site', async () => {
    for (const [field, value] of [
      ['url', 'https://udn.com/'],
      ['url', 'https://udn.com/news/story/7266/123'],
      ['q', 'udn.com'],
    ] as const) {
      const body = await check(field, value);
      expect(body.found, value).toBe(false);
      expect(body.verdict.outcome, value).toBe('mentioned_only');
      expect(body.mentions.total, value).toBe(1);
      expect(
        body.mentions.cases.map((c) => c.id),
        value,
      ).toEqual([ids.rumour]);
    }
    // Even a confirmed scam message does not make the news page it quotes a scam site.
    const quoted = await check('url', 'https://news.daily-paper.com.tw/a/1');
    expect(quoted.found).toBe(false);
    expect(quoted.verdict.outcome).toBe('mentioned_only');
    expect(quoted.mentions.cases.map((c) => c.id)).toEqual([ids.message]);
  });

  it('a reported site is on record, for any page of it and for its domain', async () => {
    for (const [field, value] of [
      ['url', 'https://www.onlytop-shop.com.tw/sale'],
      ['url', 'http://onlytop-shop.com.tw/cart?id=9'],
      ['q', 'onlytop-shop.com.tw'],
    ] as const) {
      const body = await check(field, value);
      expect(body.verdict, value).toMatchObject({ outcome: 'on_record', colour: 'red' });
      expect(caseIds(body), value).toEqual([ids.site]);
    }
  });

  it('contacts and payment details match wherever a case holds them, worst case first', async () => {
    for (const [typed, type, value] of [
      ['0912345678', 'phone', '+886912345678'],
      ['+886 912 345 678', 'phone', '+886912345678'],
      ['desk@profit-club.com.tw', 'email', 'desk@profit-club.com.tw'],
      ['(822) 123456789012', 'bank_account', '822-123456789012'],
      [
        '0x52908400098527886E0F7030069857D2E4169EE7',
        'crypto_address',
        '0x52908400098527886e0f7030069857d2e4169ee7',
      ],
      ['stock888', 'line_id', 'stock888'],
    ] as const) {
      const body = await check('q', typed);
      expect(body.verdict.outcome, typed).toBe('on_record');
      expect(body.verdict.colour, typed).toBe('red');
      expect(body.cases[0]?.id, typed).toBe(ids.message);
      expect(body.matches[0]?.by, typed).toContainEqual({ type, value });
    }
    // The phone is also held by a green case: listed after the red one, the verdict stays red.
    const phone = await check('q', '0912-345-678');
    expect(caseIds(phone)).toEqual([ids.message, ids.green]);
    const unknown = await check('q', '0987 654 321');
    expect(unknown.verdict.outcome).toBe('no_record');
    expect(unknown.query.indicators).toEqual([{ type: 'phone', value: '+886987654321' }]);
  });

  it('a few words are not a check: no verdict either way, nothing listed as a match', async () => {
    for (const words of ['投資', '退款', '保證獲利']) {
      const body = await check('q', words);
      expect(body.verdict.outcome, words).toBe('not_a_check');
      expect(body.found, words).toBe(false);
      expect(body.cases, words).toEqual([]);
    }
    // The word search still finds the messages containing the word: a search, not a check.
    const search = await ctx.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('投資')}` });
    expect(search.json<{ total: number }>().total).toBeGreaterThanOrEqual(4);
    // A whole message is a check even when nothing holds it.
    const message = await check('q', '您好，這裡是某某物流，您的包裹因地址不完整暫停配送');
    expect(message.verdict.outcome).toBe('no_record');
    expect(message.query.message).toBe(true);
  });

  it('a pasted message with several indicators lists every match and one verdict', async () => {
    const pasted =
      '朋友傳來的：老師說加賴 @lai659 ，或打 0912 345 678 ，還附了新聞 https://udn.com/news/story/7266/123';
    const body = await check('q', pasted);
    expect(body.verdict).toMatchObject({ outcome: 'on_record', colour: 'red' });
    expect(caseIds(body)).toEqual(expect.arrayContaining([ids.message, ids.green]));
    expect(body.cases.some((c) => c.verdict === 'fraud' && c.id !== ids.message)).toBe(true);
    expect(body.mentions.cases.map((c) => c.id)).toEqual([ids.rumour]);
  });

  it('checks a 2,000-character Chinese message in a POST body, and finds it once reported', async () => {
    const text = longMessage(2000, `長訊息${dialect}`);
    const before = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/lookup',
      payload: { q: text },
    });
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json<Lookup>().verdict.outcome).toBe('no_record');
    const reported = await report({ text });
    const after = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/lookup',
      payload: { q: text },
    });
    const body = after.json<Lookup>();
    expectConsistent(body, 'long message');
    expect(body.cases.map((c) => c.id)).toContain(reported.case.id);
    expect(body.matches.find((m) => m.caseId === reported.case.id)?.by).toContainEqual({
      type: 'message',
      value: null,
    });
  });

  it('answers a bad POST body in the error format, with the same limits as GET', async () => {
    const post = (payload: string, contentType = 'application/json') =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/lookup',
        headers: { 'content-type': contentType },
        payload,
      });
    const cases: Array<[string, number, string, string?]> = [
      [JSON.stringify({ q: 'a', url: 'https://x.com.tw/' }), 400, 'validation_failed', 'q'],
      [JSON.stringify({}), 400, 'validation_failed', 'url'],
      [JSON.stringify({ text: 'a' }), 400, 'validation_failed'],
      [JSON.stringify({ q: '   ' }), 400, 'validation_failed', 'q'],
      [JSON.stringify({ q: '字'.repeat(5001) }), 400, 'validation_failed', 'q'],
      // NFKC makes U+FDFA eighteen characters: 278 of them are 5,004.
      [JSON.stringify({ q: '\ufdfa'.repeat(278) }), 400, 'query_too_long', 'q'],
      [JSON.stringify({ url: 'http://' }), 400, 'invalid_url', 'url'],
      ['{"q":', 400, 'invalid_json'],
      [JSON.stringify({ q: 'x'.repeat(70_000) }), 413, 'body_too_large'],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await post(payload);
      expect(res.statusCode, payload.slice(0, 40)).toBe(status);
      const error = res.json<{
        error: { code: string; message: string; details?: { field?: string } };
      }>().error;
      expect(error.code, payload.slice(0, 40)).toBe(code);
      expect(error.message).not.toBe('');
      if (field !== undefined) expect(error.details?.field, payload.slice(0, 40)).toBe(field);
    }
    const form = await post('q=lai659', 'application/x-www-form-urlencoded');
    expect(form.statusCode).toBe(415);
    expect(form.json().error.code).toBe('unsupported_media_type');
    const get = await ctx.app.inject({
      url: `/api/v1/lookup?q=${encodeURIComponent('\ufdfa'.repeat(278))}`,
    });
    expect(get.json().error.code).toBe('query_too_long');
  });

  it('a new report holding a known scam LINE ID says so, links the case, and raises its risk', async () => {
    const lineCase = (await check('q', 'lai659')).cases[0]?.id ?? '';
    const text = '投資群組老師很厲害，要入群請加LINE @lai659 ，名額有限';
    const warned = await report({ text });
    expect(warned.newCase).toBe(true);
    expect(warned.case.status).toBe('processing');
    expect(warned.knownScams).toEqual([
      expect.objectContaining({ type: 'line_id', value: 'lai659' }),
    ]);
    expect(warned.knownScams[0]?.case).toMatchObject({ id: lineCase, verdict: 'fraud' });

    // The new case's public page says the same.
    const page = await ctx.app.inject({ url: `/api/v1/cases/${warned.case.id}` });
    expect(page.statusCode).toBe(200);
    expect(
      page.json<{ knownScams: KnownScam[] }>().knownScams.map((k) => [k.type, k.value, k.case.id]),
    ).toEqual([['line_id', 'lai659', lineCase]]);

    // The same message with an unknown LINE ID: no warning, a lower risk.
    const control = await report({ text: text.replace('@lai659', '@nobody4321') });
    expect(control.knownScams).toEqual([]);
    const risk = async (caseId: string) => {
      const res = await ctx.app.inject({
        url: `/api/v1/cases/${caseId}/triage`,
        headers: adminHeaders,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ riskScore: number }>().riskScore;
    };
    expect(await risk(warned.case.id)).toBeGreaterThanOrEqual(
      Math.min(100, (await risk(control.case.id)) + 40),
    );

    // Triage recorded the link in its event.
    const timeline = await ctx.app.inject({
      url: `/api/v1/cases/${warned.case.id}/timeline`,
      headers: adminHeaders,
    });
    const triaged = timeline
      .json<{ events: Array<{ type: string; data: Record<string, unknown> }> }>()
      .events.find((e) => e.type === 'case.triaged');
    expect(triaged?.data.knownScams).toEqual([{ caseId: lineCase, type: 'line_id' }]);
  });

  it('warns of known scam phones and sites too, never of a site only mentioned', async () => {
    const byPhone = await report({ text: '您的帳戶異常，請立即回電 0912 345 678 由專員協助處理' });
    expect(byPhone.knownScams.map((k) => [k.type, k.value, k.case.id])).toEqual([
      ['phone', '+886912345678', ids.message],
    ]);
    const bySite = await report({
      url: 'https://onlytop-shop.com.tw/item/77',
      platform: 'website',
    });
    expect(bySite.knownScams.map((k) => [k.type, k.value, k.case.id])).toEqual([
      ['domain', 'onlytop-shop.com.tw', ids.site],
    ]);
    // The confirmed scam message quotes this news page: the page is not a known scam.
    const byQuoted = await report({ url: 'https://news.daily-paper.com.tw/a/1' });
    expect(byQuoted.knownScams).toEqual([]);
    // A not-fraud case sharing an indicator is no warning either.
    const green = await report({ text: '請問 0912-345-678 是不是客服專線？（非詐騙）' });
    expect(green.knownScams.map((k) => k.case.id)).toEqual([ids.message]);
  });
});
