import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesWithAllTerms } from '../../src/search/index.js';
import { buildTestApp, testDialects, type TestContext } from '../harness.js';
import { submitTestReport } from '../factories.js';

import type { ScamnetApp } from '../../src/app/index.js';
const MESSAGES = [
  '【飆股通知】老師帶單穩賺不賠，加入LINE群組領取明牌，每月獲利三成！',
  '飆股老師又來了，這次說保證獲利，大家小心假投資詐騙',
  '您的包裹配送失敗，請點擊連結更新地址並支付運費 https://parcel-tw.example/pay',
  '免費貼圖限時下載，今天限定，快點連結領取',
  'Limited offer: free USDT airdrop, join now',
];

interface SearchBody {
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
  hits: Array<{
    case: { id: string; reportCount: number };
    score: number;
    snippet: string;
    highlights: Array<{ start: number; end: number }>;
  }>;
}

describe.each(testDialects())('GET /api/v1/search (%s)', (dialect) => {
  let context: TestContext & { app: ScamnetApp };
  const ids: string[] = [];
  beforeAll(async () => {
    context = await buildTestApp(dialect);
    for (const [i, text] of MESSAGES.entries()) {
      context.clock.advance(60_000);
      const result = await submitTestReport(context, { text });
      ids[i] = result.case.id;
    }
    // A second report of the first message makes it the most reported.
    await submitTestReport(context, { text: MESSAGES[0] });
  });
  afterAll(async () => {
    await context.close();
  });

  const search = async (q: string, extra = ''): Promise<{ status: number; body: SearchBody }> => {
    const response = await context.app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${encodeURIComponent(q)}${extra}`,
    });
    return { status: response.statusCode, body: response.json<SearchBody>() };
  };

  it('finds a two-character Chinese query, ranked by relevance then report count', async () => {
    const { status, body } = await search('飆股');
    expect(status).toBe(200);
    expect(body.hits.map((h) => h.case.id)).toEqual([ids[0], ids[1]]);
    expect(body.total).toBe(2);
    expect(body.totalIsExact).toBe(true);
    const first = body.hits[0];
    expect(first?.case.reportCount).toBe(2);
    const span = first?.highlights[0];
    expect(span).toBeDefined();
    expect(first?.snippet.slice(span?.start, span?.end)).toBe('飆股');
  });

  it('requires every part of the query and verifies phrases (no bigram false hits)', async () => {
    expect((await search('老師 獲利')).body.total).toBe(2);
    expect((await search('帶單 包裹')).body.total).toBe(0);
    expect((await search('股老')).body.total).toBe(1);
  });

  it('finds words, folded width and case, and indicators', async () => {
    expect((await search('ＵＳＤＴ')).body.hits.map((h) => h.case.id)).toEqual([ids[4]]);
    expect((await search('parcel-tw.example')).body.hits.map((h) => h.case.id)).toEqual([ids[2]]);
  });

  it('paginates', async () => {
    const page1 = await search('飆股', '&pageSize=1');
    const page2 = await search('飆股', '&pageSize=1&page=2');
    expect(page1.body.hits.map((h) => h.case.id)).toEqual([ids[0]]);
    expect(page2.body.hits.map((h) => h.case.id)).toEqual([ids[1]]);
    expect(page2.body.total).toBe(2);
  });

  it('finds the same candidates from the postings of a rare term and from the cases newest first', async () => {
    // Terms of 飆股 (cases 0, 1), 老師+獲利 (0, 1), 連結 (2, 3), and terms held by nobody.
    for (const terms of [['飆股'], ['老師', '獲利'], ['連結'], ['連結', '飆股'], ['不在']]) {
      for (const limit of [1, 2, 1000]) {
        const fromPostings = await casesWithAllTerms(context.deps.db, terms, limit, 1_000_000);
        // A threshold of 1 makes every held term "common": the case-driven plan, walking the
        // newest 1, 3 or all cases (too short a walk falls back to the postings plan).
        for (const walk of [1, 3, 50_000]) {
          const fromCases = await casesWithAllTerms(context.deps.db, terms, limit, 1, walk);
          expect(fromCases, `${terms.join('+')} limit ${limit} walk ${walk}`).toEqual(fromPostings);
        }
      }
    }
    // Case 0 was reported again last, so it comes first.
    expect(await casesWithAllTerms(context.deps.db, ['飆股'], 1000, 1)).toEqual([ids[0], ids[1]]);
    expect(await casesWithAllTerms(context.deps.db, ['連結', '飆股'], 1000, 1)).toEqual([]);
  });

  it('refuses queries with nothing to search for', async () => {
    const { status, body } = await search('騙');
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('query_too_short');
  });
});
