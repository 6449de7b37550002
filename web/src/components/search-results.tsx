import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchCases, type SearchHit, type SearchPage } from '../api-search';
import { errorText } from '../errors';
import { CaseCard } from './case-card';
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

type State =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'done'; result: SearchPage };

/**
 * Keyword search results for a text query on the check page (`GET /api/v1/search`): cases whose
 * messages contain the words, ranked, with highlights and pages. Cases the exact check already
 * listed (`exclude`) are left out.
 */
export function SearchResults({ query, exclude }: { query: string; exclude: readonly string[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [page, setPage] = useState(1);
  const [state, setState] = useState<State>({ phase: 'loading' });

  useEffect(() => setPage(1), [query]);
  useEffect(() => {
    const controller = new AbortController();
    setState({ phase: 'loading' });
    searchCases(query, page, controller.signal).then(
      (result) => setState({ phase: 'done', result }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ phase: 'failed', message: errorText(t, error) });
      },
    );
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not repeat the search.
  }, [query, page]);

  const hits =
    state.phase === 'done' ? state.result.hits.filter((hit) => !exclude.includes(hit.kase.id)) : [];
  const paged: Paged<SearchHit> | null =
    state.phase === 'done'
      ? {
          items: state.result.hits,
          page,
          pages: Math.max(1, Math.ceil(state.result.total / state.result.pageSize)),
          total: state.result.total,
          offset: (page - 1) * state.result.pageSize,
          setPage,
        }
      : null;

  return (
    <section className="search-results" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('search.heading')}</h3>
      <div role="status" aria-live="polite">
        {state.phase === 'loading' && <p>{t('common.loading')}</p>}
        {state.phase === 'failed' && <p className="alert alert--error">{state.message}</p>}
        {state.phase === 'done' && (
          <p data-testid="search-total">
            {hits.length === 0
              ? t('search.none')
              : t(state.result.totalIsExact ? 'search.total' : 'search.totalAtLeast', {
                  count: state.result.total,
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
