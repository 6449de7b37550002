import type { Platform } from '../vocabulary/index.js';
import { matchKey } from './match-key.js';
import { platformOf } from './platform.js';
import { siteWideRefusal } from './protection.js';
import { registrableDomain } from './registrable-domain.js';

/** What a report's own URL makes it a report of (see reportedSite). */
export interface ReportedSite {
  /** The URL indicator's value: the Safe Browsing match key of the reported URL. */
  matchKey: string;
  /**
   * The registrable domain indexed as a `domain` indicator when the report is of a website (the
   * whole site is the scam), or null: a platform's page, a shortener, a protected domain.
   */
  domain: string | null;
  /** The platform the URL implies when the reporter named none. */
  platform: Platform;
}

/**
 * The site a report is *of*: its reported URL's match key and, for a website, its registrable
 * domain unless the protection guard refuses the domain site-wide. A link inside the report's
 * text is not this: it is only mentioned. Intake indexes exactly these as the report's URL and
 * site indicators, and lookup uses the same rule (on the stored `url` and `platform` of reports)
 * to tell a case that reports a site from one that only mentions it. Pure; null when `url` has
 * no match key.
 * @param url the URL as reported (trimmed).
 * @param platform the platform the reporter gave, if any.
 */
export function reportedSite(url: string, platform: Platform | undefined): ReportedSite | null {
  const key = matchKey(url);
  if (key === null) return null;
  const effective = platform ?? platformOf(key.matchKey);
  const siteDomain = effective === 'website' ? registrableDomain(url) : null;
  return {
    matchKey: key.matchKey,
    domain: siteDomain !== null && siteWideRefusal(siteDomain) === null ? siteDomain : null,
    platform: platformOf(key.matchKey),
  };
}
