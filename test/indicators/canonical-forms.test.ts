/**
 * Every form a scammer or a parser can produce is found and canonical (issue 19), through the
 * public interfaces: `POST /api/v1/reports`, `GET /api/v1/lookup`. IPv4 hosts in any spelling the
 * WHATWG parser accepts, IPv6 literals in any spelling, bare and defanged IPv4 addresses (`ip`),
 * doubled and glued schemes, default-ignorable characters, Cyrillic/Greek look-alike letters and
 * phone numbers by the region's numbering plan (DEFAULT_REGION=PL here for one suite).
 */
// The harness first: it loads the app in the order the server does.
import { testDialects, useTestApp } from '../harness.js';
import { postReport, submitReportViaApi } from '../factories.js';
import { describe, expect, it } from 'vitest';

interface Lookup {
  found: boolean;
  query: { indicators: Array<{ type: string; value: string }> };
  cases: Array<{ id: string }>;
  matches: Array<{ caseId: string; by: Array<{ type: string; value: string | null }> }>;
}

describe.each(testDialects())(
  'canonical forms through the report API and lookup on %s',
  (dialect) => {
    const ctx = useTestApp(dialect);

    const lookup = async (params: Record<string, string>): Promise<Lookup> => {
      const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/lookup', query: params });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Lookup>();
    };
    const indicatorsOf = (body: { case: { indicators: Array<{ type: string; value: string }> } }) =>
      body.case.indicators.map((i) => `${i.type} ${i.value}`);

    it('a bare IPv4 address, plain or defanged, is an `ip` indicator that lookups find', async () => {
      const report = await submitReportViaApi(ctx.app, {
        text: '客服說要先連線到 203.0.113[.]45 下載「安全認證」程式，再把驗證碼念給他聽',
      });
      expect(indicatorsOf(report)).toContain('ip 203.0.113.45');
      for (const q of ['203.0.113.45', '203[.]0[.]113[.]45', '伺服器 IP：203.0.113.45']) {
        const answer = await lookup({ q });
        expect(answer.query.indicators).toContainEqual({ type: 'ip', value: '203.0.113.45' });
        expect(answer.matches).toContainEqual({
          caseId: report.case.id,
          by: [{ type: 'ip', value: '203.0.113.45' }],
        });
      }
      // A private address names no one host: not an indicator, so not a match for other reports.
      const home = await submitReportViaApi(ctx.app, {
        text: '請登入路由器 192.168.1.1 修改密碼後回報',
      });
      expect(indicatorsOf(home).filter((i) => i.startsWith('ip '))).toEqual([]);
    });

    it('a site reported by an address in any WHATWG IPv4 spelling is one site, found by its dotted quad', async () => {
      const first = await submitReportViaApi(ctx.app, {
        url: 'http://0x0000078.0000000000220.171.205/login',
      });
      expect(first.case.urls).toContain('http://120.144.171.205/login');
      expect(indicatorsOf(first)).toContain('ip 120.144.171.205');
      const again = await submitReportViaApi(ctx.app, { url: 'http://2022747085/login' });
      expect(again.case.id).toBe(first.case.id);
      const byUrl = await lookup({ url: 'http://120.144.171.205/login' });
      expect(byUrl.cases.map((c) => c.id)).toContain(first.case.id);
      const byAddress = await lookup({ q: '120.144.171.205' });
      expect(byAddress.matches.map((m) => m.caseId)).toContain(first.case.id);
    });

    it.each([
      'http://4294967296/',
      'http://255.255.65536/',
      'http://1.2.3.4.5/',
      // Names no resolver or browser opens: a sentence glued on, punctuation, an escaped byte.
      'http://shop.com.tw,click-here/',
      'http://w!eird<>ho$^.com/',
      'http://%01%80.com/',
    ])('a host the URL parser refuses, or that names no host (%s), is not a URL', async (url) => {
      const res = await postReport(ctx.app, { url });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('invalid_url');
    });

    it('an IPv6 literal written two ways is one case', async () => {
      const first = await submitReportViaApi(ctx.app, { url: 'http://[2001:DB8:0:0:0:0:0:7]/pay' });
      const second = await submitReportViaApi(ctx.app, { url: 'http://[2001:db8::0007]/pay' });
      expect(second.case.id).toBe(first.case.id);
      expect(first.case.urls).toContain('http://[2001:db8::7]/pay');
    });

    it('a doubled scheme is one link, two glued links are two', async () => {
      const report = await submitReportViaApi(ctx.app, {
        text: '包裹地址錯誤請更新 http://http://t.cn/A6XYZab 或 https://t.cn/AAAAAAAhttp://t.cn/BBBBBBB',
      });
      expect(report.case.urls).toEqual(
        expect.arrayContaining([
          'http://t.cn/A6XYZab',
          'https://t.cn/AAAAAAA',
          'http://t.cn/BBBBBBB',
        ]),
      );
      expect(report.case.urls.some((u) => u.startsWith('http://http'))).toBe(false);
    });

    it('default-ignorable characters change nothing: same case, same indicators', async () => {
      const plain = '【中獎通知】恭喜獲得iPhone，請於今日加LINE：@prize8899 或撥0912-678-901領取';
      const first = await submitReportViaApi(ctx.app, { text: plain });
      // Tag characters, CGJ, a variation selector, a Hangul filler and U+FFF9–FFFB inside the
      // LINE ID, the phone number and the words.
      const hidden =
        '【中獎\u{E0041}通知】恭喜\u034f獲得iPhone\uFE0F，請於今日加LINE：@pri\u{E0020}ze8899 或撥09\u316412-678\uFFF9-901領\uFFFA\uFFFB取';
      const second = await submitReportViaApi(ctx.app, { text: hidden });
      expect(second.case.id).toBe(first.case.id);
      expect(second.newCase).toBe(false);
      const answer = await lookup({ q: '0912\u{E007F}678901' });
      expect(answer.matches.map((m) => m.caseId)).toContain(first.case.id);
    });

    it('a message written with Cyrillic and Greek look-alike letters joins its Latin original', async () => {
      const latin =
        'Your parcel could not be delivered. Pay the customs fee today to avoid its return to sender.';
      const first = await submitReportViaApi(ctx.app, { text: latin });
      const disguised = latin
        .replace(/a/g, '\u0430')
        .replace(/o/g, '\u03bf')
        .replace(/e/g, '\u0435')
        .replace(/P/g, '\u0420');
      const second = await submitReportViaApi(ctx.app, { text: disguised });
      expect(second.case.id).toBe(first.case.id);
    });

    it('an international call prefix that is also a bank code gives a phone, not an account', async () => {
      const report = await submitReportViaApi(ctx.app, {
        text: '海外客服專線 009-886-912345678 請盡快聯繫',
      });
      expect(indicatorsOf(report)).toContain('phone +886912345678');
      expect(indicatorsOf(report).filter((i) => i.startsWith('bank_account'))).toEqual([]);
      const answer = await lookup({ q: '0912-345-678' });
      expect(answer.matches.map((m) => m.caseId)).toContain(report.case.id);
    });
  },
);

describe.each(testDialects())('phone numbers by DEFAULT_REGION=PL on %s', (dialect) => {
  const ctx = useTestApp(dialect, { env: { DEFAULT_REGION: 'PL' } });

  it('national numbers without a trunk prefix are found, each one', async () => {
    const report = await submitReportViaApi(ctx.app, {
      text: 'Paczka czeka na dopłatę. Zadzwoń 513000001 513000002',
    });
    expect(report.case.indicators).toEqual(
      expect.arrayContaining([
        { type: 'phone', value: '+48513000001' },
        { type: 'phone', value: '+48513000002' },
      ]),
    );
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/lookup',
      query: { q: '513 000 002' },
    });
    expect(res.json<Lookup>().matches.map((m) => m.caseId)).toContain(report.case.id);
  });
});
