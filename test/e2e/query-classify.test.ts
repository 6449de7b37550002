/**
 * The web UI's query classifier (web/src/query.ts): which pasted inputs the home page looks up as a
 * link (`?url=`) and which as message text (`?q=`). Kept beside the browser suite because the root
 * Vitest config does not collect tests under web/.
 */
import { describe, expect, it } from 'vitest';
import { classifyQuery, formatTaipeiTime } from '../../web/src/query.js';

describe('classifyQuery', () => {
  it.each([
    ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['  http://login.fake-bank.com.tw/verify  ', 'http://login.fake-bank.com.tw/verify'],
    ['example.com', 'http://example.com'],
    ['www.example.com.tw/path?x=1', 'http://www.example.com.tw/path?x=1'],
    ['例子.台灣', 'http://例子.台灣'],
    ['shop.xn--kpry57d/x', 'http://shop.xn--kpry57d/x'],
    ['example.com:8443/login', 'http://example.com:8443/login'],
  ])('%s is a link', (input, value) => {
    expect(classifyQuery(input)).toEqual({ kind: 'url', value });
  });

  it.each([
    '投資飆股 加LINE: @abc123 https://example.com',
    '恭喜您中獎了！',
    '3.14',
    '0912-345-678',
    '@scam_line_id',
    'javascript:alert(1)',
    'ftp://example.com/file',
    'user@example.com',
    '',
  ])('%j is text', (input) => {
    expect(classifyQuery(input).kind).toBe('text');
  });
});

describe('formatTaipeiTime', () => {
  it('shows the instant in Taipei time (UTC+8)', () => {
    expect(formatTaipeiTime('2026-11-29T18:30:00.000Z', 'en-GB')).toContain('02:30');
  });

  it('returns what it was given when it is not a date', () => {
    expect(formatTaipeiTime('not a date', 'zh-TW')).toBe('not a date');
  });
});
