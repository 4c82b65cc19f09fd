import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyBaseline, compareWithBaseline, metricDirection } from '../../src/baseline.js';
import type { CheckResult, RunResult } from '../../src/result.js';

const run = (checks: Partial<CheckResult>[]): RunResult => ({
  schemaVersion: 1,
  tool: { name: 'shipgate', version: 't' },
  profile: { name: 'p', path: 'p.yaml' },
  target: { baseUrl: 'http://x' },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  verdict: 'pass',
  failOn: 'fail',
  gates: [
    {
      id: 'load',
      title: 'Load',
      status: 'pass',
      durationMs: 1,
      checks: checks.map((c) => ({
        id: 'load.threshold',
        title: 't',
        status: 'pass',
        severity: 'high',
        message: '',
        durationMs: 0,
        ...c,
      })) as CheckResult[],
    },
  ],
});

const directions: [string, number][] = [
  ['p95Ms', 1],
  ['p99', 1],
  ['avg', 1],
  ['errors', 1],
  ['errorRate', 1],
  ['rps', -1],
  ['score', -1],
  ['count', 0],
];
for (const [name, dir] of directions) test(`metric direction of ${name}`, () => assert.equal(metricDirection(name), dir));

test('latency worse by more than the tolerance is a regression; within it is not', () => {
  const before = run([{ title: 'p95 < 200ms', metrics: { p95Ms: 100, rps: 1000 } }]);
  assert.deepEqual(
    compareWithBaseline(run([{ title: 'p95 < 200ms', metrics: { p95Ms: 119, rps: 900 } }]), before, 'b.json').regressions,
    [],
  );
  const worse = compareWithBaseline(run([{ title: 'p95 < 200ms', metrics: { p95Ms: 150, rps: 700 } }]), before, 'b.json');
  assert.deepEqual(
    worse.regressions.map((r) => [r.metric, r.was, r.now, Math.round(r.worseBy * 100)]),
    [
      ['p95Ms', 100, 150, 50],
      ['rps', 1000, 700, 30],
    ],
  );
});

test('sub-unit changes are noise, whatever their percentage', () => {
  const r = compareWithBaseline(run([{ metrics: { p95Ms: 1.6 } }]), run([{ metrics: { p95Ms: 1 } }]), 'b.json');
  assert.deepEqual(r.regressions, []);
});

test('newly failing and fixed checks are listed', () => {
  const r = compareWithBaseline(
    run([
      { id: 'load.a', status: 'fail' },
      { id: 'load.b', status: 'pass' },
    ]),
    run([
      { id: 'load.a', status: 'pass' },
      { id: 'load.b', status: 'fail' },
    ]),
    'b.json',
  );
  assert.deepEqual(r.newlyFailing, [{ check: 'load.a', was: 'pass', now: 'fail' }]);
  assert.deepEqual(r.fixed, [{ check: 'load.b', was: 'fail', now: 'pass' }]);
});

test('--fail-on regression turns a regression into a failing check even when thresholds pass', () => {
  const out = applyBaseline(run([{ metrics: { p95Ms: 150 } }]), run([{ metrics: { p95Ms: 100 } }]), 'b.json', {
    failOnRegression: true,
  });
  assert.equal(out.verdict, 'fail');
  assert.match(out.gates.at(-1)!.checks[0].message, /regressed: load\.threshold p95Ms: 100 → 150 \(50 % worse\)/);
  assert.equal(
    applyBaseline(run([{ metrics: { p95Ms: 150 } }]), run([{ metrics: { p95Ms: 100 } }]), 'b.json', { failOnRegression: false })
      .verdict,
    'pass',
  );
});
