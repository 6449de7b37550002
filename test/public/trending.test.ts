/**
 * GET /api/v1/cases/trending (issue 9): the most reported and most viewed cases of the last 24
 * hours (or 7 days), view counting on the public case route, which cases qualify (merged-away
 * cases never; not-fraud cases with their green label), bad inputs, and that no reporter data
 * reaches the public lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createUser, loginAs, testDialects, type TestUser } from '../harness.js';
import { decideCaseViaApi, mergeCasesViaApi, submitReportViaApi } from '../factories.js';
import { TRENDING_CACHE_MS } from '../../src/cases/index.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;
const HOUR = 3_600_000;
const CONTACT = 'victim-contact@example.test';

interface Entry {
  count: number;
  case: { id: string; status: string; colour: string; reportCount: number };
}
interface Trending {
  window: string;
  since: string;
  until: string;
  viewsSince: string;
  mostReported: Entry[];
  mostViewed: Entry[];
}

describe.each(testDialects())('trending cases on %s', (dialect) => {
  let ctx: Ctx;
  let reporter: TestUser;
  let reporterHeaders: Record<string, string>;
  const ids: Record<string, string> = {};

  const report = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    (await submitReportViaApi(ctx.app, payload, headers)).case.id;
  // Each view from another client address: a client counts once per case and hour.
  let viewers = 0;
  const view = (
    id: string,
    remoteAddress = `10.0.${Math.floor(viewers / 250)}.${(viewers++ % 250) + 1}`,
  ) => ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, remoteAddress });
  // Each call looks a minute later, past the cache (the cache has its own test below).
  const trending = async (query = '') => {
    ctx.clock.advance(TRENDING_CACHE_MS);
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/trending${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json<Trending>(), raw: res.body };
  };
  const pairs = (entries: Entry[]) => entries.map((e) => [e.case.id, e.count]);

  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
    reporter = await createUser(ctx, {
      role: 'reporter',
      email: 'trending-reporter@example.test',
      displayName: 'Reporter Person',
    });
    // An old case: five reports more than 24 hours ago, none since.
    for (let i = 0; i < 5; i += 1) ids.old = await report({ url: 'https://old-scam.test/x' });
    ctx.clock.advance(25 * HOUR);
    reporterHeaders = (await loginAs(ctx, reporter)).headers;
    for (let i = 0; i < 3; i += 1) {
      ids.top = await report({ url: 'https://top-scam.test/win' }, reporterHeaders);
    }
    // A reporter's follow-up contact is personal data: analysts only, never public.
    await report({ url: 'https://top-scam.test/win', contact: CONTACT, consent: true });
    ids.single = await report({ url: 'https://single-scam.test/a' });
    ids.pair = await report({ url: 'https://pair-scam.test/b' });
    await report({ url: 'https://pair-scam.test/b' });
  });
  afterAll(async () => ctx.close());

  it('lists the most reported cases of the last 24 hours, most reports first', async () => {
    const { body } = await trending();
    expect(body.window).toBe('24h');
    expect(body.until).toBe(new Date(ctx.clock.now()).toISOString());
    expect(Date.parse(body.until) - Date.parse(body.since)).toBe(24 * HOUR);
    expect(pairs(body.mostReported)).toEqual([
      [ids.top, 4],
      [ids.pair, 2],
      [ids.single, 1],
    ]);
    expect(body.mostReported[0]?.case).toMatchObject({ status: 'processing', reportCount: 4 });
    // Nothing viewed yet.
    expect(body.mostViewed).toEqual([]);
    // Over 7 days the old case's five reports count too.
    const week = await trending('?window=7d');
    expect(pairs(week.body.mostReported)[0]).toEqual([ids.old, 5]);
  });

  it('counts views of the public case route, per case, and not of unknown cases', async () => {
    for (let i = 0; i < 3; i += 1) expect((await view(ids.single ?? '')).statusCode).toBe(200);
    await view(ids.pair ?? '');
    expect((await view('CNOSUCHCASE00')).statusCode).toBe(404);
    const { body } = await trending();
    expect(pairs(body.mostViewed)).toEqual([
      [ids.single, 3],
      [ids.pair, 1],
    ]);
    const rows = await ctx.deps.db.selectFrom('case_views').selectAll().execute();
    expect(rows.map((r) => r.case_id).sort()).toEqual([ids.pair, ids.single].sort());
    // Only the case, the hour and a count are stored.
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['bucket', 'case_id', 'views']);
  });

  it('serves one result for a minute, then counts what happened meanwhile', async () => {
    ctx.clock.advance(TRENDING_CACHE_MS);
    const get = async () =>
      (
        await ctx.app.inject({ method: 'GET', url: '/api/v1/cases/trending?limit=7' })
      ).json<Trending>();
    const first = await get();
    await view(ids.pair ?? '');
    ctx.clock.advance(TRENDING_CACHE_MS - 1);
    expect(await get()).toEqual(first);
    ctx.clock.advance(1);
    const later = await get();
    expect(later.until).not.toBe(first.until);
    expect(pairs(later.mostViewed)).toEqual([
      [ids.single, 3],
      [ids.pair, 2],
    ]);
  });

  it('honours limit and refuses bad input with validation_failed naming the field', async () => {
    const { body } = await trending('?limit=1&window=24h');
    expect(pairs(body.mostReported)).toEqual([[ids.top, 4]]);
    expect(body.mostViewed).toHaveLength(1);
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=21', 'limit'],
      ['?limit=abc', 'limit'],
      ['?limit=2.5', 'limit'],
      ['?window=1h', 'window'],
      ['?window=', 'window'],
      ['?since=2026-01-01', 'since'],
    ] as const) {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/trending${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toMatchObject({
        code: 'validation_failed',
        details: { field },
      });
    }
  });

  it('shows not-fraud cases with their label and leaves merged-away cases out', async () => {
    await decideCaseViaApi(ctx.app, String(ids.pair), 'not_fraud');
    await mergeCasesViaApi(ctx.app, String(ids.top), String(ids.single));
    const { body } = await trending();
    // The single case's report now counts for the case it joined; its views are not shown.
    expect(pairs(body.mostReported)).toEqual([
      [ids.top, 5],
      [ids.pair, 2],
    ]);
    expect(pairs(body.mostViewed)).toEqual([[ids.pair, 2]]);
    expect(body.mostReported[1]?.case).toMatchObject({ status: 'not_fraud', colour: 'green' });
  });

  it('carries no reporter data', async () => {
    const { raw } = await trending('?window=7d&limit=20');
    expect(raw).toContain(ids.top);
    // The secrets are in the store, attached to reports of the listed case.
    const stored = await ctx.deps.db
      .selectFrom('reports')
      .select(['reporter_user_id', 'reporter_contact'])
      .where('case_id', '=', ids.top ?? '')
      .execute();
    expect(stored.map((r) => r.reporter_contact)).toContain(CONTACT);
    expect(stored.map((r) => r.reporter_user_id)).toContain(reporter.id);
    for (const secret of [
      reporter.id,
      reporter.email,
      'Reporter Person',
      CONTACT,
      'contact',
      'reporter',
    ]) {
      expect(raw).not.toContain(secret);
    }
    const { body } = await trending();
    for (const entry of [...body.mostReported, ...body.mostViewed]) {
      expect(Object.keys(entry).sort()).toEqual(['case', 'count']);
      expect(Object.keys(entry.case)).not.toContain('reports');
    }
  });

  it('drops views as they leave the window and deletes hours older than eight days', async () => {
    ctx.clock.advance(24 * HOUR);
    expect((await trending()).body.mostViewed).toEqual([]);
    expect(pairs((await trending('?window=7d')).body.mostViewed)).toEqual([[ids.pair, 2]]);
    ctx.clock.advance(8 * 24 * HOUR);
    await view(ids.top ?? '');
    const rows = await ctx.deps.db.selectFrom('case_views').select(['case_id', 'views']).execute();
    expect(rows).toEqual([{ case_id: ids.top, views: 1 }]);
  });

  it('counts a client once per case and hour, however often it reloads', async () => {
    const before = await ctx.deps.db
      .selectFrom('case_views')
      .select('views')
      .where('case_id', '=', ids.pair ?? '')
      .execute();
    const total = () =>
      ctx.deps.db
        .selectFrom('case_views')
        .select((eb) => eb.fn.sum<number | string>('views').as('n'))
        .where('case_id', '=', ids.pair ?? '')
        .executeTakeFirst()
        .then((r) => Number(r?.n ?? 0));
    const start = before.reduce((n, r) => n + Number(r.views), 0);
    for (let i = 0; i < 5; i += 1) await view(ids.pair ?? '', '192.0.2.7');
    expect(await total()).toBe(start + 1);
    await view(ids.pair ?? '', '192.0.2.8');
    expect(await total()).toBe(start + 2);
    // The next hour, the first client counts again.
    ctx.clock.advance(3_600_000);
    await view(ids.pair ?? '', '192.0.2.7');
    expect(await total()).toBe(start + 3);
  });
});
