import { useTranslation } from 'react-i18next';
import { shorten } from '../shorten';
import { Link } from 'react-router';
import { getMyReports } from '../api-portal';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged } from '../components/pager';
import { StatusChip } from '../components/status-chip';
import { formatTaipeiTime } from '../query';
import { useLoad, loadedData } from '../use-load';
import { RolePage } from '../components/role-page';
import { Fact } from '../components/fact';
import { CaseLink } from '../components/case-link';

const PAGE_SIZE = 10;
/** Longest excerpt of a report's text shown in the list (the case page has the rest). */
const EXCERPT_CHARS = 160;

/**
 * `/me/reports`: a signed-in reporter's own reports, newest first, 10 to a page (the server pages
 * them; the total counts them all) — what they sent,
 * when, the case's current public status label and a link to the case's progress. Reports sent
 * while signed in are linked to the account; nobody else's reports are ever listed.
 */
export function MyReportsPage() {
  const { t } = useTranslation();
  return (
    <RolePage title={t('myReports.title')} roles={['reporter']}>
      {() => (
        <>
          <p className="lead">{t('myReports.intro')}</p>
          <p>
            <Link to="/report">{t('myReports.reportMore')}</Link>
          </p>
          <ReportList />
        </>
      )}
    </RolePage>
  );
}

function ReportList() {
  const { t, i18n } = useTranslation();
  const at = useServerPage(PAGE_SIZE);
  const { state } = useLoad(
    (signal) => getMyReports({ limit: at.limit, offset: at.offset }, signal),
    [at.offset],
    { keepWhileReloading: true },
  );
  const result = loadedData(state);
  const paged = useServerPaged(result, at);

  if (result === null || paged === null) return <LoadStatus state={state} />;
  if (result.total === 0) return <p data-testid="my-reports-empty">{t('myReports.empty')}</p>;

  return (
    <section aria-labelledby="my-reports-h">
      <h2 id="my-reports-h">{t('myReports.listHeading', { count: result.total })}</h2>
      <ol className="case-list" data-testid="my-reports">
        {result.items.map((report) => (
          <li key={report.id}>
            <article
              className="case-card"
              data-report-id={report.id}
              data-case-id={report.case.id}
              aria-labelledby={`r-${report.id}`}
            >
              <div className="case-card__top">
                <StatusChip kase={report.case} />
                <h3 id={`r-${report.id}`} className="case-card__title">
                  {t('myReports.reportHeading', {
                    when: formatTaipeiTime(report.receivedAt, i18n.language),
                  })}
                </h3>
              </div>
              <p className="case-card__meaning">{t(`statusMeaning.${report.case.status}`)}</p>
              {report.text !== null && report.text.trim() !== '' && (
                <blockquote className="case-card__summary break">
                  {shorten(report.text, EXCERPT_CHARS)}
                </blockquote>
              )}
              {report.url !== null && (
                <p>
                  <span className="evidence__label">{t('myReports.url')}</span>{' '}
                  <code className="break">{report.url}</code>
                </p>
              )}
              <dl className="facts">
                <Fact term={t('case.id')}>
                  <code>{report.case.id}</code>
                </Fact>
                <Fact term={t('case.platform')}>
                  {t(`platform.${report.platform ?? report.case.platform}`)}
                </Fact>
                <Fact term={t('case.reports')}>
                  {t('case.reportCount', { count: report.case.reportCount })}
                </Fact>
              </dl>
              <p>
                <CaseLink caseId={report.case.id}>
                  {t('myReports.progress', { id: report.case.id })}
                </CaseLink>
              </p>
            </article>
          </li>
        ))}
      </ol>
      <Pager paged={paged} label={t('myReports.pagerLabel')} />
      <p className="field__hint">{t('common.timeZoneNote')}</p>
    </section>
  );
}
