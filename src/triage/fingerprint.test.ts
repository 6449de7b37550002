import { describe, expect, it } from 'vitest';
import { normaliseText, textFingerprint } from './fingerprint.js';

describe('normaliseText', () => {
  it('folds width, case, whitespace, punctuation, symbols and invisible characters', () => {
    expect(normaliseText('ＬＩＮＥ  好友：\u200b@Abc123！！')).toBe('line好友abc123');
    expect(normaliseText('恭喜 獲得「免費」貼圖～')).toBe(normaliseText('恭喜獲得免費貼圖'));
  });

  it('keeps letters, digits and CJK characters that change meaning', () => {
    expect(normaliseText('明天限定')).not.toBe(normaliseText('今天限定'));
    expect(normaliseText('轉帳 3000 元')).not.toBe(normaliseText('轉帳 30000 元'));
  });

  it('replaces the given spans (e.g. URLs by their match keys)', () => {
    const text = '點 https://x.example.com/a?utm_source=fb 領取';
    const start = text.indexOf('https');
    const end = start + 'https://x.example.com/a?utm_source=fb'.length;
    expect(normaliseText(text, [{ start, end, value: 'https://x.example.com/a' }])).toBe(
      normaliseText('點 https://x.example.com/a 領取'),
    );
  });
});

describe('textFingerprint', () => {
  it('is equal for texts that normalise equally and prefixed text:', () => {
    const a = textFingerprint('您的包裹 無法投遞！');
    expect(a).toMatch(/^text:[0-9a-f]{64}$/);
    expect(textFingerprint('您的包裹無法投遞')).toBe(a);
  });

  it('is null when nothing meaningful is left', () => {
    expect(textFingerprint('  ！！ …  \u200b ')).toBeNull();
    expect(textFingerprint('')).toBeNull();
  });
});
