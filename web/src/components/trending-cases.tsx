import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { shorten } from '../shorten';

import { getTrending, type TrendingEntry } from '../api-stats';
import { useLoad } from '../use-load';
import { LoadStatus } from './load-status';
import { StatusChip } from './status-chip';
import '../stats.css';
import { CaseLink } from './case-link';

/** Cases shown in each list. */
const LIMIT = 5;
/** Characters of a case's summary shown in a list. */
const SUMMARY_CHARS = 80;

function TrendingList({
  entries,
  kind,
  testId,
}: {
  entries: TrendingEntry[];
  kind: 'reports' | 'views';
  testId: string;
}) {
  const { t } = useTranslation();
  if (entries.length === 0) return <p data-testid={testId}>{t('trending.empty')}</p>;
  return (
    <ol className="trending__list" data-testid={testId}>
      {entries.map(({ kase, count }) => (
        <li key={kase.id} className="trending__item" data-trending-case={kase.id}>
          <div className="trending__top">
            <StatusChip kase={kase} />
            <CaseLink caseId={kase.id} className="trending__link">
              {t('case.open', { id: kase.id })}
            </CaseLink>
          </div>
          {kase.summary !== null && kase.summary.trim() !== '' && (
            <p className="trending__summary">{shorten(kase.summary, SUMMARY_CHARS)}</p>
          )}
          <p className="trending__meta">
            <strong data-testid="trending-count">{t(`trending.${kind}`, { count })}</strong>
            {' · '}
            {t('trending.platform', { platform: t(`platform.${kase.platform}`) })}
          </p>
        </li>
      ))}
    </ol>
  );
}

/**
 * The home page's "last 24 hours": the most reported and the most viewed cases, each with its
 * coloured public label (GET /api/v1/cases/trending). Public data only.
 */
export function TrendingCases() {
  const { t } = useTranslation();
  const id = useId();
  const { state } = useLoad((signal) => getTrending(LIMIT, signal), []);

  return (
    <section className="trending" aria-labelledby={`${id}-h`} data-testid="trending">
      <h2 id={`${id}-h`}>{t('trending.heading')}</h2>
      <p className="field__hint">{t('trending.intro')}</p>
      <LoadStatus state={state} quietFailure />
      {state.phase === 'done' && (
        <div className="trending__columns">
          <section aria-labelledby={`${id}-reported`}>
            <h3 id={`${id}-reported`}>{t('trending.mostReported')}</h3>
            <TrendingList entries={state.data.mostReported} kind="reports" testId="most-reported" />
          </section>
          <section aria-labelledby={`${id}-viewed`}>
            <h3 id={`${id}-viewed`}>{t('trending.mostViewed')}</h3>
            <TrendingList entries={state.data.mostViewed} kind="views" testId="most-viewed" />
          </section>
        </div>
      )}
    </section>
  );
}
