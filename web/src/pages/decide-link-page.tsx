import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CasePublic } from '../api';
import { readDecisionLink, decideWithLink, type DecisionLink } from '../api-workflow';
import { DecisionForm } from '../components/decision-form';
import { IndicatorList, UrlList } from '../components/indicator-list';
import { StatusChip } from '../components/status-chip';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { Fact } from '../components/fact';
import { TaipeiTime } from '../components/taipei-time';
import { CaseLink } from '../components/case-link';

type LinkState =
  | { phase: 'loading' }
  | { phase: 'ready'; link: DecisionLink }
  | { phase: 'done'; kase: CasePublic; asked: boolean }
  | { phase: 'failed'; message: string };

const LINK_ERRORS = [
  'decision_link_invalid',
  'decision_link_expired',
  'decision_link_used',
] as const;

/**
 * `/decide/:token`: the page a one-click decision link e-mailed to a verifier opens. The signed,
 * single-use link is the credential, so no sign-in: it shows the case (summary, URLs as plain
 * text, indicators) and the one-step decision form.
 */
export function DecideLinkPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const [state, setState] = useState<LinkState>({ phase: 'loading' });
  useDocumentTitle(t('decideLink.title'));

  useEffect(() => {
    const controller = new AbortController();
    readDecisionLink(token, controller.signal).then(
      (link) => setState({ phase: 'ready', link }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const known = LINK_ERRORS.find((code) => error instanceof ApiError && error.code === code);
        setState({
          phase: 'failed',
          message: known !== undefined ? t(`decideLink.${known}`) : errorText(t, error),
        });
      },
    );
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not refetch.
  }, [token]);

  return (
    <>
      <h1 tabIndex={-1}>{t('decideLink.title')}</h1>
      {state.phase === 'loading' && <p role="status">{t('common.loading')}</p>}
      {state.phase === 'failed' && (
        <>
          <p className="alert alert--error" role="alert" data-testid="link-error">
            {state.message}
          </p>
          <p>{t('decideLink.signInInstead')}</p>
          <p>
            <Link to="/signin?next=/verify">{t('nav.signIn')}</Link>
          </p>
        </>
      )}
      {state.phase === 'done' && (
        <div className="outcome">
          <p className="alert alert--success" role="status" data-testid="link-done">
            {state.asked
              ? t('decideLink.asked')
              : t('decideLink.thanks', { label: t(`status.${state.kase.status}`) })}
          </p>
          <p>
            <CaseLink caseId={state.kase.id}>{t('case.open', { id: state.kase.id })}</CaseLink>
          </p>
        </div>
      )}
      {state.phase === 'ready' && (
        <>
          <p className="lead">{t('decideLink.intro')}</p>
          <p className="field__hint">
            {t('decideLink.expires')} <TaipeiTime iso={state.link.expiresAt} />
          </p>
          <article className="case-card" aria-labelledby="link-case">
            <div className="case-card__top">
              <StatusChip kase={state.link.case} />
              <h2 id="link-case" className="case-card__title">
                {t('case.heading', { id: state.link.case.id })}
              </h2>
            </div>
            <dl className="facts">
              <Fact term={t('case.platform')}>{t(`platform.${state.link.case.platform}`)}</Fact>
              <Fact term={t('case.reports')}>
                {t('case.reportCount', { count: state.link.case.reportCount })}
              </Fact>
              <Fact term={t('case.firstReported')}>
                <TaipeiTime iso={state.link.case.firstReportedAt} />
              </Fact>
            </dl>
            <h3>{t('case.summary')}</h3>
            {state.link.case.summary === null || state.link.case.summary === '' ? (
              <p>{t('case.noSummary')}</p>
            ) : (
              <blockquote className="summary">{state.link.case.summary}</blockquote>
            )}
            {state.link.case.urls.length > 0 && (
              <>
                <h3>{t('case.urls')}</h3>
                <p className="field__hint">{t('case.urlsNote')}</p>
                <UrlList urls={state.link.case.urls} />
              </>
            )}
            {state.link.case.indicators.some((i) => i.type !== 'url') && (
              <>
                <h3>{t('case.indicators')}</h3>
                <IndicatorList
                  indicators={state.link.case.indicators.filter((i) => i.type !== 'url')}
                />
              </>
            )}
          </article>
          <section className="panel" aria-labelledby="link-decide">
            <h2 id="link-decide">{t('decideLink.decideHeading')}</h2>
            <DecisionForm
              caseId={state.link.case.id}
              onDecide={(input) => decideWithLink(token, input)}
              onDone={(kase, decision) =>
                setState({ phase: 'done', kase, asked: decision === 'need_info' })
              }
            />
          </section>
        </>
      )}
    </>
  );
}
