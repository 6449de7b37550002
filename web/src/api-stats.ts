/**
 * Typed client of the public figures the home and statistics pages show: the trending cases of
 * the last 24 hours (`GET /api/v1/cases/trending`) and the statistics of a period of Taipei days
 * (`GET /api/v1/stats`). Both are public and carry no reporter data.
 */
import { parseCase, type CasePublic } from './api';
import { request } from './http';
import { Reader } from './reader';

/** One case of a trending list and its count (reports received, or page views, in the window). */
export interface TrendingEntry {
  count: number;
  kase: CasePublic;
}

export interface Trending {
  /** ISO 8601 UTC bounds of the window. */
  since: string;
  until: string;
  mostReported: TrendingEntry[];
  mostViewed: TrendingEntry[];
}

function entries(body: Reader, key: string): TrendingEntry[] {
  return body.list(key, (r) => ({ count: r.num('count'), kase: parseCase(r.raw('case')) }));
}

/**
 * The most reported and most viewed cases of the last 24 hours, `limit` (1–20) of each.
 * @throws ApiError (`validation_failed`, network errors).
 */
export async function getTrending(limit: number, signal?: AbortSignal): Promise<Trending> {
  const params = new URLSearchParams({ window: '24h', limit: String(limit) });
  const body = new Reader(
    await request(`/api/v1/cases/trending?${params.toString()}`, { signal, access: 'public' }),
    'trending',
  );
  return {
    since: body.str('since'),
    until: body.str('until'),
    mostReported: entries(body, 'mostReported'),
    mostViewed: entries(body, 'mostViewed'),
  };
}

/** A count in the period and in the period before it. */
export interface Change {
  current: number;
  previous: number;
  /** change / previous × 100, one decimal; null when previous is 0. */
  changePercent: number | null;
}

/** Cases decided in the period, by their current verdict. */
export interface VerdictCounts {
  fraud: Change;
  highRisk: Change;
  notFraud: Change;
}

export interface GroupStats extends VerdictCounts {
  /** Platform group (`meta`, `line`, …) or scam type (`investment`, …, `unclassified`). */
  key: string;
  /** The server's bilingual name, used when this build has no translation of `key`. */
  name: { 'zh-TW': string; en: string };
}

/**
 * A platform group's figures: decisions, the reports received on it (each report's own platform,
 * else its case's) and the cases first reported on it in the period.
 */
export interface PlatformStats extends GroupStats {
  reports: Change;
  newCases: Change;
}

export interface PublicStats {
  period: { startDate: string; endDate: string; days: number; timeZone: string };
  reports: Change;
  newCases: Change;
  confirmed: VerdictCounts;
  byPlatform: PlatformStats[];
  byScamType: GroupStats[];
  /** Reports received by who sent them (民眾 / AI 掃描 / 公眾人物 …). */
  bySource: Array<{ sourceKind: string; name: { 'zh-TW': string; en: string }; reports: Change }>;
  /** The scanner's ads first found in the period per platform, and those without disclosure. */
  adDisclosure: Array<{ platform: string; ads: number; missingDisclosure: number }>;
}

/** A figure of the period against the period before (`{ current, previous, changePercent }`). */
export function readChange(r: Reader): Change {
  return {
    current: r.num('current'),
    previous: r.num('previous'),
    changePercent: r.nnum('changePercent'),
  };
}

/** The confirmed fraud, high-risk and not-fraud figures of `r`. */
export function readVerdicts(r: Reader): VerdictCounts {
  return {
    fraud: readChange(r.obj('fraud')),
    highRisk: readChange(r.obj('highRisk')),
    notFraud: readChange(r.obj('notFraud')),
  };
}

/** A group (platform group, scam type) by its key in `keyField`, its names and verdict figures. */
export function readGroup(r: Reader, keyField: string): GroupStats {
  const name = r.obj('name');
  return {
    key: r.str(keyField),
    name: { 'zh-TW': name.str('zh-TW'), en: name.str('en') },
    ...readVerdicts(r),
  };
}

/** A platform group's verdict figures, reports and new cases. */
export function readPlatformStats(r: Reader): PlatformStats {
  return {
    ...readGroup(r, 'group'),
    reports: readChange(r.obj('reports')),
    newCases: readChange(r.obj('newCases')),
  };
}

/**
 * The public statistics of the Taipei days `from`–`to` (YYYY-MM-DD, inclusive).
 * @throws ApiError (`validation_failed`, network errors).
 */
export async function getPublicStats(
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<PublicStats> {
  const params = new URLSearchParams({ from, to });
  const body = new Reader(
    await request(`/api/v1/stats?${params.toString()}`, { signal, access: 'public' }),
    'stats',
  );
  const period = body.obj('period');
  return {
    period: {
      startDate: period.str('startDate'),
      endDate: period.str('endDate'),
      days: period.num('days'),
      timeZone: period.str('timeZone'),
    },
    reports: readChange(body.obj('reports')),
    newCases: readChange(body.obj('newCases')),
    confirmed: readVerdicts(body.obj('confirmed')),
    byPlatform: body.list('byPlatform', readPlatformStats),
    byScamType: body.list('byScamType', (r) => readGroup(r, 'scamType')),
    bySource: body.list('bySource', (r) => {
      const name = r.obj('name');
      return {
        sourceKind: r.str('sourceKind'),
        name: { 'zh-TW': name.str('zh-TW'), en: name.str('en') },
        reports: readChange(r.obj('reports')),
      };
    }),
    adDisclosure: body.list('adDisclosure', (r) => ({
      platform: r.str('platform'),
      ads: r.num('ads'),
      missingDisclosure: r.num('missingDisclosure'),
    })),
  };
}

/** Today's date in Taipei (YYYY-MM-DD) at `now` (epoch ms). */
export function taipeiDate(now: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Taipei',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(now));
}

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
