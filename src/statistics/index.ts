export {
  BLOCKLIST_ACTIONS,
  BLOCKLIST_ACTION_NAMES,
  PLATFORM_GROUPS,
  PLATFORM_NAMES,
  changeOf,
  platformGroupOf,
  platformName,
  type Change,
  type Label,
  type PlatformGroup,
} from './figures.js';
export {
  WEEK_STARTS,
  addDays,
  localDateOf,
  periodOf,
  previousPeriod,
  shiftWeek,
  weekOf,
  weekPeriod,
  weekStartDate,
  type Period,
  type WeekStart,
} from './periods.js';
export {
  HOT_KEYWORDS,
  KEYWORD_CACHE_SIZE,
  STOP_WORDS,
  clearKeywordCache,
  hotKeywords,
  segmentKeywords,
  type HotKeyword,
} from './keywords.js';
export { getStats, statsOf, type Stats } from './stats.service.js';
export {
  COUNTED_FACTS,
  factCounts,
  type CountPath,
  type CountedFact,
  type FactCount,
} from './stats.repo.js';
export {
  KEYWORD_BASELINE_WEEKS,
  generateBulletin,
  getBulletin,
  listPublishedBulletins,
  publishBulletin,
  setBulletinReminders,
  type Bulletin,
  type Share,
} from './bulletin.service.js';
export {
  getTransparencyReport,
  transparencyOf,
  type TransparencyReport,
} from './transparency.service.js';
export {
  bulletinCsv,
  bulletinHtml,
  bulletinText,
  bulletinsAtom,
  changeText,
  transparencyCsv,
  transparencyHtml,
} from './render.js';
export { barChartSvg } from './charts.js';
export { escapeHtml } from './html-escape.js';
export { registerStatisticsRoutes } from './stats.routes.js';
