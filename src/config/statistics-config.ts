/** How public statistics and the weekly bulletin count days and weeks. */
export interface StatisticsConfig {
  /** IANA time zone in which the dates and weeks of statistics and bulletins are counted. */
  readonly timeZone: string;
  /** First day of a bulletin week. */
  readonly weekStart: 'sunday' | 'monday';
}

/**
 * Reads STATS_TIME_ZONE (an IANA zone that Node.js knows, default `Asia/Taipei`) and
 * BULLETIN_WEEK_START (`sunday`, the default, or `monday`). Problems are appended to `problems`.
 */
export function parseStatisticsConfig(
  env: NodeJS.ProcessEnv,
  problems: string[],
): StatisticsConfig {
  const timeZone = env.STATS_TIME_ZONE?.trim() || 'Asia/Taipei';
  let zoneOk = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    zoneOk = false;
    problems.push(
      `STATS_TIME_ZONE must be an IANA time zone such as Asia/Taipei (got "${timeZone}")`,
    );
  }
  const start = (env.BULLETIN_WEEK_START?.trim() || 'sunday').toLowerCase();
  if (start !== 'sunday' && start !== 'monday') {
    problems.push(`BULLETIN_WEEK_START must be sunday or monday (got "${start}")`);
  }
  return {
    timeZone: zoneOk ? timeZone : 'Asia/Taipei',
    weekStart: start === 'monday' ? 'monday' : 'sunday',
  };
}
