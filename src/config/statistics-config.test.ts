import { describe, expect, it } from 'vitest';
import { parseStatisticsConfig } from './statistics-config.js';

describe('parseStatisticsConfig', () => {
  it('defaults to Asia/Taipei and Sunday weeks', () => {
    const problems: string[] = [];
    expect(parseStatisticsConfig({}, problems)).toEqual({
      timeZone: 'Asia/Taipei',
      weekStart: 'sunday',
    });
    expect(problems).toEqual([]);
  });

  it('lists an unknown zone and a bad week start', () => {
    const problems: string[] = [];
    const config = parseStatisticsConfig(
      { STATS_TIME_ZONE: 'Moon/Base', BULLETIN_WEEK_START: 'friday' },
      problems,
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('STATS_TIME_ZONE');
    expect(problems[1]).toContain('BULLETIN_WEEK_START');
    expect(config.timeZone).toBe('Asia/Taipei');
    expect(parseStatisticsConfig({ BULLETIN_WEEK_START: 'Monday' }, []).weekStart).toBe('monday');
  });
});
