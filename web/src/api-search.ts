/**
 * Client of `GET /api/v1/search` (public keyword search over cases, Chinese included; see
 * src/search/search.routes.ts): ranked hits with a snippet and its highlighted spans.
 */
import { isObject, request, unexpected } from './http';
import { parseCase, type CasePublic } from './api';
import { Reader } from './reader';

/** One ranked case with the part of its text that matched. */
export interface SearchHit {
  kase: CasePublic;
  /** Relevance, higher first. */
  score: number;
  snippet: string;
  /** Matched spans of `snippet`, UTF-16 offsets, `end` exclusive. */
  highlights: Array<{ start: number; end: number }>;
}

export interface SearchPage {
  query: string;
  page: number;
  pageSize: number;
  /** Matching cases (at least, when `totalIsExact` is false). */
  total: number;
  totalIsExact: boolean;
  hits: SearchHit[];
}

/** Searches cases for `q` (1-based `page`, up to 10 hits a page). @throws ApiError. */
export async function searchCases(
  q: string,
  page: number,
  signal?: AbortSignal,
): Promise<SearchPage> {
  const params = new URLSearchParams({ q, page: String(page), pageSize: '10' });
  const body = await request(`/api/v1/search?${params.toString()}`, { signal, access: 'public' });
  if (!isObject(body) || !Array.isArray(body.hits)) throw unexpected('search');
  const top = new Reader(body, 'search');
  return {
    query: top.str('query'),
    page: top.num('page'),
    pageSize: top.num('pageSize'),
    total: top.num('total'),
    totalIsExact: top.bool('totalIsExact'),
    hits: body.hits.map((value: unknown) => {
      const hit = new Reader(value, 'search.hit');
      const highlights = hit.raw('highlights');
      return {
        kase: parseCase(hit.raw('case')),
        score: hit.num('score'),
        snippet: hit.str('snippet'),
        highlights: Array.isArray(highlights)
          ? highlights.map((span: unknown) => {
              const r = new Reader(span, 'search.highlight');
              return { start: r.num('start'), end: r.num('end') };
            })
          : [],
      };
    }),
  };
}
