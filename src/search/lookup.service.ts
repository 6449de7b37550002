import {
  canonicalLineId,
  canonicalPhone,
  extractIndicators,
  lookupExpressions,
  matchKey,
  type Indicator,
} from '../indicators/index.js';
import { getPublicCases, statusSeverity, type PublicCase } from '../cases/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest } from '../shared/errors.js';
import { codePointLength, nfkcLength } from '../shared/text.js';
import {
  findNearDuplicateCase,
  nearDuplicateForm,
  nearDuplicateSignature,
  textFingerprint,
} from '../triage/index.js';
import { caseIdsByExpressions, caseIdsByIndicators, caseIdsByKeys } from './lookup.repo.js';

/** At most this many cases are returned by one lookup. */
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

export interface LookupResult {
  found: boolean;
  query: { kind: 'url' | 'text'; canonical: string | null };
  cases: PublicCase[];
}

async function present(
  deps: Pick<ServiceDeps, 'db'>,
  ids: Iterable<string>,
): Promise<PublicCase[]> {
  const cases = await getPublicCases(deps, [...new Set(ids)]);
  cases.sort(
    (a, b) =>
      statusSeverity(a.status) - statusSeverity(b.status) ||
      b.reportCount - a.reportCount ||
      a.firstReportedAt.localeCompare(b.firstReportedAt),
  );
  return cases.slice(0, LOOKUP_LIMIT);
}

function urlExpressions(url: string): string[] {
  const key = matchKey(url);
  if (key === null) return [];
  return [...new Set([...lookupExpressions(key.matchKey), ...lookupExpressions(key.canonical)])];
}

/**
 * Is this URL known? Matches the URL's Safe Browsing host-suffix × path-prefix expressions
 * (after tracking parameters are removed and redirect wrappers unwrapped) against every known
 * URL and domain, so a page under a reported site is found too.
 * @throws AppError 400 `invalid_url` when the URL does not parse.
 */
export async function lookupUrl(deps: Pick<ServiceDeps, 'db'>, url: string): Promise<LookupResult> {
  const key = matchKey(url);
  if (key === null)
    throw badRequest('invalid_url', 'The URL could not be read as a web address.', 'url');
  const ids = await caseIdsByExpressions(deps.db, urlExpressions(url));
  const cases = await present(deps, ids);
  return { found: cases.length > 0, query: { kind: 'url', canonical: key.matchKey }, cases };
}

/**
 * Is this message (or phone number, LINE ID, domain) known? Matches the normalised text exactly,
 * its near-duplicates by the rule intake merges by (a reposted copy with another greeting or
 * short link finds the case; triage/near-duplicate.ts) and every indicator found in it; a single
 * token is also tried as a LINE ID and phone number. Full-text search is `GET /api/v1/search`.
 * Linear in `q`, which is at most LOOKUP_QUERY_CHARS code points before and after NFKC.
 * @throws AppError 400 `validation_failed` when `q` is blank; 400 `query_too_long` when it is
 *   longer than LOOKUP_QUERY_CHARS as typed or after NFKC normalisation.
 */
export async function lookupText(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  q: string,
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
  const found: Indicator[] = extractIndicators(text, {
    defaultRegion: deps.config.defaultRegion,
    maxIndicators: LOOKUP_INDICATORS,
  });
  const expressions = found
    .filter((i) => i.type === 'url' || i.type === 'domain')
    .flatMap((i) => urlExpressions(i.type === 'url' ? i.value : `http://${i.value}/`));
  const exact = found
    .filter((i) => i.type !== 'url')
    .map((i) => ({ type: i.type, value: i.value }));
  if (!/\s/.test(text)) {
    const lineId = canonicalLineId(text);
    if (lineId !== null) exact.push({ type: 'line_id', value: lineId });
    const phone = canonicalPhone(text, deps.config.defaultRegion);
    if (phone !== null) exact.push({ type: 'phone', value: phone });
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
  const [byExpression, byIndicator, byText, nearDuplicate] = await Promise.all([
    caseIdsByExpressions(deps.db, expressions),
    caseIdsByIndicators(deps.db, exact),
    caseIdsByKeys(deps.db, fingerprint === null ? [] : [fingerprint]),
    signature === null ? null : findNearDuplicateCase(deps.db, signature),
  ]);
  const cases = await present(deps, [
    ...byText,
    ...(nearDuplicate === null ? [] : [nearDuplicate.caseId]),
    ...byExpression,
    ...byIndicator,
  ]);
  return { found: cases.length > 0, query: { kind: 'text', canonical: null }, cases };
}
