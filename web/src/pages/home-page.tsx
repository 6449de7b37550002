import type { TFunction } from 'i18next';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearchParams } from 'react-router';
import { ApiError, lookup, type LookupResult, type MatchReason, type ReportResult } from '../api';
import { CaseCard } from '../components/case-card';
import { Field } from '../components/field';
import { SearchResults } from '../components/search-results';
import { ReportForm } from '../components/report-form';
import { ReportOutcome } from '../components/report-outcome';
import { StatusChip } from '../components/status-chip';
import { TrendingCases } from '../components/trending-cases';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { isObject } from '../http';
import { classifyQuery } from '../query';

type LookupState =
  | { phase: 'idle' }
  | { phase: 'loading' }
  | { phase: 'done'; result: LookupResult }
  | { phase: 'failed'; message: string };

/**
 * Longest query kept in the page address (`/?q=…`), characters. A pasted message is longer: it
 * travels in the history entry's state instead (the back button and a reload keep it), since a
 * long address fails (HTTP 431) when the page is reloaded or shared.
 */
export const ADDRESS_QUERY_CHARS = 300;

/** The query of the current history entry: `?q=` for short ones, else the entry's state. */
function useQuery(): string {
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const fromAddress = searchParams.get('q');
  if (fromAddress !== null) return fromAddress;
  const state: unknown = location.state;
  return isObject(state) && typeof state.q === 'string' ? state.q : '';
}

/** Why a case matches, in words: "LINE ID lai659", "the same message". */
function reasonText(t: TFunction, reason: MatchReason): string {
  if (reason.type === 'message') return t('home.reasonMessage');
  if (reason.type === 'similar_message') return t('home.reasonSimilarMessage');
  return `${t(`indicator.${reason.type}`)} ${reason.value ?? ''}`.trim();
}

/** The verdict line of a check: what the server decided from exactly the cases it listed. */
function Verdict({ result, reported }: { result: LookupResult; reported: boolean }) {
  const { t } = useTranslation();
  const { verdict } = result;
  const worst = result.cases[0];
  switch (verdict.outcome) {
    case 'on_record':
      return (
        <div
          className={`results__verdict results__verdict--${verdict.colour ?? 'grey'}`}
          data-testid="lookup-found"
          data-outcome={verdict.outcome}
          data-colour={verdict.colour ?? ''}
        >
          <strong>{t('home.found', { count: verdict.matches })}</strong>{' '}
          {verdict.status !== null && verdict.label !== null && verdict.colour !== null ? (
            <StatusChip
              kase={{ status: verdict.status, label: verdict.label, colour: verdict.colour }}
            />
          ) : (
            worst !== undefined && <StatusChip kase={worst} />
          )}
          {result.truncated && <p>{t('home.truncated', { count: result.cases.length })}</p>}
        </div>
      );
    case 'mentioned_only':
      return (
        <p
          className="results__verdict"
          data-testid="lookup-mentioned"
          data-outcome="mentioned_only"
        >
          <strong>
            {result.query.kind === 'url' ? t('home.mentionedOnlyUrl') : t('home.mentionedOnlyText')}
          </strong>{' '}
          {t('home.mentionedOnlyHelp', { count: verdict.mentions })}
        </p>
      );
    case 'not_a_check':
      return (
        <p className="results__verdict" data-testid="lookup-words" data-outcome="not_a_check">
          <strong>{t('home.notACheck')}</strong> {t('home.notACheckHelp')}
        </p>
      );
    case 'no_record':
      // Once reported, only the outcome is shown: "not known yet" would contradict it.
      return reported ? null : (
        <p className="results__verdict" data-testid="lookup-not-found" data-outcome="no_record">
          <strong>{t('home.notFound')}</strong> {t('home.notFoundHelp')}
        </p>
      );
  }
}

/**
 * Home: one box to paste a link or message. A short query lives in the address (`/?q=…`) so
 * results can be shared and the back button works; a pasted message lives in the history entry
 * (ADDRESS_QUERY_CHARS). Links are checked with `GET /api/v1/lookup?url=`, text in the body of
 * `POST /api/v1/lookup`. The verdict line is the server's verdict, computed from exactly the
 * cases listed under it; cases that only mention a link are listed apart; a few words are a
 * keyword search, said to be no check. The report form is always offered, prefilled from the
 * query: when nothing is known, after a match (another report of the same thing helps), and
 * after an error. Below: the most reported and most viewed cases of the last 24 hours.
 */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [, setSearchParams] = useSearchParams();
  const query = useQuery();
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
        if (controller.signal.aborted) return;
        // Too long as typed is the request schema's `validation_failed` on `q`: the same limit.
        const tooLong =
          error instanceof ApiError && error.code === 'validation_failed' && error.field === 'q';
        setState({
          phase: 'failed',
          message: tooLong ? t('errors.query_too_long') : errorText(t, error),
        });
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
    const short = [...value].length <= ADDRESS_QUERY_CHARS;
    setSearchParams(
      (params) => {
        const next = new URLSearchParams(params);
        if (short) next.set('q', value);
        else next.delete('q');
        return next;
      },
      short ? {} : { state: { q: value } },
    );
  }

  const classified = classifyQuery(query);
  const result = state.phase === 'done' ? state.result : null;
  const checked =
    result === null
      ? []
      : result.query.indicators.map((i) => `${t(`indicator.${i.type}`)} ${i.value}`);

  return (
    <>
      <h1 tabIndex={-1}>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      <form className="search" role="search" onSubmit={onSubmit} noValidate>
        <Field
          id={`${id}-query`}
          label={t('home.queryLabel')}
          hint={t('home.queryHint')}
          error={emptyError ? t('home.emptyQuery') : null}
        >
          {(control) => (
            <div className="search__row">
              <textarea
                {...control}
                name="q"
                rows={2}
                value={draft}
                autoCapitalize="off"
                spellCheck={false}
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
          )}
        </Field>
      </form>

      {state.phase !== 'idle' && (
        <section className="results" aria-labelledby={`${id}-results`}>
          <h2 id={`${id}-results`}>{t('home.resultsHeading')}</h2>
          <div role="status" aria-live="polite">
            {state.phase === 'loading' && <p>{t('home.checking')}</p>}
            {state.phase === 'failed' && (
              <p className="alert alert--error" data-testid="lookup-error">
                {state.message}
              </p>
            )}
            {result !== null && (
              <>
                <p className="results__query">
                  {result.query.kind === 'url'
                    ? t('home.queriedAsUrl', {
                        value: result.query.canonical ?? classified.value,
                      })
                    : t('home.queriedAsText')}
                  {result.query.kind === 'text' && checked.length > 0 && (
                    <>
                      {' '}
                      {t('home.checkedIndicators', {
                        list: checked.join(t('home.listSeparator')),
                      })}
                    </>
                  )}
                  {result.query.message && <> {t('home.checkedMessage')}</>}
                </p>
                <Verdict result={result} reported={reported !== null} />
              </>
            )}
          </div>
          {result !== null && result.cases.length > 0 && (
            <ul className="case-list" data-testid="lookup-matches">
              {result.cases.map((kase) => (
                <li key={kase.id}>
                  <CaseCard kase={kase} />
                  <p className="case-card__reason">
                    {t('home.matchedBy', {
                      reasons: (result.reasons[kase.id] ?? [])
                        .map((reason) => reasonText(t, reason))
                        .join(t('home.listSeparator')),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {result !== null && result.mentions.cases.length > 0 && (
            <section aria-labelledby={`${id}-mentions`} data-testid="lookup-mentions">
              <h3 id={`${id}-mentions`}>{t('home.mentionsHeading')}</h3>
              <p className="field__hint">
                {t('home.mentionsNote')}{' '}
                {result.mentions.total > result.mentions.cases.length &&
                  t('home.mentionsListed', {
                    total: result.mentions.total.toLocaleString(i18n.language),
                    listed: result.mentions.cases.length,
                  })}
              </p>
              <ul className="case-list">
                {result.mentions.cases.map((kase) => (
                  <li key={kase.id}>
                    <CaseCard kase={kase} headingLevel={3} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          {result !== null && result.verdict.outcome === 'not_a_check' && (
            <SearchResults query={query} exclude={[]} />
          )}
          {state.phase !== 'loading' && (
            <section className="panel" aria-labelledby={`${id}-report`}>
              <h3 id={`${id}-report`}>
                {result !== null && result.found
                  ? t('home.reportAlsoHeading')
                  : t('home.reportHeading')}
              </h3>
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
