// Percentiles and latency thresholds of the realtime gate: table-driven, with the display strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evaluateThreshold,
  formatLatency,
  parseThreshold,
  percentile,
  summarize,
  ThresholdSyntaxError,
} from '../../checks/realtime/latency.js';

const percentiles: [number[], number, number][] = [
  [[5], 50, 5],
  [[5], 95, 5],
  [[1, 2, 3, 4, 5], 50, 3],
  [[5, 4, 3, 2, 1], 50, 3],
  [[1, 2, 3, 4, 5], 95, 5],
  [[1, 2, 3, 4, 5], 20, 1],
  [[1, 2, 3, 4, 5], 21, 2],
  [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90, 90],
  [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 95, 100],
  [[1, 2, Infinity], 50, 2],
  [[1, 2, Infinity], 95, Infinity],
];
for (const [samples, p, expected] of percentiles) {
  test(`nearest-rank p${p} of [${samples.join(', ')}] is ${expected}`, () => {
    assert.equal(percentile(samples, p), expected);
  });
}

test('summarize gives p50, p95, max, min and the count', () => {
  assert.deepEqual(summarize([3, 1, 2, 10, 4]), { n: 5, p50: 3, p95: 10, max: 10, min: 1 });
});

const good: [string, { stat: string; op: string; limitMs: number }][] = [
  ['p95 < 1s', { stat: 'percentile:95', op: '<', limitMs: 1000 }],
  ['p50<=200ms', { stat: 'percentile:50', op: '<=', limitMs: 200 }],
  ['p(99) < 1.5s', { stat: 'percentile:99', op: '<', limitMs: 1500 }],
  ['p99.9 < 2s', { stat: 'percentile:99.9', op: '<', limitMs: 2000 }],
  ['max < 3s', { stat: 'max', op: '<', limitMs: 3000 }],
  ['median < 100', { stat: 'percentile:50', op: '<', limitMs: 100 }],
  ['avg < 250ms', { stat: 'mean', op: '<', limitMs: 250 }],
  ['  P95   <   1s ', { stat: 'percentile:95', op: '<', limitMs: 1000 }],
  ['mean <= 1m', { stat: 'mean', op: '<=', limitMs: 60_000 }],
  ['med < 2s', { stat: 'percentile:50', op: '<', limitMs: 2000 }],
];
for (const [source, want] of good) {
  test(`threshold ${JSON.stringify(source)} parses`, () => {
    const t = parseThreshold(source);
    const stat = t.statistic.kind === 'percentile' ? `percentile:${t.statistic.p}` : t.statistic.kind;
    assert.deepEqual({ stat, op: t.operator, limitMs: t.limitMs }, want);
  });
}

// The same language and messages as the load gate's thresholds (src/lang/thresholds.ts), restricted to latency.
const bad: [string, RegExp][] = [
  ['p95 > 1s', /operator ">" at column 5 is not allowed here \(a latency threshold is an upper bound\) \(operators: < <=\)/],
  ['p95 < soon', /expected a number at column 7, got "soon"/],
  ['p0 < 1s', /percentile 0 is out of range; expected 0 < p <= 100/],
  ['p101 < 1s', /percentile 101 is out of range; expected 0 < p <= 100/],
  [
    'latency < 1s',
    /unknown metric "latency" \(metrics: p50, p90, p95, p97.5, p99, p99.9, avg, min, med, max, or any pN \/ p\(N\)\)/,
  ],
  ['errors < 1%', /metric "errors" is not measured here/],
  ['p95 1s', /expected an operator \(< <=\) at column 5, got "1"/],
  ['p95 < 5%', /p95 is a duration, not a percentage/],
  ['', /empty threshold; expected something like "p95 < 200ms"/],
];
for (const [source, message] of bad) {
  test(`threshold ${JSON.stringify(source)} is rejected with a clear message`, () => {
    assert.throws(
      () => parseThreshold(source),
      (err: unknown) => err instanceof ThresholdSyntaxError && message.test(err.message),
    );
  });
}

const evaluations: [string, number[], boolean, string][] = [
  ['p95 < 1s', [3, 4, 5, 6, 7], true, 'p95 (7ms) < 1s'],
  ['p50 < 1s', [3010, 3020, 3030], false, 'p50 (3.02s) < 1s'],
  ['max <= 7ms', [3, 7], true, 'max (7ms) <= 7ms'],
  ['max < 7ms', [3, 7], false, 'max (7ms) < 7ms'],
  ['p95 < 1s', [3, 4, Infinity], false, 'p95 (not observed) < 1s'],
  ['p50 < 1s', [3, 4, Infinity], true, 'p50 (4ms) < 1s'],
];
for (const [source, samples, ok, display] of evaluations) {
  test(`${source} over [${samples.join(', ')}] → ${ok ? 'met' : 'not met'}: ${display}`, () => {
    const o = evaluateThreshold(parseThreshold(source), samples);
    assert.equal(o.ok, ok);
    assert.equal(o.display, display);
  });
}

test('a threshold over no samples is never met', () => {
  assert.equal(evaluateThreshold(parseThreshold('p95 < 1s'), []).ok, false);
});

test('latencies are shown in ms below a second and with two decimals in seconds', () => {
  assert.equal(formatLatency(4), '4ms');
  assert.equal(formatLatency(0.4), '0.40ms');
  assert.equal(formatLatency(3042), '3.04s');
  assert.equal(formatLatency(Infinity), 'not observed');
});
