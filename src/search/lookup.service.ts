import {
  canonicalLineId,
  canonicalPhone,
  extractIndicators,
  ipIndicatorValue,
  splitCanonicalUrl,
  matchKey,
} from '../indicators/index.js';
import { matchIndicators, type IndicatorProbe, type PublicCase } from '../cases/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest } from '../shared/errors.js';
import { codePointLength, nfkcLength } from '../shared/text.js';
import { nearDuplicateForm, nearDuplicateSignature, textFingerprint } from '../triage/index.js';
import { sqlLookupSource, type LookupSource } from './lookup-source.js';
import { compareSeverity, lookupVerdict, type LookupVerdict } from './lookup-verdict.js';

import {
  type IndicatorType,
  STATUS_PRESENTATION,
  isCaseStatus,
  type StatusColour,
} from '../vocabulary/index.js';
/** At most this many matching cases, and this many mentioning cases, are listed by one lookup. */
export const LOOKUP_LIMIT = 20;
/**
 * Longest `q` accepted, Unicode code points, as typed and after NFKC normalisation (which the
 * fingerprint and near-duplicate steps work on, and which can make one character eighteen).
 */
export const LOOKUP_QUERY_CHARS = 5000;

/**
 * Distinct indicators looked up from one `q`, at most (the first ones found): each brings up to
 * 30 URL expressions to the query (Safe Browsing host suffixes × path prefixes).
 */
export const LOOKUP_INDICATORS = 50;

/** Why a case matches a check: an indicator it holds, or its message. */
export interface MatchReason {
  /**
   * An indicator type (`value` is the indicator as the case holds it), `message` (the same
   * message after normalisation) or `similar_message` (a near-duplicate; `value` null for both).
   */
  type: IndicatorType | 'message' | 'similar_message';
  value: string | null;
}

/** The answer of a check (`GET`/`POST /api/v1/lookup`). */
export interface LookupResult {
  /** True exactly when `cases` is not empty (`verdict.outcome` is `on_record`). */
  found: boolean;
  /** The one summary of the check, from the lists below (lookupVerdict). */
  verdict: LookupVerdict;
  query: {
    kind: 'url' | 'text';
    /** The URL's match key for a URL check; null for text. */
    canonical: string | null;
    /** The indicators looked up: links, contacts and, for a single word, its LINE ID or phone reading. */
    indicators: IndicatorProbe[];
    /** The text was compared as a whole message (exact and near-duplicate). */
    message: boolean;
  };
  /** The matching cases, most serious first (compareSeverity), at most LOOKUP_LIMIT. */
  cases: PublicCase[];
  /** Why each listed case matches, in the order of `cases`. */
  matches: Array<{ caseId: string; by: MatchReason[] }>;
  /** More cases match than are listed. */
  truncated: boolean;
  /**
   * Cases whose messages only mention a link of the query (not a match: see lookup-verdict.ts),
   * most serious first, at most LOOKUP_LIMIT listed.
   */
  mentions: { total: number; totalIsExact: boolean; cases: PublicCase[] };
}

/** The colour of a stored state (STATUS_PRESENTATION); grey for one this build does not know. */
function colourOf(status: string): StatusColour {
  return isCaseStatus(status) ? STATUS_PRESENTATION[status].colour : 'grey';
}

/** The listed public views of `ids`, most serious first, and whether some were left out. */
async function ranked(
  source: LookupSource,
  ids: Iterable<string>,
): Promise<{ cases: PublicCase[]; truncated: boolean }> {
  const rows = (await source.severityOf([...new Set(ids)])).map((row) => ({
    ...row,
    colour: colourOf(row.status),
  }));
  rows.sort(compareSeverity);
  const listed = rows.slice(0, LOOKUP_LIMIT).map((r) => r.id);
  return { cases: await source.publicCases(listed), truncated: rows.length > LOOKUP_LIMIT };
}

/**
 * Answers a check from its probes (matchIndicators: contacts anywhere, links only as a case's
 * reported site, mentions apart) and the cases holding the same or a near-duplicate message.
 */
async function answer(
  deps: Pick<ServiceDeps, 'db'>,
  source: LookupSource,
  query: LookupResult['query'],
  byMessage: { same: readonly string[]; similar: string | null },
): Promise<LookupResult> {
  const found = await matchIndicators(deps.db, query.indicators, { holders: source.holders });
  const reasons = new Map<string, MatchReason[]>();
  const addReason = (caseId: string, reason: MatchReason): void => {
    const list = reasons.get(caseId) ?? [];
    if (!list.some((r) => r.type === reason.type && r.value === reason.value)) list.push(reason);
    reasons.set(caseId, list);
  };
  for (const caseId of byMessage.same) addReason(caseId, { type: 'message', value: null });
  if (byMessage.similar !== null && !reasons.has(byMessage.similar)) {
    addReason(byMessage.similar, { type: 'similar_message', value: null });
  }
  for (const hit of found.matches) addReason(hit.caseId, { type: hit.type, value: hit.value });
  const mentioning = new Set(
    found.mentions.map((hit) => hit.caseId).filter((id) => !reasons.has(id)),
  );
  const [matched, mentioned] = await Promise.all([
    ranked(source, reasons.keys()),
    ranked(source, mentioning),
  ]);
  const checked = query.indicators.length > 0 || query.message;
  return {
    found: matched.cases.length > 0,
    verdict: lookupVerdict(matched.cases, mentioning.size, checked),
    query,
    cases: matched.cases,
    matches: matched.cases.map((c) => ({ caseId: c.id, by: reasons.get(c.id) ?? [] })),
    truncated: matched.truncated,
    mentions: {
      total: mentioning.size,
      totalIsExact: !found.mentionsTruncated,
      cases: mentioned.cases,
    },
  };
}

/**
 * Is this URL known? Its Safe Browsing host-suffix × path-prefix expressions (after tracking
 * parameters are removed and redirect wrappers unwrapped) find every known URL and site
 * indicator, so a page under a reported site is found; a case matches only when it reports that
 * site (its own reported URL), and cases whose messages merely contain the link are listed apart
 * as mentions. A LINE URL (`line.me/ti/p/~id`) is also checked as its LINE ID.
 * @param source where matches and case views are read (default: the store; the lookup index
 *   answers the same from memory).
 * @throws AppError 400 `invalid_url` when the URL does not parse.
 */
export async function lookupUrl(
  deps: Pick<ServiceDeps, 'db'>,
  url: string,
  source: LookupSource = sqlLookupSource(deps),
): Promise<LookupResult> {
  const key = matchKey(url);
  if (key === null)
    throw badRequest('invalid_url', 'The URL could not be read as a web address.', 'url');
  const lineIds = extractIndicators(url, { maxIndicators: 2 }).filter((i) => i.type === 'line_id');
  // A URL whose host is a public IPv4 address is also checked as that `ip`.
  const ip = ipIndicatorValue(splitCanonicalUrl(key.canonical)?.host ?? '');
  const indicators: IndicatorProbe[] = [
    { type: 'url', value: key.matchKey },
    ...lineIds.map((i) => ({ type: i.type, value: i.value })),
    ...(ip === null ? [] : [{ type: 'ip' as const, value: ip }]),
  ];
  return answer(
    deps,
    source,
    { kind: 'url', canonical: key.matchKey, indicators, message: false },
    { same: [], similar: null },
  );
}

/**
 * Is this message (or phone number, LINE ID, e-mail address, bank account, crypto address,
 * domain) known? Looks up every indicator found in it by matchIndicators' rule (a single word
 * with none is read as a LINE ID, with or without `@`, and as a phone number), and the message
 * itself: its normalised text exactly and, when it is long enough to compare (near-duplicate
 * `minChars`), its near-duplicates by the rule intake merges by (triage/near-duplicate.ts). A few
 * words with nothing to look up are `not_a_check` unless a message is exactly them: full-text
 * search is `GET /api/v1/search`. Linear in `q`, which is at most LOOKUP_QUERY_CHARS code points
 * before and after NFKC. Near-duplicates are always looked up in the store (triage's LSH bands);
 * everything else is read from `source` (default: the store).
 * @throws AppError 400 `validation_failed` when `q` is blank; 400 `query_too_long` when it is
 *   longer than LOOKUP_QUERY_CHARS as typed or after NFKC normalisation.
 */
export async function lookupText(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  q: string,
  source: LookupSource = sqlLookupSource(deps),
): Promise<LookupResult> {
  const text = q.trim();
  if (text === '') throw badRequest('validation_failed', 'The query is empty.', 'q');
  const normalizedLength = nfkcLength(text);
  if (normalizedLength > LOOKUP_QUERY_CHARS || codePointLength(text) > LOOKUP_QUERY_CHARS) {
    throw new AppError(
      400,
      'query_too_long',
      `The query is too long: at most ${LOOKUP_QUERY_CHARS} characters, counted after Unicode ` +
        'NFKC normalisation (where one character such as ﷺ can become up to 18).',
      { details: { field: 'q', limit: LOOKUP_QUERY_CHARS, normalizedLength } },
    );
  }
  const found = extractIndicators(text, {
    defaultRegion: deps.config.defaultRegion,
    maxIndicators: LOOKUP_INDICATORS,
  });
  const indicators: IndicatorProbe[] = [];
  const probe = (type: IndicatorType, value: string): void => {
    if (!indicators.some((i) => i.type === type && i.value === value)) {
      indicators.push({ type, value });
    }
  };
  for (const i of found) probe(i.type, i.value);
  if (found.length === 0 && !/\s/.test(text)) {
    const lineId = canonicalLineId(text);
    if (lineId !== null) probe('line_id', lineId);
    const phone = canonicalPhone(text, deps.config.defaultRegion);
    if (phone !== null) probe('phone', phone);
  }
  const links = found
    .filter((i) => i.type === 'url')
    .map((i) => {
      const key = matchKey(i.value);
      return {
        start: i.start,
        end: i.end,
        matchKey: key?.matchKey ?? i.value,
        shortener: key?.shortener === true,
      };
    });
  const fingerprint = textFingerprint(
    text,
    links.map((l) => ({ start: l.start, end: l.end, value: l.matchKey })),
  );
  const form = nearDuplicateForm(text, links);
  const signature = nearDuplicateSignature(form.text, form.contentChars);
  const [same, nearDuplicate] = await Promise.all([
    source.caseIdsByKeys(fingerprint === null ? [] : [fingerprint]),
    signature === null ? null : source.nearDuplicateCase(signature),
  ]);
  return answer(
    deps,
    source,
    { kind: 'text', canonical: null, indicators, message: signature !== null },
    { same, similar: nearDuplicate?.caseId ?? null },
  );
}
