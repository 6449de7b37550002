import { describe, expect, it } from 'vitest';
import {
  localDateOf,
  periodOf,
  previousPeriod,
  shiftWeek,
  weekOf,
  weekPeriod,
  weekStartDate,
} from './periods.js';

describe('weeks', () => {
  it('numbers Sunday weeks as the ISO week whose Monday follows', () => {
    expect(weekStartDate('2025-W27', 'sunday')).toBe('2025-06-29');
    expect(weekStartDate('2025-W27', 'monday')).toBe('2025-06-30');
    expect(weekStartDate('2026-W01', 'monday')).toBe('2025-12-29');
    expect(weekStartDate('2020-W53', 'monday')).toBe('2020-12-28');
  });

  it('labels every day of a week with that week, on both week starts', () => {
    for (const weekStart of ['sunday', 'monday'] as const) {
      for (const week of ['2025-W01', '2025-W27', '2025-W52', '2026-W01', '2020-W53']) {
        const start = weekStartDate(week, weekStart);
        for (let d = 0; d < 7; d += 1) {
          const date = new Date(Date.parse(`${start}T00:00:00Z`) + d * 86_400_000);
          expect(weekOf(date.toISOString().slice(0, 10), weekStart)).toBe(week);
        }
      }
    }
    expect(shiftWeek('2026-W01', 'sunday', -1)).toBe('2025-W52');
    expect(shiftWeek('2020-W53', 'monday', 1)).toBe('2021-W01');
  });

  it('refuses weeks that do not exist', () => {
    expect(() => weekStartDate('2025-W53', 'sunday')).toThrow(/existing week/);
    expect(() => weekStartDate('2025-W00', 'sunday')).toThrow(/existing week/);
    expect(() => weekStartDate('2025-27', 'sunday')).toThrow(/YYYY-Www/);
  });
});

describe('periods in a time zone', () => {
  it('starts Taipei days at 16:00 UTC the day before', () => {
    const week = weekPeriod('2025-W27', 'sunday', 'Asia/Taipei');
    expect(week).toEqual({
      startDate: '2025-06-29',
      endDate: '2025-07-05',
      days: 7,
      timeZone: 'Asia/Taipei',
      startsAt: '2025-06-28T16:00:00.000Z',
      endsAt: '2025-07-05T16:00:00.000Z',
    });
    expect(previousPeriod(week).startDate).toBe('2025-06-22');
    expect(previousPeriod(week).endsAt).toBe(week.startsAt);
  });

  it('follows daylight saving time changes', () => {
    // New York springs forward on 2025-03-09: that day has 23 hours.
    const day = periodOf('2025-03-09', '2025-03-09', 'America/New_York');
    expect(day.startsAt).toBe('2025-03-09T05:00:00.000Z');
    expect(day.endsAt).toBe('2025-03-10T04:00:00.000Z');
    expect(localDateOf(Date.parse('2025-07-05T15:59:59Z'), 'Asia/Taipei')).toBe('2025-07-05');
    expect(localDateOf(Date.parse('2025-07-05T16:00:00Z'), 'Asia/Taipei')).toBe('2025-07-06');
  });

  it('names the field of invalid input', () => {
    expect(() => periodOf('2025-02-30', '2025-03-01', 'Asia/Taipei')).toThrow(
      /from must be a date/,
    );
    expect(() => periodOf('2025-03-02', '2025-03-01', 'Asia/Taipei')).toThrow(/not be before/);
    expect(() => periodOf('2025-03-01', '2025-03-01', 'Mars/Olympus')).toThrow(/time zone/);
  });
});
