// The load gate's charts, recorded as data on its checks (src/result.ts ChartSpec): the latency
// percentile curve of each endpoint with a rule per latency threshold, and requests per second.
import type { ChartSpec } from '../../src/result.js';

const PERCENTILE_METRIC = /^p(\d+(?:_\d+)?)Ms$/;
const LATENCY = 'load-latency';

/** The tail matters: p50, p90, p99, p99.9 are spaced evenly, as in HdrHistogram plots. */
function percentileX(p: number): number {
  return -Math.log10(Math.max(1e-4, 1 - p / 100));
}

/** One endpoint's curve (from its summary metrics) and its throughput per second. */
export function summaryCharts(label: string, metrics: Record<string, number>, rps: number[]): ChartSpec[] {
  const points = Object.entries(metrics)
    .filter(([k]) => PERCENTILE_METRIC.test(k))
    .map(([k, y]) => ({ p: Number(PERCENTILE_METRIC.exec(k)![1].replace('_', '.')), y }))
    .sort((a, b) => a.p - b.p);
  const charts: ChartSpec[] = [];
  if (points.length > 1) {
    charts.push({
      kind: 'line',
      id: LATENCY,
      title: 'Latency distribution (percentiles, ms)',
      xLabel: 'percentile (log scale of the tail)',
      yLabel: 'ms',
      series: [{ label, points: points.map(({ p, y }) => ({ x: percentileX(p), y })) }],
      xTicks: points.map(({ p }) => ({ x: percentileX(p), label: `p${p}` })),
    });
  }
  if (rps.length) {
    const perSecond = rps.map((y, i) => ({ x: i + 1, y }));
    charts.push({
      kind: 'line',
      id: 'load-rps',
      title: 'Requests per second over time',
      xLabel: 'second',
      yLabel: 'req/s',
      series: [{ label, points: perSecond }],
      xTicks: perSecond.map((p) => ({ x: p.x, label: `${p.x}s` })),
    });
  }
  return charts;
}

/** A latency threshold as a rule on the latency chart (other thresholds have no line to draw). */
export function thresholdCharts(kind: string, title: string, valueMs: number): ChartSpec[] {
  if (kind !== 'latency') return [];
  return [
    {
      kind: 'line',
      id: LATENCY,
      title: 'Latency distribution (percentiles, ms)',
      xLabel: 'percentile (log scale of the tail)',
      yLabel: 'ms',
      series: [],
      rules: [{ label: title, y: valueMs }],
    },
  ];
}
