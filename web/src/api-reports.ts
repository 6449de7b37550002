/**
 * Typed client of the published reports: the weekly bulletins (週快訊: `GET /api/v1/bulletins`,
 * `GET /api/v1/bulletins/{week}`) and the transparency report (`GET /api/v1/transparency`). All
 * public, counts only. Names are carried as the server sends them (bilingual) for the pages to
 * fall back on; the pages name platforms, groups and scam types from the UI's own strings.
 */
import {
  readChange,
  readGroup,
  readPlatformStats,
  readVerdicts,
  type Change,
  type PlatformStats,
  type GroupStats,
} from './api-stats';
import { request } from './http';
import { Reader } from './reader';

/** A bilingual name, as the server sends it. */
export interface Label {
  'zh-TW': string;
  en: string;
}

/** Whole local days of a report, YYYY-MM-DD (inclusive) in `timeZone`. */
export interface ReportPeriod {
  startDate: string;
  endDate: string;
  timeZone: string;
}

/** A published bulletin as the list shows it: its week and headline figures. */
export interface BulletinSummary {
  week: string;
  publishedAt: string;
  period: ReportPeriod;
  reports: Change;
  confirmedFraud: Change;
}

/** A platform group's or scam type's share of the week's confirmed fraud. */
export interface Share {
  key: string;
  name: Label;
  count: number;
  /** Percent of the week's total, one decimal. */
  share: number;
  previousCount: number;
  /** Change against last week's share, in percentage points. */
  shareChange: number;
}

export interface HotKeyword {
  keyword: string;
  count: number;
  expected: number;
  score: number;
}

export interface Impersonated {
  entityId: string;
  name: Label;
  count: number;
  previousCount: number;
}

/** One week's bulletin: the published snapshot, or a draft computed now. */
export interface Bulletin {
  week: string;
  status: 'draft' | 'published';
  publishedAt: string | null;
  period: ReportPeriod;
  cumulative: { since: string | null; reports: number; confirmedFraud: number };
  reports: Change;
  confirmedFraud: Change;
  platformShares: Share[];
  topScamTypes: Share[];
  hotKeywords: HotKeyword[];
  topImpersonated: Impersonated[];
  reminders: string[];
}

/** The blocklist state changes the transparency report counts, in its order. */
export const BLOCKLIST_ACTIONS = [
  'proposed',
  'activated',
  'appealed',
  'reinstated',
  'lifted',
  'expired',
] as const;
export type BlocklistAction = (typeof BLOCKLIST_ACTIONS)[number];

/** Takedown compliance of one platform over the period. */
export interface Compliance {
  platform: string;
  noticesSent: number;
  removedWithinDeadline: number;
  removedLate: number;
  overdue: number;
  rejected: number;
  open: number;
  medianHoursToRemoval: number | null;
  p90HoursToRemoval: number | null;
  sanctions: number;
}

export interface Transparency {
  period: ReportPeriod & { days: number };
  previousPeriod: ReportPeriod;
  reports: Change;
  newCases: Change;
  confirmed: { fraud: Change; highRisk: Change; notFraud: Change };
  byPlatform: PlatformStats[];
  byScamType: GroupStats[];
  takedown: Compliance[];
  blocklist: { legalBasis: string; counts: Record<BlocklistAction, number> }[];
  appeals: { filed: number; upheld: number; rejected: number; pending: number };
}

function label(r: Reader): Label {
  return { 'zh-TW': r.str('zh-TW'), en: r.str('en') };
}

function period(r: Reader): ReportPeriod {
  return { startDate: r.str('startDate'), endDate: r.str('endDate'), timeZone: r.str('timeZone') };
}

function share(r: Reader): Share {
  return {
    key: r.str('key'),
    name: label(r.obj('name')),
    count: r.num('count'),
    share: r.num('share'),
    previousCount: r.num('previousCount'),
    shareChange: r.num('shareChange'),
  };
}

/**
 * The published bulletins, newest week first, with their headline figures.
 * @throws ApiError (network errors).
 */
export async function getPublishedBulletins(signal?: AbortSignal): Promise<BulletinSummary[]> {
  const body = new Reader(await request('/api/v1/bulletins', { signal, access: 'public' }), 'list');
  return body.list('bulletins', (r) => ({
    week: r.str('week'),
    publishedAt: r.str('publishedAt'),
    period: period(r.obj('period')),
    reports: readChange(r.obj('reports')),
    confirmedFraud: readChange(r.obj('confirmedFraud')),
  }));
}

/**
 * The bulletin of `week` (YYYY-Www) as the public sees it (no draft reminders).
 * @throws ApiError `invalid_week` for a week that does not exist; network errors.
 */
export async function getBulletin(week: string, signal?: AbortSignal): Promise<Bulletin> {
  const body = new Reader(
    await request(`/api/v1/bulletins/${encodeURIComponent(week)}`, { signal, access: 'public' }),
    'bulletin',
  );
  const cumulative = body.obj('cumulative');
  return {
    week: body.str('week'),
    status: body.oneOf('status', ['draft', 'published'] as const),
    publishedAt: body.nstr('publishedAt'),
    period: period(body.obj('period')),
    cumulative: {
      since: cumulative.nstr('since'),
      reports: cumulative.num('reports'),
      confirmedFraud: cumulative.num('confirmedFraud'),
    },
    reports: readChange(body.obj('reports')),
    confirmedFraud: readChange(body.obj('confirmedFraud')),
    platformShares: body.list('platformShares', share),
    topScamTypes: body.list('topScamTypes', share),
    hotKeywords: body.list('hotKeywords', (r) => ({
      keyword: r.str('keyword'),
      count: r.num('count'),
      expected: r.num('expected'),
      score: r.num('score'),
    })),
    topImpersonated: body.list('topImpersonated', (r) => ({
      entityId: r.str('entityId'),
      name: label(r.obj('name')),
      count: r.num('count'),
      previousCount: r.num('previousCount'),
    })),
    reminders: body.strs('reminders'),
  };
}

/** Which transparency report: a calendar year, or the local days from…to (inclusive). */
export type TransparencyQuery = { year: number } | { from: string; to: string };

/** The query string of the transparency report's JSON and CSV for `query`. */
export function transparencyParams(query: TransparencyQuery): URLSearchParams {
  return 'year' in query
    ? new URLSearchParams({ year: String(query.year) })
    : new URLSearchParams({ from: query.from, to: query.to });
}

/**
 * The transparency report of a year or period (STATS_TIME_ZONE days).
 * @throws ApiError `validation_failed` (bad dates); network errors.
 */
export async function getTransparency(
  query: TransparencyQuery,
  signal?: AbortSignal,
): Promise<Transparency> {
  const body = new Reader(
    await request(`/api/v1/transparency?${transparencyParams(query).toString()}`, {
      signal,
      access: 'public',
    }),
    'transparency',
  );
  const s = body.obj('statistics');
  const p = s.obj('period');
  const confirmed = s.obj('confirmed');
  const appeals = body.obj('appeals');
  return {
    period: { ...period(p), days: p.num('days') },
    previousPeriod: period(s.obj('previousPeriod')),
    reports: readChange(s.obj('reports')),
    newCases: readChange(s.obj('newCases')),
    confirmed: readVerdicts(confirmed),
    byPlatform: s.list('byPlatform', readPlatformStats),
    byScamType: s.list('byScamType', (r) => readGroup(r, 'scamType')),
    takedown: s.list('takedown', (r) => ({
      platform: r.str('platform'),
      noticesSent: r.num('noticesSent'),
      removedWithinDeadline: r.num('removedWithinDeadline'),
      removedLate: r.num('removedLate'),
      overdue: r.num('overdue'),
      rejected: r.num('rejected'),
      open: r.num('open'),
      medianHoursToRemoval: r.nnum('medianHoursToRemoval'),
      p90HoursToRemoval: r.nnum('p90HoursToRemoval'),
      sanctions: r.num('sanctions'),
    })),
    blocklist: body.list('blocklist', (r) => {
      const counts = r.obj('counts');
      return {
        legalBasis: r.str('legalBasis'),
        counts: {
          proposed: counts.num('proposed'),
          activated: counts.num('activated'),
          appealed: counts.num('appealed'),
          reinstated: counts.num('reinstated'),
          lifted: counts.num('lifted'),
          expired: counts.num('expired'),
        },
      };
    }),
    appeals: {
      filed: appeals.num('filed'),
      upheld: appeals.num('upheld'),
      rejected: appeals.num('rejected'),
      pending: appeals.num('pending'),
    },
  };
}
