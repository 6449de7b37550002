import { describe, expect, it } from 'vitest';
import { searchCases } from '../../src/search/index.js';
import { rebuildIndexes } from '../../src/commands/reindex.service.js';
import { scamnet } from '../cli.js';
import { createTestContext, testDialects, type TestContext, useTestContext } from '../harness.js';
import { submitTestReport } from '../factories.js';

const MESSAGES = [
  '恭喜您獲得LINE免費限量貼圖一組，今天限定！趕快點擊下方連結領取，名額有限 https://bit.ly/3abcXYZ',
  '您的包裹因地址不完整無法投遞，請於24小時內點擊連結更新資料並支付運費 https://reurl.cc/Qx9k2L',
  '老師帶你投資飆股保證獲利，加入群組每天報明牌，聯絡 0912-345-678',
];

/** Every index row, sorted, so two snapshots compare as sets. */
async function snapshot(context: TestContext) {
  const { db } = context.deps;
  const [postings, texts, bands] = await Promise.all([
    db.selectFrom('search_postings').select(['term', 'case_id']).execute(),
    db.selectFrom('dedup_texts').select(['id', 'case_id', 'text', 'created_at']).execute(),
    db.selectFrom('dedup_bands').select(['band_key', 'text_id', 'case_id']).execute(),
  ]);
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return { postings: sorted(postings), texts: sorted(texts), bands: sorted(bands) };
}

async function dropIndexes(context: TestContext): Promise<void> {
  const { db } = context.deps;
  await db.deleteFrom('search_postings').execute();
  await db.deleteFrom('dedup_bands').execute();
  await db.deleteFrom('dedup_texts').execute();
}

describe.each(testDialects())(
  'rebuilding the near-duplicate and search indexes (%s)',
  (dialect) => {
    const context = useTestContext(dialect);
    const report = (text: string) => submitTestReport(context, { text });

    it('rebuilds exactly what intake stored, so search and merging work again', async () => {
      const ids: string[] = [];
      for (const text of MESSAGES) ids.push((await report(text)).case.id);
      await report(`大家早安！${MESSAGES[0] ?? ''}`);
      const before = await snapshot(context);
      expect(before.postings.length).toBeGreaterThan(0);
      expect(before.texts.length).toBeGreaterThan(0);

      // A store from before the indexes: nothing to search, nothing to merge with.
      await dropIndexes(context);
      expect((await searchCases(context.deps, '限量貼圖')).total).toBe(0);

      const summary = await rebuildIndexes(context.deps, { batch: 2 });
      expect(summary).toEqual({ cases: 3, skipped: 0, reports: 4, unreadable: 0 });
      expect(await snapshot(context)).toEqual(before);
      const found = await searchCases(context.deps, '限量貼圖');
      expect(found.hits.map((h) => h.case.id)).toEqual([ids[0]]);
      const variant = await report(`轉傳：${MESSAGES[1] ?? ''}\n感恩🙏`);
      expect(variant.case.id).toBe(ids[1]);
    });

    it('gives old cases the merge keys intake derives now, so an exact copy joins its case', async () => {
      const { db } = context.deps;
      const caseId = (await report(MESSAGES[1] ?? '')).case.id;
      const keysOf = async () =>
        (await db.selectFrom('case_keys').select('key').where('case_id', '=', caseId).execute())
          .map((k) => k.key)
          .sort();
      const keys = await keysOf();
      expect(keys.length).toBeGreaterThan(0);
      // As a store whose text fingerprints were computed by an older normalisation holds them.
      await db.deleteFrom('case_keys').where('case_id', '=', caseId).execute();
      await rebuildIndexes(context.deps);
      expect(await keysOf()).toEqual(keys);
      expect((await report(MESSAGES[1] ?? '')).case.id).toBe(caseId);
    });

    it('with onlyMissing leaves indexed cases alone', async () => {
      const { db } = context.deps;
      const caseId = (await report(MESSAGES[2] ?? '')).case.id;
      const all = await db.selectFrom('cases').select('id').execute();
      await db.deleteFrom('search_postings').where('case_id', '=', caseId).execute();
      const summary = await rebuildIndexes(context.deps, { onlyMissing: true });
      expect(summary.cases).toBe(1);
      expect(summary.skipped).toBe(all.length - 1);
      expect((await searchCases(context.deps, '飆股')).hits.map((h) => h.case.id)).toContain(
        caseId,
      );
      await expect(rebuildIndexes(context.deps, { batch: 0 })).rejects.toThrow(RangeError);
    });

    it('with onlyMissing also rebuilds cases indexed with an older near-duplicate version', async () => {
      const { db } = context.deps;
      const caseId = (await report(MESSAGES[0] ?? '')).case.id;
      const fresh = await snapshot(context);
      // As a store indexed by nd1 would hold them: the same rows under old band keys.
      const rows = await db
        .selectFrom('dedup_bands')
        .selectAll()
        .where('case_id', '=', caseId)
        .execute();
      expect(rows.length).toBeGreaterThan(0);
      await db.deleteFrom('dedup_bands').where('case_id', '=', caseId).execute();
      await db
        .insertInto('dedup_bands')
        .values(rows.map((r) => ({ ...r, band_key: r.band_key.replace(/^nd3:/, 'nd1:') })))
        .execute();
      const summary = await rebuildIndexes(context.deps, { onlyMissing: true });
      expect(summary.cases).toBe(1);
      expect(await snapshot(context)).toEqual(fresh);
    });
  },
);

describe('scamnet reindex', () => {
  it('rebuilds the indexes of a SQLite store and prints a summary', async () => {
    const context = await createTestContext('sqlite');
    try {
      for (const text of MESSAGES) await submitTestReport(context, { text });
      const before = await snapshot(context);
      await dropIndexes(context);
      const file = context.config.store.dialect === 'sqlite' ? context.config.store.path : '';
      const { code, stdout } = await scamnet(['reindex', '--batch', '2'], {
        DATABASE_URL: `sqlite:${file}`,
        DEMO_DATA: 'false',
      });
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ cases: 3, skipped: 0, reports: 3, unreadable: 0 });
      expect(await snapshot(context)).toEqual(before);
    } finally {
      await context.close();
    }
  });
});
