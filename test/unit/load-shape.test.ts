// load.tail and load.concurrency judged on constructed latency distributions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeConcurrency } from '../../checks/load/concurrency.js';
import { LatencyHistogram } from '../../checks/load/histogram.js';
import type { LoadStats } from '../../checks/load/stats.js';
import { judgeTail } from '../../checks/load/tail.js';

function stats(latencies: number[], rps: number): LoadStats {
  const latency = new LatencyHistogram();
  for (const ms of latencies) latency.record(ms);
  return {
    responses: latencies.length,
    errors: 0,
    badStatuses: 0,
    transportErrors: 0,
    attempts: latencies.length,
    timeouts: 0,
    seconds: 1,
    rps,
    statuses: { 200: latencies.length },
    latency,
    corrected: false,
  };
}

const repeat = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const tailOpts = { maxRatio: 4, minExcessMs: 50, minSamples: 100 };

test('tail: every 50th request stalls 700 ms → warn with the 2 % share; jitter of a few ms is no tail', () => {
  const spiky = judgeTail(
    stats(
      repeat(1000, (i) => (i % 50 === 49 ? 700 : 2)),
      500,
    ),
    tailOpts,
  );
  assert.equal(spiky.status, 'warn');
  assert.match(
    spiky.message,
    /^p99 700ms is 350\.0× p95 2\.00ms \(limit 4×\): 2\.0 % of requests \(20 of 1,000\) took over 52\.0ms, while p50 is 2\.00ms$/,
  );
  const jitter = judgeTail(
    stats(
      repeat(1000, (i) => (i % 50 === 49 ? 12 : 2)),
      500,
    ),
    tailOpts,
  );
  assert.equal(jitter.status, 'pass', jitter.message);
  assert.equal(
    judgeTail(
      stats(
        repeat(50, () => 2),
        50,
      ),
      tailOpts,
    ).status,
    'skip',
  );
  const bound = judgeTail(
    stats(
      repeat(2000, (i) => (i % 500 === 0 ? 400 : 2)),
      500,
    ),
    { ...tailOpts, maxP999Ms: 300 },
  );
  assert.equal(bound.status, 'warn');
  assert.match(bound.message, /^p99\.9 400ms exceeds 300ms/);
});

const conc = { minShare: 0.5, minServiceMs: 5 };

test("concurrency: a pool of 4 (50 ms) behind 10 connections fails with Little's law numbers; a scaling server passes", () => {
  const alone = stats(
    repeat(20, () => 50),
    20,
  );
  const pooled = judgeConcurrency(
    alone,
    stats(
      repeat(80, () => 125),
      80,
    ),
    { connections: 10 },
    conc,
  );
  assert.equal(pooled.status, 'fail');
  assert.equal(
    pooled.message,
    '80.0 rps × 50.0ms alone (1 connection) ≈ 4.0 requests served at once, of 10 offered (floor 5): requests wait 75.0ms on average beyond their 50.0ms of service (mean 125ms under load), so the endpoint serves only about 4 at a time',
  );
  const scaling = judgeConcurrency(
    alone,
    stats(
      repeat(190, () => 52),
      190,
    ),
    { connections: 10 },
    conc,
  );
  assert.equal(scaling.status, 'pass', scaling.message);
  assert.equal(scaling.metrics!.servedConcurrency, 9.5);
});

test('concurrency: a sub-millisecond handler saturating the CPU is not judged; a rate asks for less concurrency', () => {
  const fast = judgeConcurrency(
    stats(
      repeat(500, () => 0.8),
      1000,
    ),
    stats(
      repeat(2000, () => 4),
      2500,
    ),
    { connections: 10 },
    conc,
  );
  assert.equal(fast.status, 'pass');
  assert.match(fast.message, /not judged: the median request alone takes 0\.80ms \(< 5\.00ms\)/);
  // 40 rps × 50 ms = 2 requests at once are all that is asked for; 2 served is no queue.
  const rated = judgeConcurrency(
    stats(
      repeat(20, () => 50),
      20,
    ),
    stats(
      repeat(40, () => 50),
      40,
    ),
    { connections: 10, rate: 40 },
    conc,
  );
  assert.equal(rated.status, 'pass', rated.message);
});
