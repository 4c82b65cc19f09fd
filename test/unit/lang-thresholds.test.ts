// One threshold language for every gate: the load gate takes all of it, the realtime gate a subset
// (latency, upper bounds). The same text means the same thing, and a mistake reads the same, in both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseThreshold as parseLatency } from '../../checks/realtime/latency.js';
import { compileThreshold, FULL_DIALECT, ThresholdError } from '../../src/lang/thresholds.js';

// [text, metric, value in ms] — accepted by both gates, with the same meaning.
const shared: [string, string, number][] = [
  ['p95 < 1s', 'p95', 1000],
  ['p(99.9) <= 1.5s', 'p99.9', 1500],
  ['med < 200ms', 'med', 200],
  ['median < 200ms', 'med', 200],
  ['avg < 20ms', 'avg', 20],
  ['mean < 20ms', 'avg', 20],
  ['MAX < 2s', 'max', 2000],
  ['min < 800us', 'min', 0.8],
  ['p95 < 1m', 'p95', 60_000],
];
for (const [text, metric, ms] of shared) {
  test(`${JSON.stringify(text)} means ${metric} ≤/< ${ms}ms to both the load and the realtime gate`, () => {
    const t = compileThreshold(text);
    assert.equal(t.metric, metric);
    assert.equal(t.value, ms);
    assert.equal(parseLatency(text).limitMs, ms);
  });
}

// The same mistake, the same message, in both gates.
const mistakes: [string, string][] = [
  ['p95 < 200msx', '"p95 < 200msx": unknown unit "msx" at column 10'],
  ['p(101) < 1s', '"p(101) < 1s": percentile 101 is out of range; expected 0 < p <= 100, e.g. p95 or p(99.9)'],
  ['p95 < 5%', '"p95 < 5%": p95 is a duration, not a percentage: write e.g. 5ms'],
  ['p95 <', '"p95 <": missing value after "<"'],
  ['p(95 < 1s', '"p(95 < 1s": expected ")" at column 6 to close "p(95"'],
  ['p95 < fast', '"p95 < fast": expected a number at column 7, got "fast"'],
];
for (const [text, message] of mistakes) {
  test(`${JSON.stringify(text)} is rejected with the same message by load and realtime`, () => {
    for (const parse of [(s: string) => compileThreshold(s, FULL_DIALECT), parseLatency]) {
      assert.throws(
        () => parse(text),
        (err: unknown) => err instanceof ThresholdError && err.message.startsWith(message),
      );
    }
  });
}

// What only the realtime subset refuses (or reads differently).
const subset: [string, RegExp | number][] = [
  ['rps < 500', /metric "rps" is not measured here/],
  ['p95 >= 1s', /operator ">=" at column 5 is not allowed here \(a latency threshold is an upper bound\) \(operators: < <=\)/],
  ['p95 < 250', 250],
];
for (const [text, want] of subset) {
  test(`realtime subset: ${JSON.stringify(text)} → ${want}`, () => {
    if (typeof want === 'number') return assert.equal(parseLatency(text).limitMs, want);
    assert.throws(
      () => parseLatency(text),
      (err: unknown) => err instanceof ThresholdError && want.test(err.message),
    );
  });
}

test('load keeps a duration without unit an error (only the realtime subset reads bare numbers as ms)', () => {
  assert.throws(() => compileThreshold('p95 < 250'), /p95 is a duration: add a unit, e.g. 250ms or 250s/);
});
