import { describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApp, testDialects, useTestApp, withClosing } from './harness.js';
import type { TestApp } from './harness.js';
import { adminRequest, postReport } from './factories.js';

type Ctx = TestApp;

async function counts(ctx: Ctx): Promise<{ cases: number; reports: number }> {
  const cases = await ctx.deps.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const reports = await ctx.deps.db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return { cases: Number(cases.n), reports: Number(reports.n) };
}

/**
 * Proposes blocking the website of fraud case `caseId` (`domain`, or the case's own) and
 * activates the entry with a court ruling, as an analyst would; returns the entry's ID.
 */
async function activateFromCase(ctx: Ctx, caseId: string, domain?: string): Promise<string> {
  const proposed = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/blocklist/entries/from-case',
    headers: adminHeaders,
    payload: domain === undefined ? { caseId } : { caseId, domain },
  });
  expect(proposed.statusCode, proposed.body).toBeLessThan(300);
  const entryId: string = proposed.json().entry.id;
  const activated = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/blocklist/entries/${entryId}/activate`,
    headers: adminHeaders,
    payload: {
      legalBasis: { kind: 'court_ruling', reference: '115年度聲字第1號', date: '2026-11-28' },
      requestingUnit: '刑事警察局',
    },
  });
  expect(activated.statusCode, activated.body).toBe(200);
  return entryId;
}

describe.each(testDialects())('HTTP API on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const report = (payload: object) => postReport(ctx.app, payload);

  describe('reporting and merging', () => {
    it('creates a case for a new URL, publicly labelled as being checked', async () => {
      const res = await report({
        url: 'https://scam-shop.test/sale?utm_source=fb',
        platform: 'website',
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.newCase).toBe(true);
      expect(body.report.id).toMatch(/^R[0-9A-Z]{16}$/);
      expect(body.case).toMatchObject({
        status: 'processing',
        label: { 'zh-TW': '處理中', en: 'Being checked' },
        colour: 'grey',
        reportCount: 1,
        platform: 'website',
        verdict: 'undecided',
      });
      expect(body.case.id).toMatch(/^C[0-9A-Z]{10}$/);
    });

    it('merges a second report of the same canonical URL (case, port-less host, tracking parameters)', async () => {
      const first = await report({ url: 'http://Merge-Me.test/offer?id=7' });
      const second = await report({ url: 'HTTP://merge-me.TEST:80/offer?id=7&fbclid=abc' });
      expect(second.statusCode).toBe(201);
      expect(second.json().newCase).toBe(false);
      expect(second.json().case.id).toBe(first.json().case.id);
      expect(second.json().case.reportCount).toBe(2);
    });

    it('merges reports of the same text after normalisation (spaces, punctuation, width, zero-width)', async () => {
      const a = await report({ text: '恭喜您獲得 免費貼圖！ 今天限定，請加好友領取。' });
      const b = await report({
        text: '恭喜您獲得免費貼圖\u200b 今天限定 請加好友領取！！',
        channel: 'web',
      });
      // A one-word edit of a message is a near-duplicate and joins its case (issue 5); a
      // different message does not. normaliseText itself keeps 今天 ≠ 明天 (fingerprint.test.ts).
      const c = await report({ text: '您的包裹無法投遞，請點擊連結更新地址。' });
      expect(b.json().case.id).toBe(a.json().case.id);
      expect(b.json().case.reportCount).toBe(2);
      expect(c.json().case.id).not.toBe(a.json().case.id);
    });

    it('extracts URLs from the text and merges with a report of that URL', async () => {
      const byText = await report({
        text: '飆股群組限時加入👉https://stock-club.test/join，名額有限',
      });
      expect(byText.statusCode).toBe(201);
      expect(byText.json().case.urls).toContain('https://stock-club.test/join');
      const byUrl = await report({ url: 'https://stock-club.test/join' });
      expect(byUrl.json().case.id).toBe(byText.json().case.id);
    });

    it('derives the platform from the URL when the reporter does not give one', async () => {
      const res = await report({ url: 'https://www.facebook.com/ads/library/?id=123456' });
      expect(res.json().case.platform).toBe('facebook');
    });
  });

  describe('bad input is refused and nothing is stored', () => {
    it.each([
      ['neither url nor text', { platform: 'line' }, 400, 'url_or_text_required'],
      ['blank text', { text: '   ' }, 400, 'url_or_text_required'],
      ['a URL that does not parse', { url: 'not a url' }, 400, 'invalid_url'],
      [
        'an unknown platform',
        { url: 'http://a.test/', platform: 'myspace' },
        400,
        'validation_failed',
      ],
      [
        'an unknown field',
        { url: 'http://a.test/', reporterPhone: '0912345678' },
        400,
        'validation_failed',
      ],
      ['a non-string text', { text: 42 }, 400, 'validation_failed'],
      ['a text over 20,000 characters', { text: 'x'.repeat(20_001) }, 400, 'validation_failed'],
    ])('%s', async (_name, payload, status, code) => {
      const before = await counts(ctx);
      const res = await report(payload);
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(typeof res.json().error.message).toBe('string');
      expect(await counts(ctx)).toEqual(before);
    });

    it('names the offending field', async () => {
      const res = await report({ url: 'http://a.test/', platform: 'myspace' });
      expect(res.json().error.details.field).toBe('platform');
      expect((await report({ url: 'not a url' })).json().error.details.field).toBe('url');
    });

    it('refuses invalid JSON, a wrong content type and a body over 64 KiB', async () => {
      const before = await counts(ctx);
      const json = 'application/json';
      for (const [type, payload, status, code] of [
        [json, '{"url": "http://x.test/",', 400, 'invalid_json'],
        ['application/x-www-form-urlencoded', 'url=http://x.test/', 415, 'unsupported_media_type'],
        [json, JSON.stringify({ text: 'y'.repeat(70_000) }), 413, 'body_too_large'],
      ] as const) {
        const res = await postReport(ctx.app, payload, { 'content-type': type });
        expect(res.statusCode, code).toBe(status);
        expect(res.json().error.code).toBe(code);
      }
      expect(await counts(ctx)).toEqual(before);
    });
  });

  describe('lookup', () => {
    it('finds a reported URL, and a page under a reported site (Safe Browsing expressions)', async () => {
      const created = (
        await report({ url: 'http://fake-invest.test/', platform: 'website' })
      ).json();
      const exact = await ctx.app.inject({ url: '/api/v1/lookup?url=fake-invest.test' });
      expect(exact.statusCode).toBe(200);
      expect(exact.json().found).toBe(true);
      expect(exact.json().cases[0].id).toBe(created.case.id);
      const deeper = await ctx.app.inject({
        url: `/api/v1/lookup?url=${encodeURIComponent('https://www.fake-invest.test/login/step2?x=1')}`,
      });
      expect(deeper.json().found).toBe(true);
      expect(deeper.json().cases.map((c: { id: string }) => c.id)).toContain(created.case.id);
      const c = deeper.json().cases[0];
      expect(Object.keys(c).sort()).toEqual(
        [
          'colour',
          'decidedAt',
          'firstReportedAt',
          'id',
          'indicators',
          'label',
          'lastReportedAt',
          'mergedInto',
          'platform',
          'reportCount',
          'source',
          'status',
          'summary',
          'urls',
          'verdict',
        ].sort(),
      );
    });

    it('finds any page of a reported website, by its registrable domain', async () => {
      const created = (await report({ url: 'https://shop.whole-site.com.tw/p/1' })).json();
      expect(created.case.platform).toBe('website');
      expect(created.case.indicators).toContainEqual({
        type: 'domain',
        value: 'whole-site.com.tw',
      });
      const other = await ctx.app.inject({
        url: '/api/v1/lookup?url=http://whole-site.com.tw/checkout',
      });
      expect(other.json().cases.map((c: { id: string }) => c.id)).toContain(created.case.id);
    });

    it('does not find a sibling page on a platform, nor an unknown site, nor all of a shortener', async () => {
      await report({ url: 'https://www.facebook.com/fake.page.one/posts/1' });
      const sibling = await ctx.app.inject({
        url: '/api/v1/lookup?url=https://www.facebook.com/real.page.two',
      });
      expect(sibling.json().found).toBe(false);
      await report({ url: 'https://bit.ly/3scamLink', platform: 'website' });
      const otherShort = await ctx.app.inject({
        url: '/api/v1/lookup?url=https://bit.ly/harmless',
      });
      expect(otherShort.json().found).toBe(false);
      const unknown = await ctx.app.inject({
        url: '/api/v1/lookup?url=https://never-reported.test/',
      });
      expect(unknown.json()).toEqual({
        found: false,
        verdict: {
          outcome: 'no_record',
          status: null,
          label: null,
          colour: null,
          matches: 0,
          mentions: 0,
        },
        query: {
          kind: 'url',
          canonical: 'https://never-reported.test/',
          indicators: [{ type: 'url', value: 'https://never-reported.test/' }],
          message: false,
        },
        cases: [],
        matches: [],
        truncated: false,
        mentions: { total: 0, totalIsExact: true, cases: [] },
      });
    });

    it('finds a message by its normalised text; a URL inside it is only mentioned', async () => {
      const created = (
        await report({
          text: '您的包裹地址不完整，請於24小時內更新：https://parcel-fix.com.tw/tw',
        })
      ).json();
      const byText = await ctx.app.inject({
        url: `/api/v1/lookup?q=${encodeURIComponent('您的包裹地址不完整 請於24小時內更新 https://parcel-fix.com.tw/tw')}`,
      });
      expect(byText.json().found).toBe(true);
      expect(byText.json().cases[0].id).toBe(created.case.id);
      expect(byText.json().matches[0].by).toEqual([{ type: 'message', value: null }]);
      // The link was in the text, not the reported URL: the message mentions the site, it is not
      // a report of it.
      const byUrlInQ = await ctx.app.inject({
        url: `/api/v1/lookup?q=${encodeURIComponent('parcel-fix.com.tw/tw')}`,
      });
      expect(byUrlInQ.json().found).toBe(false);
      expect(byUrlInQ.json().verdict.outcome).toBe('mentioned_only');
      expect(byUrlInQ.json().mentions.cases.map((c: { id: string }) => c.id)).toEqual([
        created.case.id,
      ]);
    });

    it('finds a reposted copy of a message (new greeting, other short link) by near-duplicates', async () => {
      const message =
        '恭喜您獲得電信點數回饋2000點，今日到期，請立即點擊連結登入會員兌換，逾期作廢';
      const created = (await report({ text: `${message} https://bit.ly/9PointsTW` })).json();
      const copy = `各位好友早安！${message.replace(/，/g, ' ')} https://reurl.cc/Xk7Pq2 感恩`;
      const found = await ctx.app.inject({ url: `/api/v1/lookup?q=${encodeURIComponent(copy)}` });
      expect(found.json().found).toBe(true);
      expect(found.json().cases.map((c: { id: string }) => c.id)).toContain(created.case.id);
      // A different message with the same kind of link is not a near-duplicate.
      const other = await ctx.app.inject({
        url: `/api/v1/lookup?q=${encodeURIComponent('您的健保卡即將停用，請於今日內點擊連結更新資料以免影響就醫權益 https://reurl.cc/Xk7Pq3')}`,
      });
      expect(other.json().found).toBe(false);
    });

    it('refuses a missing query, both parameters, and an unreadable URL', async () => {
      for (const url of [
        '/api/v1/lookup',
        '/api/v1/lookup?url=a.test&q=x',
        '/api/v1/lookup?url=%20%20',
        '/api/v1/lookup?url=',
      ]) {
        const res = await ctx.app.inject({ url });
        expect(res.statusCode, url).toBe(400);
        expect(['validation_failed', 'invalid_url']).toContain(res.json().error.code);
      }
    });
  });

  describe('verdicts', () => {
    it('requires the admin token', async () => {
      const created = (await report({ url: 'http://needs-token.test/' })).json();
      const url = `/api/v1/cases/${created.case.id}/verdict`;
      // No token, a wrong one and a malformed header alike.
      for (const headers of [
        {},
        { authorization: 'Bearer not-the-token-but-long-enough' },
        { authorization: 'Basic abc' },
      ]) {
        const res = await ctx.app.inject({
          method: 'POST',
          url,
          headers,
          payload: { verdict: 'fraud' },
        });
        expect(res.statusCode, JSON.stringify(headers)).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
      }
      const view = await ctx.app.inject({ url: `/api/v1/cases/${created.case.id}` });
      expect(view.json().case.verdict).toBe('undecided');
      expect(view.json().case.verdicts).toEqual([]);
    });

    it('changes the public label and keeps the history; the domain is blocked only with a legal basis', async () => {
      const created = (
        await report({
          url: 'https://www.pchome-sale.example-shop.com.tw/item/1',
          platform: 'website',
        })
      ).json();
      const id = created.case.id;
      const high = await adminRequest(ctx.app, 'POST', `/api/v1/cases/${id}/verdict`, {
        verdict: 'high_risk',
      });
      expect(high.json().case).toMatchObject({
        status: 'high_risk',
        colour: 'yellow',
        label: { 'zh-TW': '高風險訊息' },
      });
      let blocklist = await ctx.app.inject({ url: '/api/v1/blocklist/domains.txt' });
      expect(blocklist.body.split('\n')).not.toContain('example-shop.com.tw');

      ctx.clock.advance(3_600_000);
      const fraud = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/verdict`,
        headers: adminHeaders,
        payload: { verdict: 'fraud', note: '冒用 PChome 品牌' },
      });
      // A website is not a platform's content: nobody was told to remove it; it is not blocked yet.
      expect(fraud.json().case).toMatchObject({
        status: 'site_confirmed',
        colour: 'red',
        label: { 'zh-TW': '詐騙網站，尚未停止解析', en: 'Scam website — not blocked yet' },
        decidedAt: '2026-11-29T03:00:00.000Z',
      });
      const view = (await ctx.app.inject({ url: `/api/v1/cases/${id}` })).json();
      expect(view.case.verdicts).toEqual([
        { verdict: 'high_risk', decidedAt: '2026-11-29T02:00:00.000Z', note: null },
        { verdict: 'fraud', decidedAt: '2026-11-29T03:00:00.000Z', note: '冒用 PChome 品牌' },
      ]);
      expect(JSON.stringify(view)).not.toContain('admin:token');
      const lookup = await ctx.app.inject({
        url: '/api/v1/lookup?url=https://www.pchome-sale.example-shop.com.tw/item/1',
      });
      expect(lookup.json().cases[0].status).toBe('site_confirmed');

      // A fraud verdict alone blocks nothing: domains.txt follows the feeds' legal-basis rule.
      blocklist = await ctx.app.inject({ url: '/api/v1/blocklist/domains.txt' });
      expect(blocklist.statusCode).toBe(200);
      expect(blocklist.headers['content-type']).toMatch(/^text\/plain/);
      expect(blocklist.body.split('\n')).not.toContain('example-shop.com.tw');
      await activateFromCase(ctx, id);
      blocklist = await ctx.app.inject({ url: '/api/v1/blocklist/domains.txt' });
      expect(blocklist.body.split('\n')).toContain('example-shop.com.tw');
    });

    it('never lists a platform domain, even for a confirmed scam on it', async () => {
      const created = (
        await report({ url: 'https://www.facebook.com/fake.celebrity.invest/posts/1' })
      ).json();
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${created.case.id}/verdict`,
        headers: adminHeaders,
        payload: { verdict: 'fraud' },
      });
      const blocklist = await ctx.app.inject({ url: '/api/v1/blocklist/domains.txt' });
      expect(blocklist.body.split('\n')).not.toContain('facebook.com');
    });

    it('refuses an unknown verdict, an unknown case and an invalid case ID', async () => {
      const created = (await report({ url: 'http://verdict-input.test/' })).json();
      // An unknown verdict, `undecided` (not a verdict one records) and a case that does not exist.
      for (const [caseId, verdict, status, code] of [
        [created.case.id, 'scam', 400, 'validation_failed'],
        [created.case.id, 'undecided', 400, undefined],
        ['CNOSUCHCASE0', 'fraud', 404, 'case_not_found'],
      ] as const) {
        const res = await adminRequest(
          ctx.app,
          'POST',
          `/api/v1/cases/${caseId}/verdict`,
          { verdict },
          status,
        );
        if (code !== undefined) expect(res.json().error.code, verdict).toBe(code);
      }
      expect((await ctx.app.inject({ url: '/api/v1/cases/CNOSUCHCASE0' })).json().error.code).toBe(
        'case_not_found',
      );
      expect((await ctx.app.inject({ url: '/api/v1/cases/..%2Fetc' })).statusCode).toBe(400);
      const view = (await ctx.app.inject({ url: `/api/v1/cases/${created.case.id}` })).json();
      expect(view.case.verdicts).toEqual([]);
    });
  });

  describe('operations', () => {
    it('reports health with the store dialect', async () => {
      const res = await ctx.app.inject({ url: '/healthz' });
      expect(res.json()).toEqual({
        status: 'ok',
        store: dialect,
        lookupIndex: expect.stringMatching(/^(building|ready)$/),
      });
    });

    it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
      const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
      expect(doc.openapi).toBe('3.1.0');
      for (const path of [
        '/api/v1/reports',
        '/api/v1/lookup',
        '/api/v1/cases/{id}',
        '/api/v1/cases/{id}/verdict',
        '/api/v1/blocklist/domains.txt',
        '/healthz',
      ]) {
        expect(doc.paths, path).toHaveProperty([path]);
      }
      expect(
        doc.paths['/api/v1/reports'].post.requestBody.content['application/json'].schema.properties,
      ).toHaveProperty('url');
    });

    it('answers unknown API routes with a JSON 404', async () => {
      const res = await ctx.app.inject({ url: '/api/v1/nothing-here' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('route_not_found');
    });
  });
});

describe('report rate limit', () => {
  it('answers 429 rate_limited past the configured reports per minute', async () => {
    await withClosing(
      buildTestApp('sqlite', { env: { REPORT_RATE_LIMIT_PER_MINUTE: '2' } }),
      async (ctx) => {
        const send = () =>
          ctx.app.inject({
            method: 'POST',
            url: '/api/v1/reports',
            payload: { text: `msg ${Math.random()}` },
          });
        expect((await send()).statusCode).toBe(201);
        expect((await send()).statusCode).toBe(201);
        const third = await send();
        expect(third.statusCode).toBe(429);
        expect(third.json().error.code).toBe('rate_limited');
        expect((await ctx.app.inject({ url: '/api/v1/lookup?q=msg' })).statusCode).toBe(200);
      },
    );
  });
});

describe('blocklist scope', () => {
  it('lists a confirmed site only once its entry is active with a legal basis, and only that domain', async () => {
    await withClosing(buildTestApp('sqlite'), async (ctx) => {
      const text = '限時投資課程，穩賺不賠，立即登入領取獲利';
      const first = await postReport(ctx.app, {
        url: 'https://profit-now.com.tw/login',
        text,
        platform: 'website',
      });
      const id: string = first.json().case.id;
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/verdict`,
        headers: adminHeaders,
        payload: { verdict: 'fraud' },
      });
      ctx.clock.advance(60_000);
      const piggyback = await postReport(ctx.app, {
        url: 'https://www.innocent-news.com.tw/article/1',
        text,
        platform: 'website',
      });
      expect(piggyback.json().case.id).toBe(id);
      const domains = async () =>
        (await ctx.app.inject({ url: '/api/v1/blocklist/domains.txt' })).body.split('\n');
      expect(await domains()).not.toContain('profit-now.com.tw');
      await activateFromCase(ctx, id, 'profit-now.com.tw');
      expect(await domains()).toContain('profit-now.com.tw');
      expect(await domains()).not.toContain('innocent-news.com.tw');
      // The same set as the hosts feed.
      const hosts = (await ctx.app.inject({ url: '/api/v1/blocklist/feeds/hosts.txt' })).body;
      expect(hosts).toContain('0.0.0.0 profit-now.com.tw');
    });
  });

  it('never lists a site only mentioned in a message, and refuses hosts that are not hostnames', async () => {
    await withClosing(buildTestApp('sqlite'), async (ctx) => {
      const rumour = await postReport(ctx.app, {
        text: '轉傳！政府發放補助，詳見 https://udn.com/news/story/1 立即申請',
      });
      expect(rumour.json().case.platform).toBe('other');
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${rumour.json().case.id}/verdict`,
        headers: adminHeaders,
        payload: { verdict: 'fraud' },
      });
      expect((await ctx.app.inject({ url: '/api/v1/blocklist/domains.txt' })).body).not.toContain(
        'udn.com',
      );
      for (const url of [
        'http://exa mple..com:99999/',
        'http://-bad-.com/',
        'javascript:alert(1)',
        'stepup99',
      ]) {
        const res = await postReport(ctx.app, { url });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.code).toBe('invalid_url');
      }
      const plain = await postReport(ctx.app, 'https://x.com.tw/', {
        'content-type': 'text/plain',
      });
      expect(plain.statusCode).toBe(415);
    });
  });
});
