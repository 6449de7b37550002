/**
 * The ECharts options of the statistics page (pure: no React), from GET /api/v1/stats figures:
 * the share of each decision as a ring, and decisions per group (scam type, platform) as
 * stacked bars, with the text alternatives of the bars.
 */
import type { TFunction } from 'i18next';
import type { GroupStats, PublicStats, VerdictCounts } from './api-stats';
import type { ChartOption } from './components/echart';

/** Chart colours of the decisions: the status colours of DESIGN.md, ≥ 3:1 against white. */
const VERDICT_COLOURS = { fraud: '#b42318', highRisk: '#a16207', notFraud: '#166534' } as const;
const VERDICT_KEYS = ['fraud', 'highRisk', 'notFraud'] as const;
type VerdictKey = (typeof VERDICT_KEYS)[number];

/** One group's decisions in the period (a bar, a table row). */
export interface GroupRow {
  key: string;
  name: string;
  fraud: number;
  highRisk: number;
  notFraud: number;
  total: number;
}

/** Cases decided: fraud, high risk and not fraud together. */
export function totalOf(v: VerdictCounts): number {
  return v.fraud.current + v.highRisk.current + v.notFraud.current;
}

/** The rows of `groups`, named by `nameOf`. */
export function rowsOf(groups: GroupStats[], nameOf: (g: GroupStats) => string): GroupRow[] {
  return groups.map((g) => ({
    key: g.key,
    name: nameOf(g),
    fraud: g.fraud.current,
    highRisk: g.highRisk.current,
    notFraud: g.notFraud.current,
    total: totalOf(g),
  }));
}

/** The decisions per group as horizontal stacked bars, largest at the top; empty groups left out. */
export function barOption(rows: GroupRow[], t: TFunction): ChartOption {
  // Largest at the top: ECharts draws the first category at the bottom of a vertical axis.
  const shown = rows.filter((r) => r.total > 0).reverse();
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { fontSize: 14 } },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: shown.map((r) => r.name),
      axisLabel: { fontSize: 13, width: 96, overflow: 'break' },
    },
    series: VERDICT_KEYS.map((key) => ({
      type: 'bar' as const,
      name: t(`stats.${key}`),
      stack: 'decisions',
      itemStyle: { color: VERDICT_COLOURS[key] },
      emphasis: { focus: 'series' as const },
      data: shown.map((r) => r[key]),
    })),
  };
}

/** The text alternative of a bar chart: its title and each group's total. */
export function barLabel(
  rows: GroupRow[],
  title: string,
  t: TFunction,
  format: (n: number) => string,
) {
  const items = rows
    .filter((r) => r.total > 0)
    .map((r) => t('stats.barItem', { name: r.name, total: format(r.total) }))
    .join(t('stats.listSeparator'));
  return t('stats.barChartLabel', { title, items });
}

/** The decisions as a ring, each one's share (`share(part, whole)`, formatted) in the legend. */
export function verdictOption(
  stats: PublicStats,
  t: TFunction,
  share: (part: number, whole: number) => string,
): ChartOption {
  // Shares go in the legend, not beside the slices: slice labels collide on a phone and when a
  // share is 0.
  const shareOf = new Map(
    VERDICT_KEYS.map((key) => [
      t(`stats.${key}`),
      share(stats.confirmed[key].current, totalOf(stats.confirmed)),
    ]),
  );
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: {
      bottom: 0,
      textStyle: { fontSize: 14 },
      formatter: (name: string) => `${name} ${shareOf.get(name) ?? ''}`,
    },
    series: [
      {
        type: 'pie',
        radius: ['40%', '72%'],
        center: ['50%', '44%'],
        label: { show: false },
        labelLine: { show: false },
        data: VERDICT_KEYS.map((key: VerdictKey) => ({
          name: t(`stats.${key}`),
          value: stats.confirmed[key].current,
          itemStyle: { color: VERDICT_COLOURS[key] },
        })),
      },
    ],
  };
}
