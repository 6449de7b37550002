import { parseVariables } from './parse-variables.js';
import { VARIABLES } from './variables.js';

/** How public statistics and the weekly bulletin count days and weeks. */
export interface StatisticsConfig {
  /** IANA time zone in which the dates and weeks of statistics and bulletins are counted. */
  readonly timeZone: string;
  /** First day of a bulletin week. */
  readonly weekStart: 'sunday' | 'monday';
}

/**
 * Reads STATS_TIME_ZONE (an IANA zone that Node.js knows, default `Asia/Taipei`) and
 * BULLETIN_WEEK_START (`sunday`, the default, or `monday`) by their entries in the variable
 * table. Problems are appended to `problems`; an invalid variable takes its default.
 */
export function parseStatisticsConfig(
  env: NodeJS.ProcessEnv,
  problems: string[],
): StatisticsConfig {
  const { STATS_TIME_ZONE, BULLETIN_WEEK_START } = VARIABLES;
  const values = parseVariables(
    { STATS_TIME_ZONE, BULLETIN_WEEK_START },
    env,
    { cwd: '/' },
    problems,
  );
  return { timeZone: values.STATS_TIME_ZONE, weekStart: values.BULLETIN_WEEK_START };
}
