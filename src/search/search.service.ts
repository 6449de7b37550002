import { getPublicCases, type PublicCase } from '../cases/index.js';
import { extractIndicators, matchKey, registrableDomain } from '../indicators/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import { removeInvisible } from '../shared/text.js';
import type { Database } from '../store/index.js';
import type { Kysely } from 'kysely';
import {
  caseFacts,
  caseTexts,
  casesWithAllTerms,
  casesWithAnyIndicator,
  termFrequencies,
} from './search.repo.js';
import {
  indicatorTerm,
  searchNormalise,
  searchSegments,
  segmentTerms,
  type SearchSegment,
} from '../shared/search-terms.js';

/** Longest query accepted, characters. */
export const SEARCH_QUERY_CHARS = 200;
/** Largest page. */
export const SEARCH_MAX_PAGE_SIZE = 50;
/**
 * Most matching cases ranked per query (the most recently reported first): beyond this the
 * total is reported as a lower bound (`totalIsExact: false`).
 */
export const SEARCH_CANDIDATE_LIMIT = 1000;
/** Index terms of a query used to find candidates (the rarest; all segments are verified). */
const MAX_QUERY_TERMS = 8;
/** Report texts read per candidate case to verify, score and highlight. */
const TEXTS_PER_CASE = 5;
/** Characters of a snippet. */
const SNIPPET_CHARS = 160;

/** One search hit: the public case, its score, and a snippet with the matched spans. */
export interface SearchHit {
  case: PublicCase;
  /** Relevance (higher first); comparable only within one query. */
  score: number;
  /** Up to 160 characters of the case's text around the first match (NFKC, invisible removed). */
  snippet: string;
  /** Matched spans of `snippet`, UTF-16 offsets, sorted, not overlapping. */
  highlights: Array<{ start: number; end: number }>;
}

export interface SearchResult {
  query: string;
  page: number;
  pageSize: number;
  /** Matching cases (among the SEARCH_CANDIDATE_LIMIT most recent candidates). */
  total: number;
  totalIsExact: boolean;
  hits: SearchHit[];
}

interface ParsedQuery {
  segments: SearchSegment[];
  /** Index terms that every text match must hold. */
  terms: string[];
  /** Index terms of indicators in the query (any one matches). */
  indicatorTerms: string[];
  /** The indicators of the query as case indicators hold them (any one matches). */
  indicators: Array<{ type: string; value: string }>;
}

/** Splits a query into segments, index terms and indicator terms. Pure. */
export function parseSearchQuery(
  q: string,
  defaultRegion: ServiceDeps['config']['defaultRegion'],
): ParsedQuery {
  const normalised = searchNormalise(q);
  // A single CJK character has no bigram: it is too short to search on its own.
  const segments = searchSegments(normalised).filter(
    (s) => !(s.cjk && Array.from(s.text).length < 2) && !(!s.cjk && s.text.length < 2),
  );
  const terms = [...new Set(segments.flatMap(segmentTerms))];
  const indicators = new Map<string, { type: string; value: string }>();
  const add = (type: string, value: string) =>
    indicators.set(indicatorTerm(type, value), { type, value });
  for (const found of extractIndicators(q, { defaultRegion })) {
    if (found.type === 'url') {
      const key = matchKey(found.value)?.matchKey ?? found.value;
      add('url', key);
      const domain = registrableDomain(key);
      if (domain !== null) add('domain', domain);
    } else {
      add(found.type, found.value);
    }
  }
  return {
    segments,
    terms,
    indicatorTerms: [...indicators.keys()],
    indicators: [...indicators.values()],
  };
}

/** Occurrences of `needle` in `haystack` (non-overlapping). */
function occurrences(haystack: string, needle: string): number {
  if (needle === '') return 0;
  let count = 0;
  let at = haystack.indexOf(needle);
  while (at !== -1) {
    count += 1;
    at = haystack.indexOf(needle, at + needle.length);
  }
  return count;
}

/**
 * Relevance of one case's text for a query: for each segment 1 + ln(occurrences) (capped at 50
 * occurrences), + 2 when the whole query (segments joined by one space) occurs as a phrase,
 * + 5 when an indicator of the query belongs to the case. 0 when a segment is missing and no
 * indicator matched. Rounded to 1e-6 so that both dialects rank equally. Pure.
 */
export function relevance(
  normalisedText: string,
  segments: readonly SearchSegment[],
  indicatorHit: boolean,
): number {
  let score = 0;
  for (const segment of segments) {
    const tf = Math.min(occurrences(normalisedText, segment.text), 50);
    if (tf === 0) {
      if (!indicatorHit) return 0;
      continue;
    }
    score += 1 + Math.log(tf);
  }
  if (segments.length > 1 && normalisedText.includes(segments.map((s) => s.text).join(' '))) {
    score += 2;
  }
  if (indicatorHit) score += 5;
  return Math.round(score * 1e6) / 1e6;
}

/**
 * A snippet of `text` around the first occurrence of any segment and the spans of every
 * segment inside it. Matching is on the lower-cased text; when lower-casing changes the length
 * (rare scripts), the snippet has no highlights.
 */
export function snippetOf(
  text: string,
  segments: readonly SearchSegment[],
): { snippet: string; highlights: Array<{ start: number; end: number }> } {
  const display = removeInvisible(text.normalize('NFKC'));
  const lower = display.toLowerCase();
  const aligned = lower.length === display.length;
  let first = -1;
  for (const segment of segments) {
    const at = lower.indexOf(segment.text);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  const start = first <= 40 ? 0 : first - 40;
  const snippet = display.slice(start, start + SNIPPET_CHARS);
  if (!aligned) return { snippet, highlights: [] };
  const window = lower.slice(start, start + SNIPPET_CHARS);
  const spans: Array<{ start: number; end: number }> = [];
  for (const segment of segments) {
    let at = window.indexOf(segment.text);
    while (at !== -1) {
      spans.push({ start: at, end: at + segment.text.length });
      at = window.indexOf(segment.text, at + segment.text.length);
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return { snippet, highlights: merged };
}

/** The MAX_QUERY_TERMS of `terms` that the fewest cases hold (ties by term), or all of them. */
async function rarestTerms(db: Kysely<Database>, terms: readonly string[]): Promise<string[]> {
  if (terms.length <= MAX_QUERY_TERMS) return [...terms];
  const df = await termFrequencies(db, terms);
  return [...terms]
    .sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_QUERY_TERMS);
}

/**
 * Keyword search over case texts and indicators (`GET /api/v1/search`). The query is split into
 * CJK runs and tokens (search-terms.ts); candidate cases hold every index term (CJK bigrams,
 * tokens) of the query, or one of the indicators found in it as a public indicator; each
 * candidate is verified against its public texts (personal data redacted: what was redacted can
 * be neither found nor quoted; every segment must occur as written, after NFKC and lower-casing)
 * and scored by
 * `relevance`; hits are ordered by relevance, then report count, then last report time (newest
 * first), then case ID, and paginated. Scoring happens here, not in SQL, so SQLite and
 * PostgreSQL return the same hits in the same order.
 * @param page 1-based; `pageSize` 1–SEARCH_MAX_PAGE_SIZE.
 * @throws AppError 400 `query_too_short` when the query has no searchable part (two CJK
 *   characters, a two-character token, or an indicator).
 */
export async function searchCases(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  q: string,
  page = 1,
  pageSize = 20,
): Promise<SearchResult> {
  const parsed = parseSearchQuery(q.slice(0, SEARCH_QUERY_CHARS), deps.config.defaultRegion);
  if (parsed.terms.length === 0 && parsed.indicatorTerms.length === 0) {
    throw badRequest(
      'query_too_short',
      'Search for at least two Chinese characters, a word of two letters or digits, or an indicator.',
      'q',
    );
  }
  const textCandidates = await casesWithAllTerms(
    deps.db,
    await rarestTerms(deps.db, parsed.terms),
    SEARCH_CANDIDATE_LIMIT,
  );
  const indicatorCandidates = await casesWithAnyIndicator(
    deps.db,
    parsed.indicators,
    SEARCH_CANDIDATE_LIMIT,
  );
  const indicatorHits = new Set(indicatorCandidates);
  const candidates = [...new Set([...textCandidates, ...indicatorCandidates])];
  const texts = await caseTexts(deps.db, candidates, TEXTS_PER_CASE);
  const facts = candidates.length === 0 ? [] : await caseFacts(deps.db, candidates);
  const scored: Array<{
    id: string;
    score: number;
    reportCount: number;
    last: string;
    text: string;
  }> = [];
  for (const fact of facts) {
    const caseTextList = texts.get(fact.id) ?? [];
    const document = searchNormalise([fact.summary ?? '', ...caseTextList].join('\n'));
    const score = relevance(document, parsed.segments, indicatorHits.has(fact.id));
    if (score <= 0) continue;
    // Each text normalised once, not once per segment (a 200-character query has up to 100).
    const best =
      [fact.summary ?? '', ...caseTextList].find((t) => {
        const normalised = searchNormalise(t);
        return parsed.segments.some((s) => normalised.includes(s.text));
      }) ??
      fact.summary ??
      caseTextList[0] ??
      '';
    scored.push({
      id: fact.id,
      score,
      reportCount: fact.reportCount,
      last: fact.lastReportedAt,
      text: best,
    });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.reportCount - a.reportCount ||
      (a.last < b.last ? 1 : a.last > b.last ? -1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const size = Math.min(Math.max(1, Math.trunc(pageSize)), SEARCH_MAX_PAGE_SIZE);
  const pageNumber = Math.max(1, Math.trunc(page));
  const slice = scored.slice((pageNumber - 1) * size, pageNumber * size);
  const views = new Map(
    (
      await getPublicCases(
        deps,
        slice.map((s) => s.id),
      )
    ).map((v) => [v.id, v]),
  );
  const hits: SearchHit[] = [];
  for (const s of slice) {
    const view = views.get(s.id);
    if (view === undefined) continue;
    hits.push({ case: view, score: s.score, ...snippetOf(s.text, parsed.segments) });
  }
  return {
    query: q,
    page: pageNumber,
    pageSize: size,
    total: scored.length,
    totalIsExact:
      textCandidates.length < SEARCH_CANDIDATE_LIMIT &&
      indicatorCandidates.length < SEARCH_CANDIDATE_LIMIT,
    hits,
  };
}
