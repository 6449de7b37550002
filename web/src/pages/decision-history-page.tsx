import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getDecisionHistory, HISTORY_LIMIT } from '../api-portal';
import { LoadStatus } from '../components/load-status';
import { Pager, usePaged } from '../components/pager';
import { RequireRole } from '../components/require-role';
import { StatusChip } from '../components/status-chip';
import { useDocumentTitle } from '../document-title';
import { formatTaipeiTime } from '../query';
import { useLoad } from '../use-load';

const PAGE_SIZE = 20;

/**
 * `/verify/history`: the signed-in verifier's own decisions, newest first, 20 to a page — each
 * with the verdict they gave, when, the case's current public label and a link to the case.
 * Analysts and admins see their own decisions too (as the API allows).
 */
export function DecisionHistoryPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('history.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('history.title')}</h1>
      <RequireRole roles={['verifier', 'analyst', 'admin']}>
        {(me) => (
          <>
            {me.role === 'verifier' && (
              <p>
                <Link to="/verify">{t('history.backToQueue')}</Link>
              </p>
            )}
            <DecisionList />
          </>
        )}
      </RequireRole>
    </>
  );
}

function DecisionList() {
  const { t, i18n } = useTranslation();
  const { state } = useLoad((signal) => getDecisionHistory(signal), []);
  const decisions = state.phase === 'done' ? state.data : [];
  const paged = usePaged(decisions, PAGE_SIZE);

  if (state.phase !== 'done') return <LoadStatus state={state} />;
  if (decisions.length === 0) return <p data-testid="history-empty">{t('history.empty')}</p>;

  return (
    <section aria-labelledby="history-list-h">
      <h2 id="history-list-h">{t('history.listHeading')}</h2>
      <p>
        {t('history.count', { count: decisions.length })}
        {decisions.length >= HISTORY_LIMIT && ` ${t('history.capped', { limit: HISTORY_LIMIT })}`}
      </p>
      <div className="table-wrap" role="region" aria-labelledby="history-list-h" tabIndex={0}>
        <table className="table" data-testid="decision-history">
          <thead>
            <tr>
              <th scope="col">{t('case.id')}</th>
              <th scope="col">{t('history.decision')}</th>
              <th scope="col">{t('history.decidedAt')}</th>
              <th scope="col">{t('history.currentStatus')}</th>
              <th scope="col">{t('history.note')}</th>
            </tr>
          </thead>
          <tbody>
            {paged.items.map((entry, index) => (
              <tr key={`${entry.caseId}-${entry.decidedAt}-${index}`} data-case-id={entry.caseId}>
                <th scope="row">
                  <Link to={`/cases/${encodeURIComponent(entry.caseId)}`}>
                    {t('case.open', { id: entry.caseId })}
                  </Link>
                </th>
                <td data-testid="history-verdict">{t(`verdict.${entry.verdict}`)}</td>
                <td>
                  <time dateTime={entry.decidedAt}>
                    {formatTaipeiTime(entry.decidedAt, i18n.language)}
                  </time>
                </td>
                <td>
                  {entry.case === null ? t('history.caseGone') : <StatusChip kase={entry.case} />}
                </td>
                <td className="break">{entry.note ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager paged={paged} label={t('history.listHeading')} />
      <p className="field__hint">{t('common.timeZoneNote')}</p>
    </section>
  );
}
