import * as echarts from 'echarts';
import { escapeHtml } from './html-escape.js';

/** One bar of a chart: a label (escaped by the renderer) and a value. */
export interface Bar {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart as an SVG string, rendered on the server by Apache ECharts (SVG
 * renderer, server-side mode, no animation). The output is made deterministic and
 * script-free: ECharts' hover-style block, instance-numbered class names and `ecmeta_*`
 * attributes are removed. The SVG has `role="img"` and `aria-label` = `title`; the page shows the
 * same figures in a table, so nothing depends on the chart. Width and height are CSS pixels.
 */
export function barChartSvg(
  title: string,
  bars: readonly Bar[],
  options: { width?: number; unit?: string } = {},
): string {
  const width = options.width ?? 560;
  const height = 40 + bars.length * 34;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      grid: { left: 110, right: 56, top: 10, bottom: 24 },
      xAxis: { type: 'value', axisLabel: { color: '#333' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: bars.map((b) => b.label),
        axisLabel: { color: '#222', fontSize: 13 },
      },
      series: [
        {
          type: 'bar',
          data: bars.map((b) => b.value),
          itemStyle: { color: '#b3261e' },
          label: {
            show: true,
            position: 'right',
            color: '#222',
            formatter: `{c}${options.unit ?? ''}`,
          },
        },
      ],
    });
    const svg = chart.renderToSVGString();
    return svg
      .replace(/<style\b[\s\S]*?<\/style>/g, '')
      .replace(/ class="zr\d+-cls-\d+"/g, '')
      .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
      .replace('<svg ', `<svg role="img" aria-label="${escapeHtml(title)}" focusable="false" `);
  } finally {
    chart.dispose();
  }
}
