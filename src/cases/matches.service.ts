import type { Kysely } from 'kysely';
import { lineIdVariants, lookupExpressions, matchKey } from '../indicators/index.js';

import type { ServiceDeps } from '../shared/deps.js';
import type { Database } from '../store/index.js';
import type { PublicCase } from './cases.presenter.js';
import { getPublicCases } from './cases.service.js';
import {
  exactHolders,
  indicatorsOfCase,
  reportedUrlsOf,
  siteHolders,
  type HeldIndicatorRow,
  type HolderFilter,
} from './matches.repo.js';

import { INDICATOR_TYPES, PLATFORMS } from '../vocabulary/index.js';
import type { IndicatorType, Platform } from '../vocabulary/index.js';
import { reportedSite } from '../indicators/index.js';
/**
 * Indicator types that are a match wherever a case holds them, in its reported content or in the
 * text of its message: the phone numbers, LINE IDs, e-mail addresses, bank accounts and crypto
 * addresses a scam gives are how it is reached and paid, which is what a warning is about, and
 * an IP address (`ip`: public addresses only, see extractIndicators) is where its server is. A
 * link is different: messages quote news sites, banks and government pages, so a `url` or
 * `domain` is a match only for a case that reports that site (reportedSite), and a mention
 * otherwise.
 */
export const CONTACT_TYPES: readonly IndicatorType[] = [
  'ip',
  'phone',
  'line_id',
  'email',
  'crypto_address',
  'bank_account',
];

/** Rows read per probe set, at most (the most serious verdicts first). */
export const MATCH_SCAN_LIMITS = { matches: 2000, mentions: 1000 } as const;

/** An indicator to look for: a canonical value; a `url` may be any URL (it is canonicalised). */
export interface IndicatorProbe {
  type: IndicatorType;
  value: string;
}

/** A case holding an indicator, the indicator as that case holds it. */
export interface CaseIndicatorHit {
  caseId: string;
  type: IndicatorType;
  value: string;
}

/** Who holds the probed indicators, and how. */
export interface IndicatorMatches {
  /** A case holding a probed contact (CONTACT_TYPES), or a probed link as the site it reports. */
  matches: CaseIndicatorHit[];
  /** Cases (none of them in `matches`) whose messages only mention a probed link. */
  mentions: CaseIndicatorHit[];
  /** True when more mentioning cases exist than MATCH_SCAN_LIMITS.mentions. */
  mentionsTruncated: boolean;
}

/** Options of matchIndicators. */
export interface MatchOptions {
  /** Only cases with a `fraud` verdict (known scams). */
  fraudOnly?: boolean;
  /** Leave this case out. */
  excludeCaseId?: string;
  /** Also find the cases that only mention a probed link (default true). */
  mentions?: boolean;
  /** Where holders are read from (default: the store `db`). */
  holders?: HolderSource;
}

function isIndicatorType(type: string): type is IndicatorType {
  return (INDICATOR_TYPES as readonly string[]).includes(type);
}

function isPlatform(value: string | null): value is Platform {
  return value !== null && (PLATFORMS as readonly string[]).includes(value);
}

/** The sites a case's reports are *of*: their reportedSite match keys and domains. */
export interface ReportedSites {
  urls: Set<string>;
  domains: Set<string>;
}

/**
 * Where matchIndicators reads indicator holders from: the store (sqlHolders, the default) or
 * the lookup's in-memory index (search/lookup-index.ts), which must answer the same rows in the
 * same order for the same store contents.
 */
export interface HolderSource {
  /** matches.repo.ts exactHolders: holders of the exact (type, value) pairs, `filter.limit` most serious. */
  exactHolders(
    indicators: ReadonlyArray<{ type: string; value: string }>,
    filter: HolderFilter,
  ): Promise<HeldIndicatorRow[]>;
  /** matches.repo.ts siteHolders: `url`/`domain` holders by lookup expression. */
  siteHolders(
    expressions: readonly string[],
    reportedUrl: boolean,
    filter: HolderFilter,
  ): Promise<HeldIndicatorRow[]>;
  /** The reported sites of `caseIds` (those without a reported URL are absent). */
  reportedSitesOf(caseIds: readonly string[]): Promise<Map<string, ReportedSites>>;
}

/**
 * The reported sites of each case from its reports' submitted URLs and reporter-given
 * platforms (reportedSite); unreadable URLs and unknown platforms count as none. Pure.
 */
export function reportedSitesFrom(
  rows: ReadonlyArray<{ caseId: string; url: string; platform: string | null }>,
): Map<string, ReportedSites> {
  const sites = new Map<string, ReportedSites>();
  for (const row of rows) {
    const site = reportedSite(row.url, isPlatform(row.platform) ? row.platform : undefined);
    if (site === null) continue;
    const own = sites.get(row.caseId) ?? { urls: new Set<string>(), domains: new Set<string>() };
    own.urls.add(site.matchKey);
    if (site.domain !== null) own.domains.add(site.domain);
    sites.set(row.caseId, own);
  }
  return sites;
}

/** The holder source reading the store (or the caller's transaction) `db`. */
export function sqlHolders(db: Kysely<Database>): HolderSource {
  return {
    exactHolders: (indicators, filter) => exactHolders(db, indicators, filter),
    siteHolders: (expressions, reportedUrl, filter) =>
      siteHolders(db, expressions, reportedUrl, filter),
    reportedSitesOf: async (caseIds) => reportedSitesFrom(await reportedUrlsOf(db, caseIds)),
  };
}

/**
 * The Safe Browsing lookup expressions of a `url` or `domain` probe (host suffixes × path
 * prefixes of its match key and of its canonical form, tracking parameters removed and redirect
 * wrappers unwrapped), which stored `url` and `domain` indicators are found by; empty for other
 * types and for a URL without a host.
 */
export function probeExpressions(probe: IndicatorProbe): string[] {
  if (probe.type !== 'url' && probe.type !== 'domain') return [];
  const key = matchKey(probe.type === 'url' ? probe.value : `http://${probe.value}/`);
  if (key === null) return [];
  return [...new Set([...lookupExpressions(key.matchKey), ...lookupExpressions(key.canonical)])];
}

/** The exact (type, value) pairs a contact probe is found by: a LINE ID with and without `@`. */
function exactValues(probe: IndicatorProbe): Array<{ type: IndicatorType; value: string }> {
  if (!CONTACT_TYPES.includes(probe.type)) return [];
  if (probe.type !== 'line_id') return [{ type: probe.type, value: probe.value }];
  return lineIdVariants(probe.value).map((value) => ({ type: 'line_id', value }));
}

function hits(rows: readonly HeldIndicatorRow[]): CaseIndicatorHit[] {
  return rows.flatMap((r) =>
    isIndicatorType(r.type) ? [{ caseId: r.caseId, type: r.type, value: r.value }] : [],
  );
}

/**
 * Which cases hold the probed indicators, by the one rule every public answer uses (the check
 * page's verdict and list, a new report's "known scam" warning, triage's risk signal):
 * - a contact (CONTACT_TYPES) matches every case holding it, a LINE ID with or without its `@`;
 * - a link (`url`, `domain`) is found by Safe Browsing expressions, so a page of a reported site
 *   finds the site; it matches a case only when that case's own reported URL made the indicator
 *   (reportedSite, applied to the stored URL and platform of its reports); a case that holds it
 *   only from the text of a message merely mentions it.
 * At most MATCH_SCAN_LIMITS rows are read, the most serious verdicts first.
 * @param db the store or the caller's transaction (unused when `options.holders` is given).
 */
export async function matchIndicators(
  db: Kysely<Database>,
  probes: readonly IndicatorProbe[],
  options: MatchOptions = {},
): Promise<IndicatorMatches> {
  const source = options.holders ?? sqlHolders(db);
  const base: Omit<HolderFilter, 'limit'> = { excludeCaseId: options.excludeCaseId };
  const expressions = [...new Set(probes.flatMap(probeExpressions))];
  const exact = probes.flatMap(exactValues);
  const wantMentions = options.mentions ?? true;
  const wanted = (rows: HeldIndicatorRow[]): HeldIndicatorRow[] =>
    options.fraudOnly === true ? rows.filter((r) => r.verdict === 'fraud') : rows;
  const [exactRows, siteRows, mentionRows] = await Promise.all([
    source.exactHolders(exact, { ...base, limit: MATCH_SCAN_LIMITS.matches }).then(wanted),
    source
      .siteHolders(expressions, true, { ...base, limit: MATCH_SCAN_LIMITS.matches })
      .then(wanted),
    wantMentions
      ? source
          .siteHolders(expressions, false, { ...base, limit: MATCH_SCAN_LIMITS.mentions + 1 })
          .then(wanted)
      : [],
  ]);
  const sites = await source.reportedSitesOf(siteRows.map((r) => r.caseId));
  const isReportedSite = (row: CaseIndicatorHit): boolean => {
    const own = sites.get(row.caseId);
    if (own === undefined) return false;
    return row.type === 'url' ? own.urls.has(row.value) : own.domains.has(row.value);
  };
  const siteHits = hits(siteRows);
  const matches = [...hits(exactRows), ...siteHits.filter(isReportedSite)];
  const matched = new Set(matches.map((m) => m.caseId));
  const mentionCandidates = [
    ...siteHits.filter((row) => !isReportedSite(row)),
    ...hits(mentionRows.slice(0, MATCH_SCAN_LIMITS.mentions)),
  ];
  return {
    matches,
    mentions: mentionCandidates.filter((row) => !matched.has(row.caseId)),
    mentionsTruncated: mentionRows.length > MATCH_SCAN_LIMITS.mentions,
  };
}

/** A confirmed scam that holds an indicator of the content asked about. */
export interface KnownScam {
  /** The indicator as the scam case holds it (e.g. `line_id` `lai659`). */
  type: IndicatorType;
  value: string;
  case: PublicCase;
}

/**
 * Indicators of one case probed for known scams, at most (oldest first): a report brings at most
 * 100 from its text (REPORT_LIMITS.textIndicators) and two from its URL.
 */
const CASE_INDICATORS_PROBED = 200;

/** Known scams listed for one case or report, at most. */
export const KNOWN_SCAM_LIMIT = 10;

/**
 * The cases with a `fraud` verdict that hold one of `indicators` by matchIndicators' rule (a
 * contact anywhere, a link as the site they report), other than `excludeCaseId`: the "this LINE
 * ID is a known scam" warnings of a new report and of a case page, and triage's known-scam risk
 * signal. At most KNOWN_SCAM_LIMIT, one entry per scam case and indicator.
 */
export async function findKnownScamHits(
  db: Kysely<Database>,
  indicators: ReadonlyArray<{ type: string; value: string }>,
  excludeCaseId?: string,
): Promise<CaseIndicatorHit[]> {
  const probes = indicators.flatMap((i) =>
    isIndicatorType(i.type) ? [{ type: i.type, value: i.value }] : [],
  );
  if (probes.length === 0) return [];
  const { matches } = await matchIndicators(db, probes, {
    fraudOnly: true,
    mentions: false,
    ...(excludeCaseId === undefined ? {} : { excludeCaseId }),
  });
  const seen = new Set<string>();
  return matches
    .filter((hit) => {
      const key = `${hit.caseId}\u0000${hit.type}\u0000${hit.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, KNOWN_SCAM_LIMIT);
}

/**
 * The known scams of a case (see findKnownScamHits) with their public case views: what its
 * public page and a report's confirmation show. Computed when asked, so a scam confirmed after
 * the report, or a verdict changed since, shows as it is now.
 */
export async function knownScamsOf(
  deps: Pick<ServiceDeps, 'db'>,
  caseId: string,
): Promise<KnownScam[]> {
  const indicators = await indicatorsOfCase(deps.db, caseId, CASE_INDICATORS_PROBED);
  const found = await findKnownScamHits(deps.db, indicators, caseId);
  const cases = await getPublicCases(deps, [...new Set(found.map((hit) => hit.caseId))]);
  const byId = new Map(cases.map((c) => [c.id, c]));
  return found.flatMap((hit) => {
    const kase = byId.get(hit.caseId);
    return kase === undefined ? [] : [{ type: hit.type, value: hit.value, case: kase }];
  });
}
