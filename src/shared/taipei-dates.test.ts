import { describe, expect, it } from 'vitest';
import { parseTaipeiDate } from './taipei-dates.js';

describe('parseTaipeiDate', () => {
  it.each([
    ['2023/04/30', '2023-04-29T16:00:00.000Z'],
    ['2017/1/2', '2017-01-01T16:00:00.000Z'],
    ['2023-06-29T00:00:00', '2023-06-28T16:00:00.000Z'],
    ['2023-06-20T15:13:38', '2023-06-20T07:13:38.000Z'],
    ['2023-06-20T15:13:38Z', '2023-06-20T15:13:38.000Z'],
  ])('reads 165 date forms as Asia/Taipei local time: %s → %s', (input, instant) => {
    expect(parseTaipeiDate(input)).toBe(instant);
  });

  it('rejects what is not a date', () => {
    for (const bad of ['', '2023/02/30', '2023/13/01', 'yesterday', '20230430']) {
      expect(parseTaipeiDate(bad), bad).toBeNull();
    }
  });
});
