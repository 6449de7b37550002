import { describe, expect, it } from 'vitest';
import { parseTaipeiDate } from './taipei-dates.js';

describe('parseTaipeiDate', () => {
  it('reads 165 date forms as Asia/Taipei local time', () => {
    expect(parseTaipeiDate('2023/04/30')).toBe('2023-04-29T16:00:00.000Z');
    expect(parseTaipeiDate('2017/1/2')).toBe('2017-01-01T16:00:00.000Z');
    expect(parseTaipeiDate('2023-06-29T00:00:00')).toBe('2023-06-28T16:00:00.000Z');
    expect(parseTaipeiDate('2023-06-20T15:13:38')).toBe('2023-06-20T07:13:38.000Z');
    expect(parseTaipeiDate('2023-06-20T15:13:38Z')).toBe('2023-06-20T15:13:38.000Z');
  });

  it('rejects what is not a date', () => {
    for (const bad of ['', '2023/02/30', '2023/13/01', 'yesterday', '20230430']) {
      expect(parseTaipeiDate(bad), bad).toBeNull();
    }
  });
});
