import {
  canonicalLineId,
  canonicalPhone,
  extractIndicators,
  registrableDomain,
  type CountryCode,
} from '../indicators/index.js';
import type { Clock } from '../shared/clock.js';
import { badRequest } from '../shared/errors.js';
import { ageBounds, containsPattern, type AgeFilter } from '../shared/paging.js';

/** Longest `indicator` filter accepted, characters. */
export const INDICATOR_FILTER_CHARS = 500;
/** Indicators read from one `indicator` filter, at most. */
const FILTER_INDICATORS = 5;

/** The searches staff lists of cases share (the verification queue and the triage list). */
export interface CaseSearch extends AgeFilter {
  /** Text the case's summary or one of its reports' text, title or URL contains (any case). */
  q?: string | undefined;
  /** A URL, domain, phone number, LINE ID, e-mail, bank account or crypto address of the case. */
  indicator?: string | undefined;
}

/** What an `indicator` filter matches: typed values, or every URL and domain of a site. */
export interface IndicatorMatch {
  exact: Array<{ type: string; value: string }>;
  domains: string[];
}

/**
 * Reads an `indicator` filter as the indicators intake stores (extractIndicators; a single token
 * is also tried as a LINE ID, with and without a leading `@`, and as a phone number). A URL
 * matches that URL (canonical form); a domain matches every URL and domain indicator of its
 * registrable domain, so a site's pages are found by its domain (a URL on a platform such as
 * facebook.com finds only that post).
 * @throws AppError 400 `invalid_indicator` (field `indicator`) when nothing in it is an indicator
 *   or it is longer than INDICATOR_FILTER_CHARS.
 */
export function indicatorMatch(raw: string, defaultRegion: CountryCode): IndicatorMatch {
  const text = raw.trim();
  if (text.length > INDICATOR_FILTER_CHARS) {
    throw badRequest(
      'invalid_indicator',
      `indicator is at most ${INDICATOR_FILTER_CHARS} characters.`,
      'indicator',
    );
  }
  const exact: IndicatorMatch['exact'] = [];
  const domains = new Set<string>();
  for (const found of extractIndicators(text, {
    defaultRegion,
    maxIndicators: FILTER_INDICATORS,
  })) {
    exact.push({ type: found.type, value: found.value });
    if (found.type === 'domain') {
      const site = registrableDomain(`http://${found.value}/`);
      if (site !== null) domains.add(site);
    }
  }
  if (text !== '' && !/\s/.test(text)) {
    const lineId = canonicalLineId(text);
    if (lineId !== null) {
      exact.push({ type: 'line_id', value: lineId });
      if (lineId.startsWith('@')) exact.push({ type: 'line_id', value: lineId.slice(1) });
      else exact.push({ type: 'line_id', value: `@${lineId}` });
    }
    const phone = canonicalPhone(text, defaultRegion);
    if (phone !== null) exact.push({ type: 'phone', value: phone });
  }
  if (exact.length === 0 && domains.size === 0) {
    throw badRequest(
      'invalid_indicator',
      'indicator must be a URL, domain, phone number, LINE ID, e-mail address, bank account or crypto address.',
      'indicator',
    );
  }
  return { exact, domains: [...domains] };
}

/** A CaseSearch checked and made ready for SQL. */
export interface ResolvedCaseSearch {
  pattern: string | undefined;
  indicator: IndicatorMatch | undefined;
  olderThan: string | undefined;
  newerThan: string | undefined;
}

/**
 * Checks a CaseSearch and resolves it against the clock: a blank `q` or `indicator` is no filter.
 * @throws AppError 400 `invalid_indicator`, or `validation_failed` for ages (see ageBounds).
 */
export function resolveCaseSearch(
  search: CaseSearch,
  deps: { clock: Clock; defaultRegion: CountryCode },
): ResolvedCaseSearch {
  const q = search.q?.trim() ?? '';
  const indicator = search.indicator?.trim() ?? '';
  return {
    pattern: q === '' ? undefined : containsPattern(q),
    indicator: indicator === '' ? undefined : indicatorMatch(indicator, deps.defaultRegion),
    ...ageBounds(deps.clock, search),
  };
}
