import { useId } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  BLOCKLIST_ACTIONS,
  getTransparency,
  transparencyParams,
  type Transparency,
  type TransparencyQuery,
} from '../api-reports';
import { LEGAL_BASES } from '../api-blocklist';
import { taipeiDate, type Change, type VerdictCounts } from '../api-stats';
import { LoadStatus } from '../components/load-status';
import { ReportsNav } from '../components/reports-nav';
import { ChangeTable, NumberCells, ReportSection, ReportTable } from '../components/report-table';
import { useDocumentTitle } from '../document-title';
import { isOneOf } from '../reader';
import { platformGroupName, platformName, scamTypeName, useReportLanguage } from '../report-format';
import { useLoad, loadedData } from '../use-load';
import '../stats.css';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Which report the address asks for: `/transparency/2025`, the older `?year=2025` or
 * `?from=…&to=…`, and otherwise the current Taipei year. Null when the address is not valid.
 */
function queryOf(
  pathYear: string | undefined,
  search: URLSearchParams,
  thisYear: number,
): TransparencyQuery | null {
  const year = pathYear ?? search.get('year');
  if (year !== null) return /^\d{4}$/.test(year) ? { year: Number(year) } : null;
  const from = search.get('from');
  const to = search.get('to');
  if (from !== null || to !== null) {
    return from !== null && to !== null && DATE.test(from) && DATE.test(to) ? { from, to } : null;
  }
  return { year: thisYear };
}

/** The decisions of a group, in the order of the tables' columns. */
function verdictsOf(g: VerdictCounts): Change[] {
  return [g.fraud, g.highRisk, g.notFraud];
}

function TransparencyView({ report }: { report: Transparency }) {
  const { t, language, f } = useReportLanguage();
  const id = useId();
  const hours = (value: number | null) => (value === null ? '—' : f.decimal(value));
  const current = (c: Change) => f.number(c.current);
  const verdictHead = [t('stats.fraud'), t('stats.highRisk'), t('stats.notFraud')];
  const basisName = (basis: string) => {
    if (isOneOf(LEGAL_BASES, basis)) return t(`legalBasis.${basis}`);
    return t('transparency.noBasis');
  };

  return (
    <>
      <ReportSection id={`${id}-summary`} heading={t('transparency.summaryHeading')}>
        <ChangeTable
          testId="transparency-summary"
          head={[
            t('transparency.figure'),
            t('transparency.thisPeriod'),
            t('transparency.previous'),
            t('transparency.change'),
          ]}
          rows={[
            { key: 'reports', name: t('stats.reports'), change: report.reports },
            { key: 'newCases', name: t('stats.newCases'), change: report.newCases },
            { key: 'fraud', name: t('stats.fraud'), change: report.confirmed.fraud },
            { key: 'highRisk', name: t('stats.highRisk'), change: report.confirmed.highRisk },
            { key: 'notFraud', name: t('stats.notFraud'), change: report.confirmed.notFraud },
          ]}
        />
      </ReportSection>

      <ReportSection id={`${id}-platforms`} heading={t('transparency.platformsHeading')}>
        <ReportTable
          testId="transparency-platforms"
          head={[t('stats.platform'), t('stats.reports'), t('stats.newCases'), ...verdictHead]}
        >
          {report.byPlatform.map((g) => (
            <tr key={g.key} data-key={g.key}>
              <th scope="row">{platformGroupName(t, g.key, g.name, language)}</th>
              <NumberCells values={[g.reports, g.newCases, ...verdictsOf(g)].map(current)} />
            </tr>
          ))}
        </ReportTable>
      </ReportSection>

      <ReportSection id={`${id}-types`} heading={t('transparency.typesHeading')}>
        <ReportTable testId="transparency-types" head={[t('stats.scamType'), ...verdictHead]}>
          {report.byScamType.map((g) => (
            <tr key={g.key} data-key={g.key}>
              <th scope="row">{scamTypeName(t, g.key, g.name, language)}</th>
              <NumberCells values={verdictsOf(g).map(current)} />
            </tr>
          ))}
        </ReportTable>
      </ReportSection>

      <ReportSection
        id={`${id}-takedown`}
        heading={t('transparency.takedownHeading')}
        note={t('transparency.takedownNote')}
      >
        {report.takedown.length === 0 ? (
          <p>{t('transparency.noNotices')}</p>
        ) : (
          <ReportTable
            testId="transparency-takedown"
            head={[
              t('stats.platform'),
              t('transparency.notices'),
              t('transparency.inTime'),
              t('transparency.late'),
              t('transparency.overdue'),
              t('transparency.rejected'),
              t('transparency.open'),
              t('transparency.median'),
              t('transparency.p90'),
              t('transparency.sanctions'),
            ]}
          >
            {report.takedown.map((c) => (
              <tr key={c.platform} data-key={c.platform}>
                <th scope="row">{platformName(t, c.platform)}</th>
                <NumberCells
                  values={[
                    f.number(c.noticesSent),
                    f.number(c.removedWithinDeadline),
                    f.number(c.removedLate),
                    f.number(c.overdue),
                    f.number(c.rejected),
                    f.number(c.open),
                    hours(c.medianHoursToRemoval),
                    hours(c.p90HoursToRemoval),
                    f.number(c.sanctions),
                  ]}
                />
              </tr>
            ))}
          </ReportTable>
        )}
      </ReportSection>

      <ReportSection id={`${id}-blocklist`} heading={t('transparency.blocklistHeading')}>
        <ReportTable
          testId="transparency-blocklist"
          head={[
            t('transparency.legalBasis'),
            ...BLOCKLIST_ACTIONS.map((a) => t(`blocklistAction.${a}`)),
          ]}
        >
          {report.blocklist.map((b) => (
            <tr key={b.legalBasis} data-key={b.legalBasis}>
              <th scope="row">{basisName(b.legalBasis)}</th>
              <NumberCells values={BLOCKLIST_ACTIONS.map((a) => f.number(b.counts[a]))} />
            </tr>
          ))}
        </ReportTable>
      </ReportSection>

      <ReportSection id={`${id}-appeals`} heading={t('transparency.appealsHeading')}>
        <ReportTable
          testId="transparency-appeals"
          numbersFrom={0}
          head={[
            t('transparency.filed'),
            t('transparency.upheld'),
            t('transparency.appealRejected'),
            t('transparency.pending'),
          ]}
        >
          <tr>
            <NumberCells
              values={[
                report.appeals.filed,
                report.appeals.upheld,
                report.appeals.rejected,
                report.appeals.pending,
              ].map(f.number)}
            />
          </tr>
        </ReportTable>
      </ReportSection>
    </>
  );
}

/**
 * `/transparency` (the current Taipei year), `/transparency/:year`, and the older
 * `/transparency?year=…` or `?from=…&to=…`: the transparency report from GET /api/v1/transparency
 * — reports and decisions against the period before, by platform group and scam type, each
 * platform's takedown compliance, blocklist changes by legal basis and appeals, with links to the
 * other years and to the same figures as CSV and JSON. Every platform, group, scam type, legal
 * basis and blocklist change is named in the UI language, never by its identifier.
 */
export function TransparencyPage() {
  const { t, f } = useReportLanguage();
  const params = useParams();
  const [search] = useSearchParams();
  const thisYear = Number(taipeiDate(Date.now()).slice(0, 4));
  const query = queryOf(params.year, search, thisYear);
  const key = query === null ? '' : transparencyParams(query).toString();
  const loaded = useLoad((signal) => getTransparency(query ?? { year: thisYear }, signal), [key], {
    skip: query === null,
  });
  const heading =
    query === null
      ? null
      : 'year' in query
        ? t('transparency.year', { year: query.year })
        : t('transparency.periodTitle', { from: f.day(query.from), to: f.day(query.to) });
  useDocumentTitle(
    heading === null ? t('transparency.title') : `${t('transparency.title')} ${heading}`,
  );
  const report = loadedData(loaded.state);
  const year = query !== null && 'year' in query ? query.year : null;

  return (
    <>
      <h1 tabIndex={-1}>
        {t('transparency.title')}
        {heading !== null && (
          <>
            {' '}
            <span className="nowrap" data-testid="report-period-label">
              {heading}
            </span>
          </>
        )}
      </h1>
      <ReportsNav />
      <p className="lead">{t('transparency.intro')}</p>
      {year !== null && (
        <nav aria-label={t('transparency.years')} className="year-nav">
          <Link to={`/transparency/${year - 1}`}>
            {t('transparency.previousYear', { year: year - 1 })}
          </Link>
          {year < thisYear && (
            <Link to={`/transparency/${year + 1}`}>
              {t('transparency.nextYear', { year: year + 1 })}
            </Link>
          )}
        </nav>
      )}
      {query === null && <p className="alert alert--error">{t('errors.validation_failed')}</p>}
      {query !== null && <LoadStatus state={loaded.state} />}
      {report !== null && query !== null && (
        <>
          <p data-testid="transparency-period">
            {t('transparency.period', {
              from: f.day(report.period.startDate),
              to: f.day(report.period.endDate),
              previousFrom: f.day(report.previousPeriod.startDate),
              previousTo: f.day(report.previousPeriod.endDate),
            })}{' '}
            {t('common.timeZoneNote')}
          </p>
          {year === thisYear && <p className="alert alert--info">{t('transparency.ongoing')}</p>}
          <TransparencyView report={report} />
          <p className="report-links">
            {t('reports.downloads')}{' '}
            <a
              href={`/api/v1/transparency/csv?${transparencyParams(query).toString()}`}
              aria-label={t('transparency.csv')}
            >
              CSV
            </a>{' '}
            ·{' '}
            <a
              href={`/api/v1/transparency?${transparencyParams(query).toString()}`}
              aria-label={t('transparency.json')}
            >
              JSON
            </a>
          </p>
        </>
      )}
    </>
  );
}
