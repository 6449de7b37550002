import { describe, expect, it } from 'vitest';
import {
  KEYWORD_CACHE_SIZE,
  cachedKeywords,
  clearKeywordCache,
  hotKeywords,
  keywordCacheSize,
  segmentKeywords,
} from './keywords.js';

describe('segmentKeywords (jieba)', () => {
  it('keeps Traditional scam terms whole and drops stop words, single characters and URLs', () => {
    const words = segmentKeywords(
      '我們的老師帶你投資虛擬貨幣，保證獲利！加入 LINE https://evil.example/join?x=1 現在',
    );
    expect(words).toContain('虛擬貨幣');
    expect(words).toContain('老師');
    expect(words).toContain('投資');
    expect(words).not.toContain('我們');
    expect(words).not.toContain('現在');
    expect(words).not.toContain('的');
    expect(words.some((w) => w.includes('evil'))).toBe(false);
    expect(words).toEqual([...words].sort());
  });
});

describe('hotKeywords', () => {
  const previous = ['老師帶你投資股票', '老師帶你投資股票穩賺', '老師報明牌投資', '網購退款客服'];

  it('ranks the words that rose against the previous weeks, not the always-common ones', () => {
    const week = [
      '虛擬貨幣老師帶你投資',
      '虛擬貨幣保證獲利投資',
      '虛擬貨幣出金問題',
      '老師帶你買股票',
    ];
    const hot = hotKeywords(week, previous);
    expect(hot[0]?.keyword).toBe('虛擬貨幣');
    expect(hot[0]?.count).toBe(3);
    // 3 texts this week, none before: E = 4 × 0.5 / 5 = 0.4; (3 − 0.4) / √1.4 = 2.2
    expect(hot[0]?.expected).toBe(0.4);
    expect(hot[0]?.score).toBe(2.2);
    // 投資: 3 of 4 texts before (E = 4 × 3.5 / 5 = 2.8), 2 now: no rise.
    expect(hot.map((k) => k.keyword)).not.toContain('投資');
  });

  it('needs at least two cases and is deterministic under input order', () => {
    const week = ['詐騙簡訊包裹', '包裹招領詐騙', '單獨一次出現'];
    const a = hotKeywords(week, previous);
    const b = hotKeywords([...week].reverse(), previous);
    expect(a).toEqual(b);
    expect(a.map((k) => k.keyword)).toContain('包裹');
    expect(a.every((k) => k.count >= 2)).toBe(true);
    expect(hotKeywords([], previous)).toEqual([]);
  });
});

describe('cachedKeywords', () => {
  it('returns what segmentKeywords returns and stays within its size', () => {
    clearKeywordCache();
    const text = '虛擬貨幣老師帶你投資，保證獲利';
    expect(cachedKeywords(text)).toEqual(segmentKeywords(text));
    expect(keywordCacheSize()).toBe(1);
    expect(cachedKeywords(text)).toEqual(segmentKeywords(text));
    expect(keywordCacheSize()).toBe(1);
    for (let i = 0; i <= KEYWORD_CACHE_SIZE; i += 1) cachedKeywords(`股票${i}`);
    expect(keywordCacheSize()).toBe(KEYWORD_CACHE_SIZE);
    expect(cachedKeywords('股票0')).toEqual(segmentKeywords('股票0'));
    clearKeywordCache();
    expect(keywordCacheSize()).toBe(0);
  });
});
