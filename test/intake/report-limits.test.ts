/**
 * Report and lookup limits hold for the text after NFKC normalisation, not only as typed
 * (issue 19): characters such as U+FDFA expand eighteen-fold, and every matching step works on
 * the normalised text. Too long is a 4xx naming the limit, and nothing is stored.
 */
import { describe, expect, it } from 'vitest';
import { REPORT_LIMITS } from '../../src/intake/index.js';
import { testDialects, useTestApp } from '../harness.js';
import type { TestApp } from '../harness.js';
import { postReport } from '../factories.js';

type Ctx = TestApp;

async function reportCount(ctx: Ctx): Promise<number> {
  const row = await ctx.deps.db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(testDialects())('limits after NFKC on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const report = (payload: object) => postReport(ctx.app, payload);

  it.each([
    ['U+FDFA (×18)', '\ufdfa', 18],
    ['U+3300 (×4)', '\u3300', 4],
    ['U+FB03 (×3)', '\ufb03', 3],
  ])('refuses a text of %s longer than the limit after NFKC, storing nothing', async (_n, c, k) => {
    const fits = Math.floor(REPORT_LIMITS.textChars / k);
    const before = await reportCount(ctx);
    const refused = await report({ text: c.repeat(fits + 1) });
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error).toMatchObject({
      code: 'text_too_long',
      details: { field: 'text', limit: REPORT_LIMITS.textChars, normalizedLength: (fits + 1) * k },
    });
    expect(refused.json().error.message).toContain('20000');
    expect(await reportCount(ctx)).toBe(before);
    const accepted = await report({ text: c.repeat(fits) });
    expect(accepted.statusCode).toBe(201);
    expect(await reportCount(ctx)).toBe(before + 1);
  });

  it('refuses a title too long after NFKC (imports and partners send titles)', async () => {
    const { submitReport } = await import('../../src/intake/index.js');
    await expect(
      submitReport(ctx.deps, {
        url: 'https://scam.example.com/a',
        title: '\ufdfa'.repeat(28),
        channel: 'import',
        source: 'test',
      }),
    ).rejects.toMatchObject({ status: 413, code: 'title_too_long' });
  });

  it('refuses a lookup query too long after NFKC', async () => {
    const refused = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/lookup?q=${encodeURIComponent('\ufdfa'.repeat(278))}`,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({
      code: 'query_too_long',
      details: { field: 'q', limit: 5000, normalizedLength: 278 * 18 },
    });
    const accepted = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/lookup?q=${encodeURIComponent('\ufdfa'.repeat(277))}`,
    });
    expect(accepted.statusCode).toBe(200);
  });

  it('takes at most REPORT_LIMITS.textIndicators indicators from one text', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `s${i}.scam.example.com/a`).join(' ');
    const res = await report({ text });
    expect(res.statusCode).toBe(201);
    const rows = await ctx.deps.db
      .selectFrom('case_indicators')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('case_id', '=', res.json().case.id)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(REPORT_LIMITS.textIndicators);
  });
});
