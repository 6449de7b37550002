import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { addDays, getPublicStats, taipeiDate, type Change, type PublicStats } from '../api-stats';
import { SCAM_TYPES } from '../api-workflow';
import { PLATFORMS } from '../api';
import { SOURCE_KINDS } from '../api-admin';
import type { ChartOption } from '../components/echart';
import { Chart } from '../components/lazy-chart';
import { ReportsNav } from '../components/reports-nav';
import { ReportSection, useSectionHeadingId } from '../components/report-table';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { toLanguage, type Language } from '../i18n';
import { isOneOf } from '../reader';
import { PLATFORM_GROUPS, percentFormats } from '../report-format';
import '../stats.css';
import {
  barLabel,
  barOption,
  rowsOf,
  totalOf,
  verdictOption,
  type GroupRow,
} from '../stats-charts';
import { useLoad } from '../use-load';
import { DataTable } from '../components/data-table';

/** The periods a visitor can pick, in days ending today (Taipei). */
const PERIODS = [7, 30] as const;
type PeriodDays = (typeof PERIODS)[number];

function useFormatters(language: Language) {
  return useMemo(() => {
    const number = new Intl.NumberFormat(language);
    const { percent, signedPercent: signed } = percentFormats(language);
    return {
      number: (n: number) => number.format(n),
      share: (part: number, whole: number) => (whole === 0 ? '—' : percent.format(part / whole)),
      change: (c: Change) =>
        c.changePercent === null ? '—' : signed.format(c.changePercent / 100),
    };
  }, [language]);
}

/**
 * The cells of a figure against the period before: its count now, its share of `whole` (empty
 * when it has none), its count before and the change.
 */
function ChangeCells({ change: c, whole }: { change: Change; whole: number | null }) {
  const { i18n } = useTranslation();
  const f = useFormatters(toLanguage(i18n.language));
  return (
    <>
      <td>{f.number(c.current)}</td>
      <td>{whole === null ? '' : f.share(c.current, whole)}</td>
      <td>{f.number(c.previous)}</td>
      <td>{f.change(c)}</td>
    </>
  );
}

/** A table of figures (`table--numbers`) named by the heading of its ReportSection. */
function NumbersTable({
  testId,
  head,
  children,
}: {
  testId: string;
  head: readonly ReactNode[];
  children: ReactNode;
}) {
  const labelledBy = useSectionHeadingId();
  return (
    <DataTable labelledBy={labelledBy} testId={testId} className="table table--numbers" head={head}>
      {children}
    </DataTable>
  );
}

/** A table of verdict counts per group (scam type or platform), with totals and shares. */
function GroupTable({
  rows,
  groupHeader,
  extra,
  testId,
}: {
  rows: GroupRow[];
  groupHeader: string;
  extra?: { header: string; values: Record<string, number> };
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const f = useFormatters(toLanguage(i18n.language));
  const grand = rows.reduce((sum, r) => sum + r.total, 0);
  return (
    <NumbersTable
      testId={testId}
      head={[
        groupHeader,
        ...(extra === undefined ? [] : [extra.header]),
        t('stats.fraud'),
        t('stats.highRisk'),
        t('stats.notFraud'),
        t('stats.total'),
        t('stats.share'),
      ]}
    >
      {rows.map((r) => (
        <tr key={r.key} data-key={r.key}>
          <th scope="row">{r.name}</th>
          {extra !== undefined && <td>{f.number(extra.values[r.key] ?? 0)}</td>}
          <td>{f.number(r.fraud)}</td>
          <td>{f.number(r.highRisk)}</td>
          <td>{f.number(r.notFraud)}</td>
          <td>{f.number(r.total)}</td>
          <td>{f.share(r.total, grand)}</td>
        </tr>
      ))}
    </NumbersTable>
  );
}

/**
 * A section of verdict counts per group: its heading, the bar chart (when there is one) with its
 * text alternative, and the same figures in a table.
 */
function GroupSection({
  id,
  heading,
  rows,
  chart,
  ...table
}: {
  id: string;
  heading: string;
  rows: GroupRow[];
  chart: { option: ChartOption; testId: string } | null;
  groupHeader: string;
  extra?: { header: string; values: Record<string, number> };
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const f = useFormatters(toLanguage(i18n.language));
  return (
    <ReportSection id={id} heading={heading}>
      {chart !== null && (
        <Chart
          option={chart.option}
          height={72 + 40 * Math.max(1, rows.filter((r) => r.total > 0).length)}
          testId={chart.testId}
          label={barLabel(rows, heading, t, f.number)}
        />
      )}
      <GroupTable rows={rows} {...table} />
    </ReportSection>
  );
}

function StatsView({ stats }: { stats: PublicStats }) {
  const { t, i18n } = useTranslation();
  const language = toLanguage(i18n.language);
  const f = useFormatters(language);
  const id = useId();
  const decided = totalOf(stats.confirmed);
  const changeHead = [
    t('stats.count'),
    t('stats.share'),
    t('stats.previous'),
    t('stats.changePercent'),
  ];

  const scamTypeRows = useMemo(
    () =>
      rowsOf(stats.byScamType, (g) => {
        if (isOneOf(SCAM_TYPES, g.key)) return t(`scamType.${g.key}`);
        if (g.key === 'unclassified') return t('stats.unclassified');
        return g.name[language];
      }).sort((a, b) => b.total - a.total),
    [stats, t, language],
  );
  const platformRows = useMemo(
    () =>
      rowsOf(stats.byPlatform, (g) =>
        isOneOf(PLATFORM_GROUPS, g.key) ? t(`stats.platformGroup.${g.key}`) : g.name[language],
      ),
    [stats, t, language],
  );
  const reportsByGroup = useMemo(
    () => Object.fromEntries(stats.byPlatform.map((g) => [g.key, g.reports.current])),
    [stats],
  );

  const verdicts = useMemo(() => verdictOption(stats, t, f.share), [stats, t, f]);
  const scamTypeOption = useMemo(() => barOption(scamTypeRows, t), [scamTypeRows, t]);
  const platformOption = useMemo(() => barOption(platformRows, t), [platformRows, t]);

  return (
    <>
      <ReportSection id={`${id}-summary`} heading={t('stats.summaryHeading')}>
        <NumbersTable testId="stats-summary" head={[t('stats.figure'), ...changeHead]}>
          {(
            [
              ['reports', stats.reports, null],
              ['newCases', stats.newCases, null],
              ['fraud', stats.confirmed.fraud, decided],
              ['highRisk', stats.confirmed.highRisk, decided],
              ['notFraud', stats.confirmed.notFraud, decided],
            ] as const
          ).map(([key, c, whole]) => (
            <tr key={key} data-key={key}>
              <th scope="row">{t(`stats.${key}`)}</th>
              <ChangeCells change={c} whole={whole} />
            </tr>
          ))}
        </NumbersTable>
      </ReportSection>

      <ReportSection id={`${id}-verdicts`} heading={t('stats.verdictHeading')}>
        <p className="field__hint">{t('stats.verdictNote')}</p>
        {decided === 0 ? (
          <p>{t('stats.noDecisions')}</p>
        ) : (
          <Chart
            option={verdicts}
            height={300}
            testId="chart-verdicts"
            label={t('stats.verdictChartLabel', {
              fraud: f.share(stats.confirmed.fraud.current, decided),
              highRisk: f.share(stats.confirmed.highRisk.current, decided),
              notFraud: f.share(stats.confirmed.notFraud.current, decided),
            })}
          />
        )}
      </ReportSection>

      <GroupSection
        id={`${id}-types`}
        heading={t('stats.byScamTypeHeading')}
        rows={scamTypeRows}
        chart={decided > 0 ? { option: scamTypeOption, testId: 'chart-scam-types' } : null}
        groupHeader={t('stats.scamType')}
        testId="table-scam-types"
      />

      <GroupSection
        id={`${id}-platforms`}
        heading={t('stats.byPlatformHeading')}
        rows={platformRows}
        chart={decided > 0 ? { option: platformOption, testId: 'chart-platforms' } : null}
        groupHeader={t('stats.platform')}
        extra={{ header: t('stats.reports'), values: reportsByGroup }}
        testId="table-platforms"
      />

      <ReportSection id={`${id}-sources`} heading={t('stats.bySourceHeading')}>
        <NumbersTable testId="table-sources" head={[t('stats.source'), ...changeHead]}>
          {stats.bySource.map((s) => (
            <tr key={s.sourceKind} data-key={s.sourceKind}>
              <th scope="row">
                {isOneOf(SOURCE_KINDS, s.sourceKind)
                  ? t(`sourceKind.${s.sourceKind}`)
                  : s.name[language]}
              </th>
              <ChangeCells change={s.reports} whole={stats.reports.current} />
            </tr>
          ))}
        </NumbersTable>
      </ReportSection>

      {stats.adDisclosure.length > 0 && (
        <ReportSection id={`${id}-ads`} heading={t('stats.adDisclosureHeading')}>
          <p className="field__hint">{t('stats.adDisclosureNote')}</p>
          <NumbersTable
            testId="table-ad-disclosure"
            head={[t('stats.platform'), t('stats.ads'), t('stats.missingDisclosure')]}
          >
            {stats.adDisclosure.map((a) => (
              <tr key={a.platform} data-key={a.platform}>
                <th scope="row">
                  {isOneOf(PLATFORMS, a.platform) ? t(`platform.${a.platform}`) : a.platform}
                </th>
                <td>{f.number(a.ads)}</td>
                <td>{f.number(a.missingDisclosure)}</td>
              </tr>
            ))}
          </NumbersTable>
        </ReportSection>
      )}
    </>
  );
}

/**
 * `/stats`: public statistics of the last 7 or 30 Taipei days (`?days=30`), from
 * GET /api/v1/stats — reports and new cases, the shares of fraud / high risk / not fraud among
 * the cases decided, and the decisions by scam type and by platform. Each chart (Apache ECharts,
 * SVG) has a text alternative and its numbers in a table.
 */
export function StatsPage() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [searchParams, setSearchParams] = useSearchParams();
  const days: PeriodDays = searchParams.get('days') === '30' ? 30 : 7;
  useDocumentTitle(t('stats.title'));

  const { state } = useLoad(
    (signal) => {
      const to = taipeiDate(Date.now());
      return getPublicStats(addDays(to, -(days - 1)), to, signal);
    },
    [days],
  );

  const language = toLanguage(i18n.language);
  const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
  const formatDate = (date: string) => dateFormat.format(new Date(`${date}T00:00:00Z`));

  return (
    <>
      <h1 tabIndex={-1}>{t('stats.title')}</h1>
      <ReportsNav />
      <p className="lead">{t('stats.intro')}</p>
      <div className="period-switch" role="group" aria-labelledby={`${id}-period`}>
        <span id={`${id}-period`} className="period-switch__label">
          {t('stats.periodLabel')}
        </span>
        {PERIODS.map((n) => (
          <button
            key={n}
            type="button"
            className="button button--secondary"
            aria-pressed={days === n}
            onClick={() =>
              setSearchParams((params) => {
                const next = new URLSearchParams(params);
                if (n === 7) next.delete('days');
                else next.set('days', String(n));
                return next;
              })
            }
          >
            {n === 7 ? t('stats.last7') : t('stats.last30')}
          </button>
        ))}
      </div>
      <div aria-live="polite">
        {state.phase === 'loading' && <p role="status">{t('common.loading')}</p>}
        {state.phase === 'failed' && (
          <p className="alert alert--error">{errorText(t, state.error)}</p>
        )}
        {state.phase === 'done' && (
          <p className="stats__period" data-testid="stats-period">
            {t('stats.period', {
              from: formatDate(state.data.period.startDate),
              to: formatDate(state.data.period.endDate),
              days: state.data.period.days,
            })}{' '}
            {t('common.timeZoneNote')}
          </p>
        )}
      </div>
      {state.phase === 'done' && (
        <>
          <p className="field__hint">{t('stats.chartNote')}</p>
          <StatsView stats={state.data} />
        </>
      )}
    </>
  );
}
