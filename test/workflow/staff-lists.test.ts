/**
 * Staff screens that scale (issue 18): every list a role works through — the verification queue,
 * the triage list, the decision history, my reports, takedown notices and blocklist entries —
 * answers one page with the true total (a count under the same filters, not the page's length),
 * pages with `limit` and `offset`, narrows with the filters that role needs, refuses bad
 * parameters with 400 and a stable code, and keeps each role to its own scope (a verifier cannot
 * page into another entity's cases, a liaison into another platform's notices). 120 cases routed
 * to one verifier: more than the 50 the queue used to show and call the whole queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminHeaders,
  apiKeyFor,
  buildTestApp,
  createUser,
  loginAs,
  testDialects,
  type TestSession,
  type TestUser,
} from '../harness.js';
import { adminRequest, createTestEntities, submitReportViaApi } from '../factories.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;
type Headers = Record<string, string>;

const HOUR = 3_600_000;
/** Cases routed to 謝金河's office: more than two default pages of the queue (50). */
const ROUTED = 120;
/** Of them, reported first and then left 72 hours (the rest are newer). */
const OLDER = 60;
/** Cases routed to PChome: the other verifier's queue. */
const PCHOME = 5;
/** Proposed blocklist entries: more than the 100 the blocklist page used to show. */
const ENTRIES = 120;

/** Short distinct messages (under 12 characters of text merge only exactly, never by likeness). */
function routedText(n: number): string {
  return n % 10 === 0 ? `謝金河報台積電${n}` : `謝金河報明牌${n}`;
}

describe.each(testDialects())(
  'staff lists with true totals, pages and filters on %s',
  (dialect) => {
    let ctx: Ctx;
    let hsieh: { headers: Headers };
    let pchome: { headers: Headers };
    let analyst: { headers: Headers };
    let facebook: { headers: Headers };
    let tiktok: { headers: Headers };
    let reporterUser: TestUser;
    let reporter: TestSession;
    /** Case IDs routed to 謝金河, in the order they were reported (the queue's order). */
    const routed: string[] = [];
    const pchomeCases: string[] = [];

    const get = (url: string, headers: Headers = adminHeaders) =>
      ctx.app.inject({ method: 'GET', url, headers });

    async function report(payload: Record<string, string>, headers: Headers = {}): Promise<string> {
      return (await submitReportViaApi(ctx.app, payload, headers)).case.id;
    }

    beforeAll(async () => {
      ctx = await buildTestApp(dialect, { env: { SWEEP_INTERVAL_SECONDS: '0' } });
      await createTestEntities(ctx.app, [
        { id: 'hsieh-chin-ho', kind: 'public_figure', nameZh: '謝金河', aliases: ['謝董'] },
        { id: 'pchome', kind: 'company', nameZh: '網路家庭', domains: ['pchome.com.tw'] },
      ]);
      hsieh = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['hsieh-chin-ho'] });
      pchome = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['pchome'] });
      analyst = await apiKeyFor(ctx, { role: 'analyst' });
      facebook = await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'facebook' });
      tiktok = await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'tiktok' });
      reporterUser = await createUser(ctx, { role: 'reporter' });
      reporter = await loginAs(ctx, reporterUser);

      for (let n = 0; n < ROUTED; n += 1) {
        if (n === OLDER) ctx.clock.advance(72 * HOUR);
        ctx.clock.advance(1000);
        const payload: Record<string, string> = {
          url: `https://www.facebook.com/ads/library/?id=${900_000 + n}`,
          text: n === 77 ? '謝金河 加LINE：stocklai77' : routedText(n),
          platform: 'facebook',
        };
        routed.push(await report(payload, n < 3 ? reporter.headers : {}));
      }
      for (let n = 0; n < PCHOME; n += 1) {
        ctx.clock.advance(1000);
        pchomeCases.push(
          await report({
            url: `https://pchome-sale-${n}.shop/login`,
            text: `PChome特賣${n}`,
            platform: 'website',
          }),
        );
      }
      ctx.clock.advance(HOUR);
    }, 120_000);

    afterAll(async () => ctx.close());

    it('sets up 120 distinct cases routed to one verifier and 5 to another', async () => {
      expect(new Set(routed).size).toBe(ROUTED);
      expect(new Set(pchomeCases).size).toBe(PCHOME);
      const triage = await get(`/api/v1/cases/${routed[100]}/triage`);
      expect(triage.json()).toMatchObject({
        routedEntityId: 'hsieh-chin-ho',
        stage: 'verification',
      });
    });

    it('the verification queue counts every routed case and pages through them, oldest first', async () => {
      const first = await get('/api/v1/verification/queue', hsieh.headers);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ total: ROUTED, limit: 50, offset: 0 });
      expect(first.json().items).toHaveLength(50);
      const ids = (res: { json: () => { items: Array<{ case: { id: string } }> } }) =>
        res.json().items.map((item) => item.case.id);
      expect(ids(first)).toEqual(routed.slice(0, 50));

      const second = await get('/api/v1/verification/queue?limit=50&offset=50', hsieh.headers);
      expect(second.json()).toMatchObject({ total: ROUTED, limit: 50, offset: 50 });
      expect(ids(second)).toEqual(routed.slice(50, 100));
      const third = await get('/api/v1/verification/queue?limit=50&offset=100', hsieh.headers);
      expect(ids(third)).toEqual(routed.slice(100));
      const past = await get('/api/v1/verification/queue?offset=500', hsieh.headers);
      expect(past.json()).toMatchObject({ total: ROUTED, items: [] });

      // Analysts see every entity's queue, or one entity's.
      expect((await get('/api/v1/verification/queue', analyst.headers)).json().total).toBe(
        ROUTED + PCHOME,
      );
      expect(
        (await get('/api/v1/verification/queue?entityId=pchome', analyst.headers)).json().total,
      ).toBe(PCHOME);
    });

    it('filters narrow the total: text, indicator, age and one case', async () => {
      const total = async (query: string) => {
        const res = await get(`/api/v1/verification/queue?${query}`, hsieh.headers);
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as { total: number; items: Array<{ case: { id: string } }> };
      };
      const tsmc = await total(`q=${encodeURIComponent('台積電')}&limit=5`);
      expect(tsmc.total).toBe(ROUTED / 10); // n = 0, 10, …, 110
      expect(tsmc.items).toHaveLength(5);
      // Text search is case-insensitive and reads the reported URL too.
      expect((await total('q=ID%3D900105')).total).toBe(1);
      expect((await total(`q=${encodeURIComponent('謝金河')}`)).total).toBe(ROUTED);

      expect((await total('minAgeHours=48')).total).toBe(OLDER);
      expect((await total('maxAgeHours=24')).total).toBe(ROUTED - OLDER);
      expect((await total('minAgeHours=48&maxAgeHours=1000')).total).toBe(OLDER);
      const newer = await total('maxAgeHours=24&limit=200');
      expect(newer.items.map((i) => i.case.id)).toEqual(routed.slice(OLDER));

      // An indicator as people type it: a LINE ID with or without @, a URL.
      for (const value of [
        'stocklai77',
        '@stocklai77',
        'https://www.facebook.com/ads/library/?id=900077',
      ]) {
        const found = await total(`indicator=${encodeURIComponent(value)}`);
        expect(found.total, value).toBe(1);
        expect(found.items[0]?.case.id).toBe(routed[77]);
      }

      const one = await total(`caseId=${routed[110]}`);
      expect(one.items.map((i) => i.case.id)).toEqual([routed[110]]);
      expect((await total(`caseId=${pchomeCases[0]}`)).total).toBe(0);
    });

    it('refuses bad paging and filter parameters with 400 and a stable code', async () => {
      for (const [query, code] of [
        ['limit=0', 'validation_failed'],
        ['limit=201', 'validation_failed'],
        ['limit=ten', 'validation_failed'],
        ['offset=-1', 'validation_failed'],
        ['minAgeHours=-1', 'validation_failed'],
        ['minAgeHours=48&maxAgeHours=24', 'validation_failed'],
        ['indicator=hello%20world', 'invalid_indicator'],
        [`q=${'x'.repeat(201)}`, 'validation_failed'],
        ['sort=newest', 'validation_failed'],
      ] as const) {
        const res = await get(`/api/v1/verification/queue?${query}`, hsieh.headers);
        expect(res.statusCode, query).toBe(400);
        expect(res.json().error.code, query).toBe(code);
      }
      for (const url of [
        '/api/v1/cases?limit=201',
        '/api/v1/cases?offset=5&after=C0000000000',
        '/api/v1/cases?platform=myspace',
        '/api/v1/cases?scamType=lottery',
        '/api/v1/verification/history?limit=0',
        '/api/v1/verification/history?verdict=undecided',
        '/api/v1/notices?state=lost',
        '/api/v1/notices?limit=501',
        '/api/v1/notices?sort=oldest',
        '/api/v1/blocklist/entries?limit=1001',
        '/api/v1/blocklist/entries?offset=1&after=B000000000000',
      ]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.code, url).toBe('validation_failed');
      }
      reporter = await loginAs(ctx, reporterUser);
      const mine = await get('/api/v1/me/reports?limit=201', reporter.headers);
      expect(mine.statusCode).toBe(400);
    });

    it('a verifier cannot page or filter into another entity’s cases', async () => {
      const own = await get('/api/v1/verification/queue?limit=200', pchome.headers);
      expect(own.json().total).toBe(PCHOME);
      expect(own.json().items.map((i: { case: { id: string } }) => i.case.id)).toEqual(pchomeCases);
      expect(
        (await get('/api/v1/verification/queue?offset=100', pchome.headers)).json(),
      ).toMatchObject({ total: PCHOME, items: [] });
      const theirs = await get('/api/v1/verification/queue?entityId=hsieh-chin-ho', pchome.headers);
      expect(theirs.statusCode).toBe(403);
      expect(
        (await get(`/api/v1/verification/queue?caseId=${routed[100]}`, pchome.headers)).json()
          .total,
      ).toBe(0);
      const search = await get(
        `/api/v1/verification/queue?q=${encodeURIComponent('謝金河')}`,
        pchome.headers,
      );
      expect(search.json().total).toBe(0);
      // And cannot decide one.
      const decide = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${routed[100]}/decision`,
        headers: pchome.headers,
        payload: { decision: 'fraud' },
      });
      expect(decide.statusCode).toBe(403);
    });

    it('the triage list counts every matching case and filters by platform, scam type, text and age', async () => {
      const list = async (query: string) => {
        const res = await get(`/api/v1/cases?${query}`, analyst.headers);
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as {
          total: number;
          next: string | null;
          items: Array<{ case: { id: string; platform: string }; scamType: string | null }>;
        };
      };
      const all = await list('limit=200');
      expect(all.total).toBe(ROUTED + PCHOME);
      expect(all.items).toHaveLength(ROUTED + PCHOME);
      const page2 = await list('limit=50&offset=50');
      expect(page2.total).toBe(ROUTED + PCHOME);
      expect(page2.items.map((i) => i.case.id)).toEqual(
        all.items.slice(50, 100).map((i) => i.case.id),
      );
      // The cursor still works beside offsets, and counts the same.
      const cursor = await list('limit=50');
      const after = await list(`limit=50&after=${cursor.next ?? ''}`);
      expect(after.items.map((i) => i.case.id)).toEqual(page2.items.map((i) => i.case.id));
      expect(after.total).toBe(ROUTED + PCHOME);

      expect((await list('platform=website')).total).toBe(PCHOME);
      expect((await list('platform=facebook')).total).toBe(ROUTED);
      const type = all.items[0]?.scamType ?? 'other';
      const sameType = all.items.filter((i) => i.scamType === type).length;
      expect((await list(`scamType=${type}`)).total).toBe(sameType);
      expect((await list(`q=${encodeURIComponent('PChome')}`)).total).toBe(PCHOME);
      expect((await list('minAgeHours=48')).total).toBe(OLDER);
      expect((await list('indicator=pchome-sale-3.shop')).total).toBe(1);
      expect((await get('/api/v1/cases', hsieh.headers)).statusCode).toBe(403);
    });

    it('a routed case beyond the first page is decided by its verifier; the totals follow', async () => {
      const target = routed[110];
      const inQueue = await get(`/api/v1/verification/queue?caseId=${target}`, hsieh.headers);
      expect(inQueue.json().items).toHaveLength(1);
      expect(inQueue.json().items[0].reports[0].text).toBe(routedText(110));
      const decided = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${target}/decision`,
        headers: hsieh.headers,
        payload: { decision: 'fraud', note: '本人從未投放此廣告' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect((await get('/api/v1/verification/queue', hsieh.headers)).json().total).toBe(
        ROUTED - 1,
      );
      expect(
        (await get(`/api/v1/verification/queue?caseId=${target}`, hsieh.headers)).json().total,
      ).toBe(0);
      const history = await get('/api/v1/verification/history', hsieh.headers);
      expect(history.json()).toMatchObject({ total: 1, limit: 50, offset: 0 });
      expect(history.json().decisions[0]).toMatchObject({ caseId: target, verdict: 'fraud' });
    });

    it('decision history, notices and my reports page with their totals', async () => {
      // The admin decides six cases: four fraud (each a notice to Facebook), two not fraud.
      const decided = routed.slice(0, 6);
      for (const [index, id] of decided.entries()) {
        ctx.clock.advance(HOUR);
        await adminRequest(ctx.app, 'POST', `/api/v1/cases/${id}/verdict`, {
          verdict: index < 4 ? 'fraud' : 'not_fraud',
        });
      }
      const history = await get('/api/v1/verification/history?limit=4');
      expect(history.json()).toMatchObject({ total: 6, limit: 4, offset: 0 });
      expect(history.json().decisions.map((d: { caseId: string }) => d.caseId)).toEqual(
        [...decided].reverse().slice(0, 4),
      );
      const rest = await get('/api/v1/verification/history?limit=4&offset=4');
      expect(rest.json().decisions.map((d: { caseId: string }) => d.caseId)).toEqual(
        [...decided].reverse().slice(4),
      );
      expect((await get('/api/v1/verification/history?verdict=not_fraud')).json().total).toBe(2);
      expect((await get('/api/v1/verification/history?maxAgeHours=1')).json().total).toBe(2);

      // Notices: the fraud verdicts above plus the verifier's (case 110).
      const notices = await get('/api/v1/notices?limit=2');
      expect(notices.statusCode, notices.body).toBe(200);
      expect(notices.json()).toMatchObject({ total: 5, limit: 2, offset: 0 });
      expect(notices.json().notices).toHaveLength(2);
      const all = (await get('/api/v1/notices')).json().notices as Array<{
        id: string;
        caseId: string;
        state: string;
        deadlineAt: string;
      }>;
      expect(all).toHaveLength(5);
      const page3 = await get('/api/v1/notices?limit=2&offset=4');
      expect(page3.json().notices.map((n: { id: string }) => n.id)).toEqual([all[4]?.id]);
      // Filters by state (read from the notices themselves), case, age; deadline order.
      const state = all[0]?.state ?? '';
      expect((await get(`/api/v1/notices?state=${state}`)).json().total).toBe(
        all.filter((n) => n.state === state).length,
      );
      expect((await get(`/api/v1/notices?state=${state}&state=withdrawn`)).json().total).toBe(
        all.filter((n) => n.state === state || n.state === 'withdrawn').length,
      );
      expect((await get(`/api/v1/notices?caseId=${routed[2]}`)).json().total).toBe(1);
      // Created 6, 5, 4, 3 and 2 hours ago.
      expect((await get('/api/v1/notices?minAgeHours=3')).json().total).toBe(4);
      const byDeadline = (await get('/api/v1/notices?sort=deadline')).json().notices as typeof all;
      expect(byDeadline.map((n) => n.deadlineAt)).toEqual(
        [...byDeadline.map((n) => n.deadlineAt)].sort(),
      );
      // A liaison sees their platform's notices only, and cannot name another platform.
      expect((await get('/api/v1/notices', facebook.headers)).json().total).toBe(5);
      expect((await get('/api/v1/notices', tiktok.headers)).json()).toMatchObject({
        total: 0,
        notices: [],
      });
      expect((await get('/api/v1/notices?platform=facebook', tiktok.headers)).statusCode).toBe(403);

      // My reports: the reporter sent three (and signs in again: days have passed).
      reporter = await loginAs(ctx, reporterUser);
      const mine = await get('/api/v1/me/reports?limit=2', reporter.headers);
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(mine.json().reports).toHaveLength(2);
      const more = await get('/api/v1/me/reports?limit=2&offset=2', reporter.headers);
      expect(more.json().reports.map((r: { case: { id: string } }) => r.case.id)).toEqual([
        routed[0],
      ]);
    });

    it('blocklist entries count beyond the first 100 and filter by state, domain text and source', async () => {
      for (let n = 0; n < ENTRIES; n += 1) {
        await adminRequest(
          ctx.app,
          'POST',
          '/api/v1/blocklist/entries',
          { domain: `lucky-shop${n}.com.tw` },
          201,
        );
      }
      const first = await get('/api/v1/blocklist/entries');
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ total: ENTRIES, limit: 100, offset: 0 });
      expect(first.json().entries).toHaveLength(100);
      const rest = await get('/api/v1/blocklist/entries?offset=100');
      expect(rest.json().entries).toHaveLength(ENTRIES - 100);
      const byCursor = await get(`/api/v1/blocklist/entries?after=${first.json().next}`);
      expect(byCursor.json().entries.map((e: { id: string }) => e.id)).toEqual(
        rest.json().entries.map((e: { id: string }) => e.id),
      );
      // lucky-shop1, lucky-shop10…19, lucky-shop100…119
      expect((await get('/api/v1/blocklist/entries?q=SHOP1')).json().total).toBe(31);
      expect((await get('/api/v1/blocklist/entries?q=shop1_')).json().total).toBe(0);
      expect((await get('/api/v1/blocklist/entries?domain=LUCKY-SHOP7.com.tw')).json().total).toBe(
        1,
      );
      expect((await get('/api/v1/blocklist/entries?state=proposed')).json().total).toBe(ENTRIES);
      expect((await get('/api/v1/blocklist/entries?state=active')).json().total).toBe(0);
      const source = first.json().entries[0].source as string;
      expect((await get(`/api/v1/blocklist/entries?source=${source}`)).json().total).toBe(ENTRIES);
      expect((await get('/api/v1/blocklist/entries?source=tw165')).json().total).toBe(0);
    }, 60_000);
  },
);
