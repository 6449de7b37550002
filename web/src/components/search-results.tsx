import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchCases, type SearchHit } from '../api-search';
import { useLoad } from '../use-load';
import { CaseCard } from './case-card';
import { LoadStatus } from './load-status';
import { Pager, type Paged } from './pager';

/**
 * A snippet with its highlighted spans as `<mark>`; text only (React escapes it), spans clipped
 * to the snippet and taken in order, overlapping ones skipped.
 */
export function Highlighted({ hit }: { hit: Pick<SearchHit, 'snippet' | 'highlights'> }) {
  const parts: Array<{ text: string; mark: boolean }> = [];
  let at = 0;
  for (const span of [...hit.highlights].sort((a, b) => a.start - b.start)) {
    const start = Math.max(span.start, at);
    const end = Math.min(span.end, hit.snippet.length);
    if (end <= start) continue;
    if (start > at) parts.push({ text: hit.snippet.slice(at, start), mark: false });
    parts.push({ text: hit.snippet.slice(start, end), mark: true });
    at = end;
  }
  if (at < hit.snippet.length) parts.push({ text: hit.snippet.slice(at), mark: false });
  return (
    <p className="search-hit__snippet">
      {parts.map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : part.text))}
    </p>
  );
}

/**
 * Keyword search results for a text query on the check page (`GET /api/v1/search`): cases whose
 * messages contain the words, ranked, with highlights and pages. Cases the exact check already
 * listed (`exclude`) are left out.
 */
export function SearchResults({ query, exclude }: { query: string; exclude: readonly string[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [page, setPage] = useState(1);

  useEffect(() => setPage(1), [query]);
  const { state } = useLoad((signal) => searchCases(query, page, signal), [query, page]);

  const hits =
    state.phase === 'done' ? state.data.hits.filter((hit) => !exclude.includes(hit.kase.id)) : [];
  const paged: Paged<SearchHit> | null =
    state.phase === 'done'
      ? {
          items: state.data.hits,
          page,
          pages: Math.max(1, Math.ceil(state.data.total / state.data.pageSize)),
          total: state.data.total,
          offset: (page - 1) * state.data.pageSize,
          setPage,
        }
      : null;

  return (
    <section className="search-results" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('search.heading')}</h3>
      <div role="status" aria-live="polite">
        <LoadStatus state={state} inLiveRegion />
        {state.phase === 'done' && (
          <p data-testid="search-total">
            {hits.length === 0
              ? t('search.none')
              : t(state.data.totalIsExact ? 'search.total' : 'search.totalAtLeast', {
                  count: state.data.total,
                })}
          </p>
        )}
      </div>
      {hits.length > 0 && (
        <ul className="case-list" data-testid="search-hits">
          {hits.map((hit) => (
            <li key={hit.kase.id}>
              <CaseCard kase={hit.kase} />
              <Highlighted hit={hit} />
            </li>
          ))}
        </ul>
      )}
      {paged !== null && <Pager paged={paged} label={t('search.heading')} />}
    </section>
  );
}
