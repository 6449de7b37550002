import { Suspense, lazy } from 'react';
import type { ChartOption } from './echart';

// ECharts is loaded with the first chart, so the rest of the site does not download it.
const EChart = lazy(() => import('./echart').then((m) => ({ default: m.EChart })));

/**
 * An Apache ECharts chart (see EChart: one image with `label` as its text alternative), or an
 * empty box of its height while ECharts loads. `height` in CSS pixels.
 */
export function Chart(props: {
  option: ChartOption;
  label: string;
  height: number;
  testId: string;
}) {
  return (
    <Suspense fallback={<div className="chart" style={{ height: props.height }} />}>
      <EChart {...props} />
    </Suspense>
  );
}
