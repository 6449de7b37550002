import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminHeaders,
  apiKeyFor,
  createUser,
  loginAs,
  testDialects,
  type TestSession,
  useTestApp,
} from '../harness.js';
import { postReport } from '../factories.js';

describe.each(testDialects())('reporters and their own reports on %s', (dialect) => {
  const ctx = useTestApp(dialect);
  let alice: TestSession;
  let bob: TestSession;
  let aliceId: string;

  beforeAll(async () => {
    const a = await createUser(ctx, { role: 'reporter' });
    aliceId = a.id;
    alice = await loginAs(ctx, a);
    bob = await loginAs(ctx, await createUser(ctx, { role: 'reporter' }));
  });

  const report = (headers: Record<string, string>, payload: object) =>
    postReport(ctx.app, payload, headers);

  it("records the signed-in reporter and lists only that reporter's reports", async () => {
    const first = await report(alice.headers, {
      url: 'https://fake-bank.example/login',
      platform: 'website',
    });
    expect(first.statusCode).toBe(201);
    ctx.clock.advance(60_000);
    const second = await report(alice.headers, { text: '飆股群組 加LINE: @stock888 保證獲利' });
    const bobs = await report(bob.headers, { url: 'https://fake-bank.example/login' });
    const anonymous = await report({}, { url: 'https://fake-bank.example/login' });
    expect(bobs.json().case.id).toBe(first.json().case.id);
    // Public responses carry no reporter identity.
    for (const res of [first, second, bobs, anonymous]) {
      expect(res.body).not.toContain(aliceId);
      expect(res.body).not.toMatch(/reporter/i);
    }

    const mine = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me/reports',
      headers: { cookie: alice.cookie },
    });
    expect(mine.statusCode).toBe(200);
    const reports = mine.json().reports;
    expect(reports.map((r: { id: string }) => r.id)).toEqual([
      second.json().report.id,
      first.json().report.id,
    ]);
    expect(reports[1]).toMatchObject({
      url: 'https://fake-bank.example/login',
      platform: 'website',
      case: {
        id: first.json().case.id,
        status: 'processing',
        reportCount: 3,
        label: { en: 'Being checked' },
      },
    });

    const caseView = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${first.json().case.id}`,
    });
    expect(caseView.body).not.toContain(aliceId);

    const rows = await ctx.deps.db
      .selectFrom('reports')
      .select(['id', 'reporter_user_id'])
      .where('id', '=', anonymous.json().report.id)
      .execute();
    expect(rows).toEqual([{ id: anonymous.json().report.id, reporter_user_id: null }]);
  });

  it('refuses /me/reports to the public, to other roles and to reporter API keys', async () => {
    const get = (headers: Record<string, string>) =>
      ctx.app.inject({ method: 'GET', url: '/api/v1/me/reports', headers });
    expect((await get({})).statusCode).toBe(401);
    expect((await get(adminHeaders)).statusCode).toBe(403);
    const analyst = await loginAs(ctx, await createUser(ctx, { role: 'analyst' }));
    expect((await get(analyst.headers)).statusCode).toBe(403);
    const key = await apiKeyFor(ctx, { role: 'reporter' });
    expect((await get(key.headers)).statusCode).toBe(403);
  });

  it('does not link reports sent by other roles', async () => {
    const analyst = await loginAs(ctx, await createUser(ctx, { role: 'analyst' }));
    const res = await report(analyst.headers, { url: 'https://other-role.example/' });
    const row = await ctx.deps.db
      .selectFrom('reports')
      .select('reporter_user_id')
      .where('id', '=', res.json().report.id)
      .executeTakeFirstOrThrow();
    expect(row.reporter_user_id).toBeNull();
  });
});
