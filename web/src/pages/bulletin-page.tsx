import { useId, useMemo } from 'react';
import type { TFunction } from 'i18next';
import { Link, useParams } from 'react-router';
import { getBulletin, type Bulletin, type Share } from '../api-reports';
import type { ChartOption } from '../components/echart';
import { DateRange } from '../components/date-range';
import { Chart } from '../components/lazy-chart';
import { LoadStatus } from '../components/load-status';
import { ReportsNav } from '../components/reports-nav';
import { ChangeTable, NumberCells, ReportSection, ReportTable } from '../components/report-table';
import { useDocumentTitle } from '../document-title';
import {
  parseWeek,
  platformGroupName,
  scamTypeName,
  useReportLanguage,
  type ReportFormat,
  weekLabel,
} from '../report-format';
import { useLoad, loadedData } from '../use-load';
import { BULLETIN_FEED } from './bulletins-page';
import '../stats.css';

interface NamedShare extends Share {
  label: string;
}

/** A horizontal bar chart of shares (percent), largest at the top. */
function shareChart(rows: NamedShare[]): ChartOption {
  // ECharts draws the first category at the bottom of a vertical axis.
  const shown = [...rows].reverse();
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => `${String(v)}%`,
    },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.label),
      axisLabel: { fontSize: 13, width: 120, overflow: 'break' },
    },
    series: [
      {
        type: 'bar',
        itemStyle: { color: '#b42318' },
        label: { show: true, position: 'right', formatter: '{c}%' },
        data: shown.map((r) => r.share),
      },
    ],
  };
}

function chartLabel(t: TFunction, f: ReportFormat, title: string, rows: NamedShare[]): string {
  const items = rows
    .map((r) => t('bulletin.chartItem', { name: r.label, share: f.percent(r.share) }))
    .join(t('stats.listSeparator'));
  return t('bulletin.chartLabel', { title, items });
}

function ShareTable({
  rows,
  header,
  ranked,
  testId,
}: {
  rows: NamedShare[];
  header: string;
  ranked: boolean;
  testId: string;
}) {
  const { t, f } = useReportLanguage();
  return (
    <ReportTable
      testId={testId}
      head={[
        ...(ranked ? [t('bulletin.rank')] : []),
        header,
        t('bulletin.cases'),
        t('bulletin.share'),
        t('bulletin.shareChange'),
      ]}
      numberColumns={ranked ? [0, 2, 3, 4] : [1, 2, 3]}
    >
      {rows.map((r, i) => (
        <tr key={r.key} data-key={r.key}>
          {ranked && <td className="number">{f.number(i + 1)}</td>}
          <th scope="row">{r.label}</th>
          <NumberCells
            values={[
              f.number(r.count),
              f.percent(r.share),
              t('reports.points', { value: f.points(r.shareChange) }),
            ]}
          />
        </tr>
      ))}
    </ReportTable>
  );
}

function BulletinView({ bulletin }: { bulletin: Bulletin }) {
  const { t, language, f } = useReportLanguage();
  const id = useId();
  const platforms = useMemo(
    () =>
      bulletin.platformShares.map((s) => ({
        ...s,
        label: platformGroupName(t, s.key, s.name, language),
      })),
    [bulletin, t, language],
  );
  const types = useMemo(
    () =>
      bulletin.topScamTypes.map((s) => ({
        ...s,
        label: scamTypeName(t, s.key, s.name, language),
      })),
    [bulletin, t, language],
  );
  const hasFraud = bulletin.confirmedFraud.current > 0;
  const api = `/api/v1/bulletins/${encodeURIComponent(bulletin.week)}`;

  return (
    <>
      <ReportSection id={`${id}-overview`} heading={t('bulletin.overviewHeading')}>
        <ChangeTable
          testId="bulletin-summary"
          head={[
            t('bulletin.figure'),
            t('bulletin.thisWeek'),
            t('bulletin.lastWeek'),
            t('bulletin.change'),
          ]}
          rows={[
            { name: t('stats.reports'), change: bulletin.reports },
            { name: t('bulletin.confirmedFraud'), change: bulletin.confirmedFraud },
          ]}
        />
        <p>
          {bulletin.cumulative.since === null
            ? t('bulletin.cumulativeNone')
            : t('bulletin.cumulative', {
                since: f.day(bulletin.cumulative.since),
                reports: f.number(bulletin.cumulative.reports),
                fraud: f.number(bulletin.cumulative.confirmedFraud),
              })}
        </p>
      </ReportSection>

      <ReportSection id={`${id}-platforms`} heading={t('bulletin.platformsHeading')}>
        {hasFraud ? (
          <Chart
            option={shareChart(platforms)}
            height={56 + 36 * platforms.length}
            testId="chart-bulletin-platforms"
            label={chartLabel(t, f, t('bulletin.platformsHeading'), platforms)}
          />
        ) : (
          <p>{t('bulletin.noFraud')}</p>
        )}
        <ShareTable
          rows={platforms}
          header={t('bulletin.platform')}
          ranked={false}
          testId="bulletin-platforms"
        />
      </ReportSection>

      <ReportSection id={`${id}-types`} heading={t('bulletin.typesHeading')}>
        {types.length === 0 ? (
          <p>{t('bulletin.noFraud')}</p>
        ) : (
          <>
            <Chart
              option={shareChart(types)}
              height={56 + 36 * types.length}
              testId="chart-bulletin-types"
              label={chartLabel(t, f, t('bulletin.typesHeading'), types)}
            />
            <ShareTable
              rows={types}
              header={t('bulletin.scamType')}
              ranked
              testId="bulletin-types"
            />
          </>
        )}
      </ReportSection>

      <ReportSection
        id={`${id}-keywords`}
        heading={t('bulletin.keywordsHeading')}
        note={t('bulletin.keywordsNote')}
      >
        {bulletin.hotKeywords.length === 0 ? (
          <p>{t('bulletin.noKeywords')}</p>
        ) : (
          <ReportTable
            testId="bulletin-keywords"
            head={[
              t('bulletin.rank'),
              t('bulletin.keyword'),
              t('bulletin.cases'),
              t('bulletin.expected'),
              t('bulletin.score'),
            ]}
            numberColumns={[0, 2, 3, 4]}
          >
            {bulletin.hotKeywords.map((k, i) => (
              <tr key={k.keyword}>
                <td className="number">{f.number(i + 1)}</td>
                <th scope="row">{k.keyword}</th>
                <NumberCells
                  values={[f.number(k.count), f.decimal(k.expected), f.decimal(k.score)]}
                />
              </tr>
            ))}
          </ReportTable>
        )}
      </ReportSection>

      <ReportSection id={`${id}-entities`} heading={t('bulletin.impersonatedHeading')}>
        {bulletin.topImpersonated.length === 0 ? (
          <p>{t('bulletin.noImpersonated')}</p>
        ) : (
          <ReportTable
            testId="bulletin-impersonated"
            head={[
              t('bulletin.rank'),
              t('bulletin.name'),
              t('bulletin.thisWeek'),
              t('bulletin.lastWeek'),
            ]}
            numberColumns={[0, 2, 3]}
          >
            {bulletin.topImpersonated.map((e, i) => (
              <tr key={e.entityId}>
                <td className="number">{f.number(i + 1)}</td>
                <th scope="row">{e.name[language]}</th>
                <NumberCells values={[e.count, e.previousCount].map(f.number)} />
              </tr>
            ))}
          </ReportTable>
        )}
      </ReportSection>

      <ReportSection id={`${id}-reminders`} heading={t('bulletin.remindersHeading')}>
        {bulletin.reminders.length === 0 ? (
          <p>{t('bulletin.noReminders')}</p>
        ) : (
          bulletin.reminders.map((r, i) => (
            <p key={i} className="bulletin__reminder">
              {r}
            </p>
          ))
        )}
      </ReportSection>

      <p className="report-links">
        <Link to="/bulletins">{t('bulletin.allBulletins')}</Link>
        {' · '}
        {t('reports.downloads')} <a href={api}>JSON</a> · <a href={`${api}/csv`}>CSV</a> ·{' '}
        <a href={BULLETIN_FEED} type="application/atom+xml">
          Atom
        </a>
      </p>
    </>
  );
}

/**
 * `/bulletins/:week`: the weekly bulletin (週快訊) of a week (`2026-W49`), from
 * GET /api/v1/bulletins/{week} — the published snapshot, or a draft computed now (said so on the
 * page). Reports and confirmed scams against last week, the platform-group shares and top scam
 * types of the confirmed scams (each as a chart with a text alternative and as a table), hot
 * keywords, the most impersonated parties and the analysts' reminders, all named in the UI
 * language (platforms and scam types from the UI's strings, never their identifiers).
 */
export function BulletinPage() {
  const { t, f } = useReportLanguage();
  const week = useParams().week ?? '';
  const valid = parseWeek(week) !== null;
  const loaded = useLoad((signal) => getBulletin(week, signal), [week], { skip: !valid });
  const label = weekLabel(t, week);
  useDocumentTitle(
    valid ? `${t('bulletin.title')}${t('bulletin.titleSeparator')}${label}` : t('bulletin.title'),
  );
  const bulletin = loadedData(loaded.state);

  return (
    <>
      <h1 tabIndex={-1}>
        {t('bulletin.title')}
        {valid && (
          <>
            {t('bulletin.titleSeparator')}
            <span className="nowrap" data-testid="week-label">
              {label}
            </span>
          </>
        )}
      </h1>
      <ReportsNav />
      {!valid && <p className="alert alert--error">{t('bulletin.invalidWeek')}</p>}
      {valid && <LoadStatus state={loaded.state} />}
      {bulletin !== null && (
        <>
          <p className="lead" data-testid="bulletin-period">
            <DateRange
              from={f.day(bulletin.period.startDate)}
              to={f.day(bulletin.period.endDate)}
            />
          </p>
          {bulletin.status === 'published' && bulletin.publishedAt !== null ? (
            <p>{t('bulletin.publishedAt', { when: f.instant(bulletin.publishedAt) })}</p>
          ) : (
            <p className="alert alert--info">{t('bulletin.draft')}</p>
          )}
          <BulletinView bulletin={bulletin} />
        </>
      )}
    </>
  );
}
