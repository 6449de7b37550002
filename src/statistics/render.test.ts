import { describe, expect, it } from 'vitest';
import { barChartSvg } from './charts.js';
import { escapeHtml } from './html-escape.js';

describe('escaping', () => {
  it('escapes HTML special characters', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;',
    );
  });
});

describe('barChartSvg (ECharts server-side SVG)', () => {
  it('is deterministic, script-free and labelled', () => {
    const bars = [
      { label: 'Meta', value: 60 },
      { label: '<b>LINE</b>', value: 40 },
    ];
    const a = barChartSvg('平台 <占比>', bars);
    const b = barChartSvg('平台 <占比>', bars);
    expect(a).toBe(b);
    expect(a).toMatch(/^<svg role="img" aria-label="平台 &lt;占比&gt;"/);
    expect(a).not.toMatch(/<script|<style|ecmeta_|zr\d+-cls/);
    expect(a).toContain('&lt;b&gt;LINE&lt;/b&gt;');
    expect(a).not.toContain('<b>');
  });
});
