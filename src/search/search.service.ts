import { sql } from 'kysely';
import { getPublicCases, type PublicCase } from '../cases/index.js';
import { extractIndicators, matchKey, registrableDomain } from '../indicators/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import { removeInvisible } from '../shared/text.js';
import type { Database } from '../store/index.js';
import type { Kysely } from 'kysely';
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

async function rarestTerms(db: Kysely<Database>, terms: readonly string[]): Promise<string[]> {
  if (terms.length <= MAX_QUERY_TERMS) return [...terms];
  const counts = await db
    .selectFrom('search_postings')
    .select(['term', (eb) => eb.fn.countAll<number | string | bigint>().as('df')])
    .where('term', 'in', [...terms])
    .groupBy('term')
    .execute();
  const df = new Map(counts.map((c) => [c.term, Number(c.df)]));
  return [...terms]
    .sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_QUERY_TERMS);
}

/**
 * A term held by at least this many cases is "common": its postings are too many to join and
 * sort (≈ 0.4 s for 10⁵ at 1,000,000 cases, bench/search.ts), while walking the cases newest first
 * finds `limit` holders after a few thousand cases.
 */
export const COMMON_TERM_POSTINGS = 20_000;

/** Whether `term` has at least `threshold` postings (counts no further than that). */
async function isCommonTerm(
  db: Kysely<Database>,
  term: string,
  threshold: number,
): Promise<boolean> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('search_postings')
        .select(sql.lit(1).as('one'))
        .where('term', '=', term)
        .limit(threshold)
        .as('p'),
    )
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0) >= threshold;
}

/** The case-driven plan reads at most this many of the newest cases before giving up on it. */
export const CASE_WALK_LIMIT = 50_000;

/**
 * Cases holding every term, the most recently reported first (last report time, then case ID),
 * at most `limit`. Two plans give the same rows. From the postings of a rare term (under
 * `commonPostings`), joined with the others and sorted. Or, when every term is common, from the
 * newest CASE_WALK_LIMIT cases, each checked for every term: when `limit` of them hold every term,
 * they are the answer (no older case can come before them); when fewer do (common terms that are
 * rarely together), the postings plan runs after all, so one query never walks every case.
 */
export async function casesWithAllTerms(
  db: Kysely<Database>,
  terms: readonly string[],
  limit: number,
  commonPostings = COMMON_TERM_POSTINGS,
  caseWalkLimit = CASE_WALK_LIMIT,
): Promise<string[]> {
  const [firstTerm] = terms;
  if (firstTerm === undefined) return [];
  let rare: string | undefined;
  for (const term of terms) {
    if (!(await isCommonTerm(db, term, commonPostings))) {
      rare = term;
      break;
    }
  }
  const holds = (term: string) =>
    sql<boolean>`exists (select 1 from search_postings as p where p.case_id = c.id and p.term = ${term})`;
  if (rare === undefined) {
    // The newest caseWalkLimit cases: those reported at or after the caseWalkLimit-th newest
    // report time (all cases when there are fewer). Walked through the last-report index newest
    // first, the query stops at `limit` holders.
    const cutoff = db
      .selectFrom('cases')
      .select('last_reported_at')
      .orderBy('last_reported_at', 'desc')
      .limit(1)
      .offset(caseWalkLimit - 1);
    let walk = db
      .selectFrom('cases as c')
      .select('c.id')
      .where('c.last_reported_at', '>=', (eb) => eb.fn.coalesce(cutoff, sql.lit('')));
    for (const term of terms) walk = walk.where(holds(term));
    const found = await walk
      .orderBy('c.last_reported_at', 'desc')
      .orderBy('c.id')
      .limit(limit)
      .execute();
    if (found.length >= limit) return found.map((r) => r.id);
  }
  const driver = rare ?? firstTerm;
  let query = db
    .selectFrom('search_postings as p0')
    .innerJoin('cases as c', 'c.id', 'p0.case_id')
    .select('c.id')
    .where('p0.term', '=', driver);
  for (const term of terms) if (term !== driver) query = query.where(holds(term));
  const rows = await query
    .orderBy('c.last_reported_at', 'desc')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Cases holding any of `indicators` as a public indicator (an indicator reporters gave only as
 * their own personal data matches nothing), by case ID, at most `limit`.
 */
async function casesWithAnyIndicator(
  db: Kysely<Database>,
  indicators: ReadonlyArray<{ type: string; value: string }>,
  limit: number,
): Promise<string[]> {
  if (indicators.length === 0) return [];
  const rows = await db
    .selectFrom('indicators as i')
    .innerJoin('case_indicators as ci', 'ci.indicator_id', 'i.id')
    .select('ci.case_id')
    .distinct()
    .where((eb) =>
      eb.or(
        indicators.map((i) => eb.and([eb('i.type', '=', i.type), eb('i.value', '=', i.value)])),
      ),
    )
    .where('ci.personal', '=', 0)
    .orderBy('ci.case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.case_id);
}

/**
 * The first TEXTS_PER_CASE report texts (title + text) of each case, oldest first, in their
 * public form (personal data redacted), so that nothing redacted can be searched for or quoted.
 */
async function caseTexts(
  db: Kysely<Database>,
  caseIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const chunk = caseIds.slice(i, i + 500);
    const ranked = db
      .selectFrom('reports')
      .select((eb) => [
        'case_id',
        eb.fn.coalesce('public_text', 'text').as('text'),
        eb.fn.coalesce('public_title', 'title').as('title'),
        'url',
        sql<number>`row_number() over (partition by case_id order by received_at, id)`.as('n'),
      ])
      .where('case_id', 'in', chunk)
      .as('r');
    const rows = await db
      .selectFrom(ranked)
      .select(['r.case_id', 'r.text', 'r.title', 'r.url'])
      .where('r.n', '<=', TEXTS_PER_CASE)
      .orderBy('r.case_id')
      .orderBy('r.n')
      .execute();
    for (const row of rows) {
      const text = [row.title, row.text, row.url].filter((t) => t !== null && t !== '').join('\n');
      const list = out.get(row.case_id) ?? [];
      list.push(text);
      out.set(row.case_id, list);
    }
  }
  return out;
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
  const texts = await caseTexts(deps.db, candidates);
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

async function caseFacts(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<
  Array<{ id: string; summary: string | null; reportCount: number; lastReportedAt: string }>
> {
  const out = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('cases')
      .select((eb) => [
        'id',
        eb.fn.coalesce('public_summary', 'summary').as('summary'),
        'report_count as reportCount',
        'last_reported_at as lastReportedAt',
      ])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    out.push(...rows.map((r) => ({ ...r, reportCount: Number(r.reportCount) })));
  }
  return out;
}
