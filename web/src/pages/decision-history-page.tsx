import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DECIDED_VERDICTS } from '../api';
import { getDecisionHistory } from '../api-portal';
import { SelectField } from '../components/field';
import { useFilterParams } from '../components/list-filters';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged } from '../components/pager';
import { StatusChip } from '../components/status-chip';
import { isOneOf } from '../reader';
import { useLoad, loadedData } from '../use-load';
import { DataTable } from '../components/data-table';
import { RolePage } from '../components/role-page';
import { TaipeiTime } from '../components/taipei-time';
import { CaseLink } from '../components/case-link';

const PAGE_SIZE = 20;

/**
 * `/verify/history`: the signed-in verifier's own decisions, newest first, 20 to a page with the
 * true total, optionally of one verdict (`verdict` and `page` in the address) — each with the
 * verdict they gave, when, the case's current public label and a link to the case.
 * Analysts and admins see their own decisions too (as the API allows).
 */
export function DecisionHistoryPage() {
  const { t } = useTranslation();
  return (
    <RolePage title={t('history.title')} roles={['verifier', 'analyst', 'admin']}>
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
    </RolePage>
  );
}

function DecisionList() {
  const { t } = useTranslation();
  const filters = useFilterParams();
  const verdictParam = filters.get('verdict');
  const verdict = isOneOf(DECIDED_VERDICTS, verdictParam) ? verdictParam : undefined;
  const at = useServerPage(PAGE_SIZE);
  const { state } = useLoad(
    (signal) =>
      getDecisionHistory(
        { ...(verdict !== undefined && { verdict }), limit: at.limit, offset: at.offset },
        signal,
      ),
    [verdict, at.offset],
    { keepWhileReloading: true },
  );
  const result = loadedData(state);
  const paged = useServerPaged(result, at);

  if (result === null) return <LoadStatus state={state} />;
  if (result.total === 0 && verdict === undefined) {
    return <p data-testid="history-empty">{t('history.empty')}</p>;
  }

  return (
    <section aria-labelledby="history-list-h">
      <h2 id="history-list-h">{t('history.listHeading')}</h2>
      <div className="filters">
        <SelectField
          label={t('staff.verdictFilter')}
          value={verdict ?? ''}
          values={DECIDED_VERDICTS}
          text={(value) => t(`verdict.${value}`)}
          empty={t('staff.all')}
          onChange={(value) => filters.set({ verdict: value })}
        />
      </div>
      <p role="status" data-testid="history-total">
        {result.total === 0
          ? t('history.emptyFiltered')
          : t('history.count', { count: result.total })}
      </p>
      {result.items.length > 0 && (
        <DataTable
          labelledBy="history-list-h"
          testId="decision-history"
          head={[
            t('case.id'),
            t('history.decision'),
            t('history.decidedAt'),
            t('history.currentStatus'),
            t('history.note'),
          ]}
        >
          {result.items.map((entry, index) => (
            <tr key={`${entry.caseId}-${entry.decidedAt}-${index}`} data-case-id={entry.caseId}>
              <th scope="row">
                <CaseLink caseId={entry.caseId}>{t('case.open', { id: entry.caseId })}</CaseLink>
              </th>
              <td data-testid="history-verdict">{t(`verdict.${entry.verdict}`)}</td>
              <td>
                <TaipeiTime iso={entry.decidedAt} />
              </td>
              <td>
                {entry.case === null ? t('history.caseGone') : <StatusChip kase={entry.case} />}
              </td>
              <td className="break">{entry.note ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {paged !== null && <Pager paged={paged} label={t('history.listHeading')} />}
      <p className="field__hint">{t('common.timeZoneNote')}</p>
    </section>
  );
}
