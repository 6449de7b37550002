import {
  canonicalPhone,
  matchKey,
  platformOf,
  selfDisclosedIndicators,
  splitCanonicalUrl,
  type CountryCode,
} from '../indicators/index.js';
import { isNoticePlatform, type NoticePlatform } from './notice-state.js';

/**
 * What a takedown notice asks a platform to act on: content on the platform (`url`, the canonical
 * match-key form scamnet stores), an account on LINE (`line_id`, canonical) or a phone number a
 * LINE account was reached by (`phone`, E.164). Never scamnet's own pages.
 */
export interface NoticeTarget {
  type: 'url' | 'line_id' | 'phone';
  value: string;
}

/** At most this many targets go into one notice (the rest stay on the case for a later notice). */
export const MAX_NOTICE_TARGETS = 20;

/** What noticeTargets reads of a case. */
export interface NoticeTargetSources {
  /** The case's platform (the reporter's word or its URL's platform). */
  casePlatform: string;
  /** The case's indicators, oldest first. */
  indicators: ReadonlyArray<{ type: string; value: string }>;
  /** Its reports: the platform the reporter named, the URL submitted, text, title, contact. */
  reports: ReadonlyArray<{
    platform: string | null;
    url: string | null;
    text: string | null;
    title: string | null;
    reporterContact: string | null;
  }>;
  /** Region of national phone numbers (config `defaultRegion`). */
  defaultRegion: CountryCode;
}

/** Targets per platform, and the platforms considered that have nothing to act on. */
export interface NoticeTargetPlan {
  actionable: Array<{ platform: NoticePlatform; targets: NoticeTarget[] }>;
  /** Platforms that carry the case but have no target: no notice can be acted on there. */
  notActionable: NoticePlatform[];
}

function urlKey(url: string): string {
  return matchKey(url)?.matchKey ?? url;
}

/**
 * A submitted URL as a target: its match key (canonical, tracking parameters removed) with the
 * port put back when it had one, since Safe Browsing canonical form drops ports and the notice
 * must name the content's address.
 */
function reportedUrlTarget(raw: string): string {
  const key = matchKey(raw);
  if (key === null) return raw;
  let port = '';
  try {
    port = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `http://${raw}`).port;
  } catch {
    port = '';
  }
  const parts = splitCanonicalUrl(key.matchKey);
  if (port === '' || key.chain.length > 1 || parts === null || parts.host.includes(':')) {
    return key.matchKey;
  }
  const query = parts.query === null ? '' : `?${parts.query}`;
  return `${parts.scheme}://${parts.host}:${port}${parts.path}${query}`;
}

/**
 * The values a reporter gave as their own — indicators in a self-introducing sentence of a
 * report's text or title (selfDisclosedIndicators) and the reporter's follow-up contact — as
 * `type:value` keys. They never become notice targets, even when other reports name them too.
 */
function personalValues(sources: NoticeTargetSources): Set<string> {
  const out = new Set<string>();
  for (const report of sources.reports) {
    if (report.reporterContact !== null) {
      const contact = report.reporterContact.trim().toLowerCase();
      out.add(`email:${contact}`);
      out.add(`phone:${canonicalPhone(contact, sources.defaultRegion) ?? contact}`);
    }
    for (const text of [report.title, report.text]) {
      if (text === null) continue;
      for (const found of selfDisclosedIndicators(text, { defaultRegion: sources.defaultRegion })) {
        out.add(`${found.type}:${found.type === 'url' ? urlKey(found.value) : found.value}`);
      }
    }
  }
  return out;
}

/**
 * Which platforms a confirmed case's takedown notices go to, each with what it can act on:
 * - content URLs on the platform (indicators platformOf assigns to it, and a URL a reporter
 *   submitted naming the platform, e.g. an ad's landing page reported as seen on Facebook);
 * - on LINE, the case's LINE IDs, and — when the case was seen on LINE — its phone numbers (LINE
 *   accounts are found by the number they were registered or reached with).
 * Platforms considered: the case's platform when it receives notices, the platforms of its URLs,
 * and LINE when it has a LINE ID. Personal data of reporters (see personalValues) is never a
 * target. A platform with no target is listed in `notActionable`: a notice there could only
 * point at scamnet, so none is sent. At most MAX_NOTICE_TARGETS per platform. Pure.
 */
export function noticeTargets(sources: NoticeTargetSources): NoticeTargetPlan {
  const personal = personalValues(sources);
  const usable = (type: NoticeTarget['type'], value: string) => !personal.has(`${type}:${value}`);
  const byPlatform = new Map<NoticePlatform, NoticeTarget[]>();
  const add = (platform: NoticePlatform, target: NoticeTarget) => {
    const list = byPlatform.get(platform) ?? [];
    byPlatform.set(platform, list);
    if (!usable(target.type, target.type === 'url' ? urlKey(target.value) : target.value)) return;
    if (list.length >= MAX_NOTICE_TARGETS) return;
    const same = (t: NoticeTarget) =>
      t.type === target.type &&
      (t.value === target.value || (t.type === 'url' && urlKey(t.value) === urlKey(target.value)));
    if (!list.some(same)) list.push(target);
  };
  const platforms: NoticePlatform[] = [];
  const consider = (platform: string): platform is NoticePlatform => {
    if (!isNoticePlatform(platform)) return false;
    if (!platforms.includes(platform)) platforms.push(platform);
    if (!byPlatform.has(platform)) byPlatform.set(platform, []);
    return true;
  };
  consider(sources.casePlatform);
  for (const report of sources.reports) {
    if (report.url === null || report.platform === null) continue;
    // A submitted URL is content on the platform the reporter named, unless it is plainly
    // another platform's (then the loop below assigns it there).
    const own = platformOf(report.url);
    if ((own === 'website' || own === report.platform) && consider(report.platform)) {
      add(report.platform, { type: 'url', value: reportedUrlTarget(report.url) });
    }
  }
  for (const { type, value } of sources.indicators) {
    if (type !== 'url') continue;
    const platform = platformOf(value);
    if (consider(platform)) add(platform, { type: 'url', value });
  }
  for (const { type, value } of sources.indicators) {
    if (type === 'line_id' && usable('line_id', value) && consider('line')) {
      add('line', { type: 'line_id', value });
    }
  }
  if (sources.casePlatform === 'line') {
    for (const { type, value } of sources.indicators) {
      if (type === 'phone') add('line', { type: 'phone', value });
    }
  }
  const plan: NoticeTargetPlan = { actionable: [], notActionable: [] };
  for (const platform of platforms) {
    const targets = byPlatform.get(platform) ?? [];
    if (targets.length === 0) plan.notActionable.push(platform);
    else plan.actionable.push({ platform, targets });
  }
  return plan;
}
