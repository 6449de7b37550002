import { useId } from 'react';
import { Link } from 'react-router';
import { getPublishedBulletins } from '../api-reports';
import { DateRange } from '../components/date-range';
import { LoadStatus } from '../components/load-status';
import { ReportsNav } from '../components/reports-nav';
import { ReportSection, ReportTable } from '../components/report-table';
import { useDocumentTitle } from '../document-title';
import { useReportLanguage, weekLabel } from '../report-format';
import { useLoad, loadedData } from '../use-load';
import '../stats.css';

/** The Atom feed of published bulletins (RFC 4287), for feed readers. */
export const BULLETIN_FEED = '/api/v1/bulletins/feed.atom';

/**
 * `/bulletins`: the published weekly bulletins (週快訊), newest week first, from
 * GET /api/v1/bulletins — each week with its dates, publication time, reports and confirmed
 * scams with the change on the week before, and links to its page, JSON and CSV; the Atom feed.
 */
export function BulletinsPage() {
  const { t, f } = useReportLanguage();
  const id = useId();
  const loaded = useLoad((signal) => getPublishedBulletins(signal), []);
  useDocumentTitle(t('bulletins.title'));
  const bulletins = loadedData(loaded.state);

  return (
    <>
      <h1 tabIndex={-1}>{t('bulletins.title')}</h1>
      <ReportsNav />
      <p className="lead">{t('bulletins.intro')}</p>
      <p>
        <a href={BULLETIN_FEED} type="application/atom+xml">
          {t('bulletins.feed')}
        </a>
      </p>
      <ReportSection id={`${id}-list`} heading={t('bulletins.listHeading')}>
        <LoadStatus state={loaded.state} />
        {bulletins !== null && bulletins.length === 0 && <p>{t('bulletins.none')}</p>}
        {bulletins !== null && bulletins.length > 0 && (
          <>
            <p className="field__hint">{t('bulletins.changeNote')}</p>
            <ReportTable
              testId="bulletin-list"
              head={[
                t('bulletins.week'),
                t('bulletins.dates'),
                t('stats.reports'),
                t('bulletins.confirmedFraud'),
                t('bulletins.published'),
                t('bulletins.formats'),
              ]}
              numberColumns={[2, 3]}
            >
              {bulletins.map((b) => {
                const label = weekLabel(t, b.week);
                const api = `/api/v1/bulletins/${encodeURIComponent(b.week)}`;
                return (
                  <tr key={b.week} data-week={b.week}>
                    <th scope="row">
                      <Link to={`/bulletins/${b.week}`} className="nowrap" data-testid="week-label">
                        {label}
                      </Link>
                    </th>
                    <td>
                      <DateRange from={f.day(b.period.startDate)} to={f.day(b.period.endDate)} />
                    </td>
                    <td className="number">
                      {f.number(b.reports.current)}{' '}
                      <span className="figure-change">{f.change(b.reports)}</span>
                    </td>
                    <td className="number">
                      {f.number(b.confirmedFraud.current)}{' '}
                      <span className="figure-change">{f.change(b.confirmedFraud)}</span>
                    </td>
                    <td>
                      <time dateTime={b.publishedAt}>{f.instant(b.publishedAt)}</time>
                    </td>
                    <td className="nowrap">
                      <a href={api} aria-label={t('bulletins.jsonOf', { week: label })}>
                        JSON
                      </a>{' '}
                      ·{' '}
                      <a href={`${api}/csv`} aria-label={t('bulletins.csvOf', { week: label })}>
                        CSV
                      </a>
                    </td>
                  </tr>
                );
              })}
            </ReportTable>
          </>
        )}
      </ReportSection>
    </>
  );
}
