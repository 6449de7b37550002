import { describe, expect, it } from 'vitest';
import { prepareReport } from '../../src/intake/index.js';
import { NEAR_DUPLICATE_CANDIDATE_LIMIT, storeNearDuplicate } from '../../src/triage/index.js';
import { createTestContext, testDialects, useTestContext } from '../harness.js';
import { submitTestReport } from '../factories.js';

const MESSAGE =
  '恭喜您獲得LINE免費限量貼圖一組，今天限定！趕快點擊下方連結領取，名額有限不然就沒有了 https://bit.ly/3abcXYZ';

describe.each(testDialects())('near-duplicate merging at intake (%s)', (dialect) => {
  const context = useTestContext(dialect);

  const report = (text: string) => submitTestReport(context, { text });

  it('puts reposted variants of one message into one case', async () => {
    const first = await report(MESSAGE);
    expect(first.newCase).toBe(true);
    const variants = [
      `大家早安！${MESSAGE}`,
      MESSAGE.replace(/，/g, ',').replace(/！/g, '!!!'),
      Array.from(MESSAGE).join('\u200b'),
      MESSAGE.replace('https://bit.ly/3abcXYZ', 'https://reurl.cc/Qx9k2L'),
      `轉傳：${MESSAGE.replace('https://bit.ly/3abcXYZ', 'https://tinyurl.com/yk8p3m2')}\n感恩🙏`,
    ];
    for (const text of variants) {
      const result = await report(text);
      expect(result.newCase, text).toBe(false);
      expect(result.case.id).toBe(first.case.id);
    }
    const [again] = [await report(MESSAGE)];
    expect(again?.case.reportCount).toBe(variants.length + 2);
  });

  it('joins a copy whose long landing link was swapped for a short link', async () => {
    // A long match key used to outweigh the words (nd1); as a 4-character token it does not.
    const original =
      '中油週年慶開放領取加油券400元只到今晚12點 https://cpc-anniversary-gift.example.test/event/2026/claim/voucher?id=8812731';
    const first = await report(original);
    expect(first.newCase).toBe(true);
    const rotated = await report(original.replace(/https:\/\/\S+/, 'https://bit.ly/4Rq2Zk9'));
    expect(rotated.case.id).toBe(first.case.id);
    // Another landing site with different words stays apart.
    const other = await report(
      '台電節電獎勵登錄今天截止請立即點擊連結完成登記 https://cpc-anniversary-gift.example.test/other',
    );
    expect(other.case.id).not.toBe(first.case.id);
  });

  it('keeps clearly different messages apart, and short texts merge only exactly', async () => {
    const other = await report(
      '您的包裹因地址不完整無法投遞，請於24小時內點擊連結更新資料並支付運費 https://bit.ly/3abcXYZ1',
    );
    expect(other.newCase).toBe(true);
    const a = await report('早安 https://example.org/a');
    const b = await report('晚安 https://example.org/b');
    expect(a.newCase).toBe(true);
    expect(b.newCase).toBe(true);
  });

  it('stores the near-duplicate text and its bands once per distinct text', async () => {
    const { db } = context.deps;
    const texts = await db.selectFrom('dedup_texts').select(['id', 'case_id']).execute();
    const bands = await db.selectFrom('dedup_bands').select('text_id').execute();
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(bands.length).toBe(texts.length * 20);
  });

  it('finds the real case when more stored texts than the candidate limit share a band', async () => {
    // A popular message shares bands with thousands of stored texts at scale; the candidates
    // kept are those sharing the most bands, so the real case is not cut off by older ones.
    const message =
      '您的電子發票中獎了，請在三日內登入財政部領獎網站填寫帳戶資料，逾期視同放棄領獎資格';
    const copyText = `轉傳：${message.replace(/，/g, ', ')}\n請大家幫忙分享`;
    const bandsOf = (text: string) =>
      prepareReport({ text, channel: 'api', source: 'citizen' }, context.deps.config).nearDuplicate
        ?.bandKeys ?? [];
    const realBands = new Set(bandsOf(message));
    const copyBands = bandsOf(copyText);
    const shared = copyBands.filter((key) => realBands.has(key));
    // Each decoy shares one band with the copy; the real message shares more.
    expect(shared.length).toBeGreaterThan(1);
    const decoyBand = copyBands.find((key) => !realBands.has(key)) ?? '';
    const decoy = await report('一則毫不相干的舊訊息：本週末社區大掃除請大家準時集合');
    const at = context.deps.clock.now();
    for (let i = 0; i < NEAR_DUPLICATE_CANDIDATE_LIMIT + 50; i++) {
      await storeNearDuplicate(
        context.deps.db,
        decoy.case.id,
        { text: `舊的不相干文字第${i}號內容`, bandKeys: [decoyBand] },
        new Date(at).toISOString(),
      );
    }
    context.clock.advance(60_000); // the real case is newer than the decoys
    const real = await report(message);
    expect(real.newCase).toBe(true);
    const copy = await report(copyText);
    expect(copy.case.id).toBe(real.case.id);
  });

  it('gives a text stored under older band keys the current ones, keeping its case', async () => {
    const { db } = context.deps;
    const message = '國稅局通知您有一筆退稅款尚未領取，請於期限內回覆身分證字號與銀行帳號辦理';
    const signature = prepareReport(
      { text: message, channel: 'api', source: 'citizen' },
      context.deps.config,
    ).nearDuplicate;
    if (signature === null) throw new Error('expected a signature');
    const first = await report(message);
    // As an nd1 store held it: the same text under old band keys only.
    await db.deleteFrom('dedup_bands').where('case_id', '=', first.case.id).execute();
    await storeNearDuplicate(
      db,
      first.case.id,
      { text: signature.text, bandKeys: signature.bandKeys.map((k) => k.replace(/^nd3:/, 'nd1:')) },
      new Date(context.deps.clock.now()).toISOString(),
    );
    await storeNearDuplicate(db, 'COTHERCASE00', signature, new Date().toISOString());
    const bands = await db
      .selectFrom('dedup_bands')
      .select(['band_key', 'case_id'])
      .where('band_key', 'like', 'nd3:%')
      .where('case_id', 'in', [first.case.id, 'COTHERCASE00'])
      .execute();
    expect(bands).toHaveLength(signature.bandKeys.length);
    expect(new Set(bands.map((b) => b.case_id))).toEqual(new Set([first.case.id]));
  });

  it('is switched off by NEAR_DUPLICATE_MERGE=false', async () => {
    const off = await createTestContext(dialect, { env: { NEAR_DUPLICATE_MERGE: 'false' } });
    try {
      const text = MESSAGE.replace('https://bit.ly/3abcXYZ', '');
      const a = await submitTestReport(off, { text });
      const b = await submitTestReport(off, {
        text: `大家早安！${text}`,
      });
      expect(b.case.id).not.toBe(a.case.id);
    } finally {
      await off.close();
    }
  });

  it('lands concurrent near-duplicate copies in one case', async () => {
    const base =
      '投資群組限時招募中，老師每天帶單保證獲利百分之三十，加入官方LINE立即領取飆股名單，名額只剩最後十位';
    const results = await Promise.all(
      ['', '早安！', '午安～', '分享：', '轉傳 '].map((greeting) => report(`${greeting}${base}`)),
    );
    const ids = new Set(results.map((r) => r.case.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.newCase)).toHaveLength(1);
  });
});
