import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { lookup, type LookupResult, type ReportResult } from '../api';
import { CaseCard } from '../components/case-card';
import { SearchResults } from '../components/search-results';
import { ReportForm } from '../components/report-form';
import { ReportOutcome } from '../components/report-outcome';
import { TrendingCases } from '../components/trending-cases';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { classifyQuery } from '../query';

type LookupState =
  | { phase: 'idle' }
  | { phase: 'loading' }
  | { phase: 'done'; result: LookupResult }
  | { phase: 'failed'; message: string };

/**
 * Home: one box to paste a link or message. The query lives in the address (`/?q=…`) so results
 * can be shared and the back button works. Unknown → "not known yet" and a report form prefilled
 * from the query; after reporting, the case that holds the report. Below: the most reported and
 * most viewed cases of the last 24 hours.
 */
export function HomePage() {
  const { t } = useTranslation();
  const id = useId();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = searchParams.get('q') ?? '';
  const [draft, setDraft] = useState(query);
  const [emptyError, setEmptyError] = useState(false);
  const [state, setState] = useState<LookupState>({ phase: 'idle' });
  const [reported, setReported] = useState<ReportResult | null>(null);
  useDocumentTitle(query === '' ? null : t('home.resultsHeading'));

  useEffect(() => {
    setDraft(query);
    setReported(null);
    if (query.trim() === '') {
      setState({ phase: 'idle' });
      return;
    }
    const controller = new AbortController();
    const classified = classifyQuery(query);
    setState({ phase: 'loading' });
    lookup(classified.kind, classified.value, controller.signal).then(
      (result) => setState({ phase: 'done', result }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ phase: 'failed', message: errorText(t, error) });
      },
    );
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not repeat the lookup.
  }, [query]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = draft.trim();
    if (value === '') {
      setEmptyError(true);
      document.getElementById(`${id}-query`)?.focus();
      return;
    }
    setEmptyError(false);
    setSearchParams((params) => {
      const next = new URLSearchParams(params);
      next.set('q', value);
      return next;
    });
  }

  const classified = classifyQuery(query);

  return (
    <>
      <h1 tabIndex={-1}>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      <form className="search" role="search" onSubmit={onSubmit} noValidate>
        <label htmlFor={`${id}-query`}>{t('home.queryLabel')}</label>
        <p className="field__hint" id={`${id}-hint`}>
          {t('home.queryHint')}
        </p>
        <div className="search__row">
          <textarea
            id={`${id}-query`}
            name="q"
            rows={2}
            value={draft}
            autoCapitalize="off"
            spellCheck={false}
            aria-invalid={emptyError}
            aria-describedby={emptyError ? `${id}-hint ${id}-error` : `${id}-hint`}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              // Enter checks, Shift+Enter adds a line (messages may span lines).
              if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <button type="submit" className="button">
            {t('home.submit')}
          </button>
        </div>
        {emptyError && (
          <p className="field__error" id={`${id}-error`}>
            {t('home.emptyQuery')}
          </p>
        )}
      </form>

      {state.phase !== 'idle' && (
        <section className="results" aria-labelledby={`${id}-results`}>
          <h2 id={`${id}-results`}>{t('home.resultsHeading')}</h2>
          <div role="status" aria-live="polite">
            {state.phase === 'loading' && <p>{t('home.checking')}</p>}
            {state.phase === 'failed' && <p className="alert alert--error">{state.message}</p>}
            {state.phase === 'done' && (
              <>
                <p className="results__query">
                  {state.result.query.kind === 'url'
                    ? t('home.queriedAsUrl', {
                        value: state.result.query.canonical ?? classified.value,
                      })
                    : t('home.queriedAsText')}
                </p>
                {state.result.found ? (
                  <p className="results__verdict" data-testid="lookup-found">
                    {t('home.found', { count: state.result.cases.length })}
                  </p>
                ) : (
                  // Once reported, only the outcome is shown: "not known yet" would contradict it.
                  reported === null && (
                    <p className="results__verdict" data-testid="lookup-not-found">
                      <strong>{t('home.notFound')}</strong> {t('home.notFoundHelp')}
                    </p>
                  )
                )}
              </>
            )}
          </div>
          {state.phase === 'done' && state.result.found && (
            <ul className="case-list">
              {state.result.cases.map((kase) => (
                <li key={kase.id}>
                  <CaseCard kase={kase} />
                </li>
              ))}
            </ul>
          )}
          {state.phase === 'done' && state.result.query.kind === 'text' && (
            <SearchResults query={query} exclude={state.result.cases.map((kase) => kase.id)} />
          )}
          {state.phase === 'done' && !state.result.found && (
            <section className="panel" aria-labelledby={`${id}-report`}>
              <h3 id={`${id}-report`}>{t('home.reportHeading')}</h3>
              {reported === null ? (
                <ReportForm
                  key={query}
                  initial={classified.kind === 'url' ? { url: classified.value } : { text: query }}
                  onReported={setReported}
                />
              ) : (
                <ReportOutcome result={reported} />
              )}
            </section>
          )}
        </section>
      )}

      <TrendingCases />
    </>
  );
}
