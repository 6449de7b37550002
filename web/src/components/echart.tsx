import { useEffect, useRef } from 'react';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what the statistics page draws, so the rest of ECharts stays out of the bundle. The SVG
// renderer needs no eval and no inline <style>, so the server's Content-Security-Policy holds.
use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** The ECharts options these charts may use (bar and pie series, grid, legend, tooltip). */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/**
 * An Apache ECharts chart drawn as SVG, filling the width of its container and redrawn when that
 * width changes (phones turning, the window resizing). The chart is one image to assistive
 * technology: `label` is its text alternative (keep the numbers in a table beside it too).
 * @param height CSS pixels.
 */
export function EChart({
  option,
  label,
  height,
  testId,
}: {
  option: ChartOption;
  label: string;
  height: number;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ReturnType<typeof init> | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const chart = init(element, null, { renderer: 'svg' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ height }}
    />
  );
}
