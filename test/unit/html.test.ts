// The HTML report from a result tree: self-contained, escaped, baseline changes marked, charts drawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyBaseline } from '../../src/baseline.js';
import { renderHtml } from '../../src/report/html.js';
import type { CheckResult, RunResult } from '../../src/result.js';
import { summaryCharts, thresholdCharts } from '../../checks/load/charts.js';

const run = (checks: Partial<CheckResult>[], verdict: RunResult['verdict'] = 'pass'): RunResult => ({
  schemaVersion: 1,
  tool: { name: 'shipgate', version: 't' },
  profile: { name: 'p', path: 'p.yaml' },
  target: { baseUrl: 'http://x' },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1000,
  verdict,
  failOn: 'fail',
  gates: [
    {
      id: 'load',
      title: 'Load thresholds',
      status: 'pass',
      durationMs: 1,
      checks: checks.map((c) => ({
        id: 'load.summary.api',
        title: 'Load summary (GET /api)',
        status: 'pass',
        severity: 'high',
        message: 'm',
        durationMs: 0,
        ...c,
      })) as CheckResult[],
    },
  ],
});

test('with a baseline, the changes are listed and the changed checks are marked', () => {
  const before = run([
    { metrics: { p50Ms: 10, p95Ms: 20, p99Ms: 30 } },
    { id: 'load.threshold.api.p95', title: 'p95 < 200ms', status: 'pass', metrics: { observed: 20, threshold: 200 } },
  ]);
  const after = run(
    [
      {
        metrics: { p50Ms: 10, p95Ms: 300, p99Ms: 400 },
        series: { rps: [100, 90, 95] },
        charts: summaryCharts('GET /api', { p50Ms: 10, p95Ms: 300, p99Ms: 400 }, [100, 90, 95]),
      },
      {
        id: 'load.threshold.api.p95',
        title: 'p95 < 200ms',
        status: 'fail',
        metrics: { observed: 300, threshold: 200 },
        charts: thresholdCharts('latency', 'p95 < 200ms', 200),
      },
    ],
    'fail',
  );
  const html = renderHtml(applyBaseline(after, before, 'first.json', { failOnRegression: false }));
  assert.match(html, /<h2 id="baseline-h">Changes since baseline<\/h2>/);
  assert.match(html, /<li>newly fail: load\.threshold\.api\.p95 \(was pass\)<\/li>/);
  assert.match(html, /data-id="load\.threshold\.api\.p95" open>\s*<summary>.*class="changed"/);
  assert.match(html, /data-chart="load-latency"/);
  assert.equal((html.match(/class="threshold"/g) ?? []).length, 1);
  assert.match(html, /data-chart="load-rps"/);
});

test('the page fetches nothing and escapes what the target sent', () => {
  const html = renderHtml(
    run(
      [{ status: 'fail', message: '<script>alert(1)</script>', evidence: { body: '</pre><img src=x onerror=alert(1)>' } }],
      'fail',
    ),
  );
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<img src=x/);
  assert.doesNotMatch(html, /(src|href)="https?:/);
  assert.match(html, /default-src 'none'/);
});

test("the HTML report draws any gate's chart specs, knowing nothing of the gate (no parsing of messages)", () => {
  const result = run([
    {
      id: 'toy.metric',
      title: 'Toy',
      message: 'nothing to parse here',
      charts: [
        {
          kind: 'line',
          id: 'toy-line',
          title: 'Toy <b>line</b>',
          xLabel: 'x',
          yLabel: 'y',
          series: [
            {
              label: 'a',
              points: [
                { x: 1, y: 2 },
                { x: 2, y: 3 },
              ],
            },
          ],
          rules: [{ label: 'limit', y: 2.5 }],
        },
        {
          kind: 'bars',
          id: 'toy-bars',
          title: 'Toy bars',
          bars: [
            { label: 'plus', value: 5 },
            { label: 'minus', value: -3 },
          ],
        },
        { kind: 'grade', id: 'toy-grade', grade: 'B+', score: 80, status: 'pass' },
      ],
    },
  ]);
  result.gates[0].id = 'toy';
  const html = renderHtml(result);
  assert.match(html, /data-chart="toy-line"/);
  assert.match(html, /Toy &lt;b&gt;line&lt;\/b&gt;/);
  assert.equal((html.match(/class="threshold"/g) ?? []).length, 1);
  assert.match(html, /data-chart="toy-bars"/);
  assert.match(html, /<div class="grade s-pass" aria-label="grade B\+"><span>B\+<\/span>/);
});
