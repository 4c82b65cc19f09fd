// What the load says beyond its thresholds, per endpoint: the tail (load.tail.<endpoint>) and hidden
// queueing (load.concurrency.<endpoint>), as results with their numbers.
import type { CheckResult } from '../../src/result.js';
import { concurrency as concurrencyCheck, tail as tailCheck } from './catalogue.js';
import { judgeConcurrency } from './concurrency.js';
import type { LoadConfig } from './schema.js';
import type { LoadStats } from './stats.js';
import { judgeTail } from './tail.js';

/** Below a hundred responses a p99 is just the maximum. */
const TAIL_MIN_SAMPLES = 100;

export function shapeResults(
  endpoint: { name: string; label: string; request?: string; connections: number; rate?: number },
  stats: LoadStats,
  baseline: LoadStats | undefined,
  config: LoadConfig,
): CheckResult[] {
  const title = (t: string) => `${t} (${endpoint.label})`;
  const t = judgeTail(stats, {
    maxRatio: config.tail.maxRatio,
    minExcessMs: config.tail.minExcess,
    maxP999Ms: config.tail.maxP999,
    minSamples: TAIL_MIN_SAMPLES,
  });
  const tailStatus = t.status === 'warn' && config.tail.fail ? 'fail' : t.status;
  const tailResult = {
    ...tailCheck[tailStatus]({
      message: t.message,
      title: title(tailCheck.title),
      metrics: t.metrics,
      evidence: { request: endpoint.request },
    }),
    id: `load.tail.${endpoint.name}`,
  };
  let concurrencyResult: CheckResult;
  if (config.concurrency.baseline === 0)
    concurrencyResult = concurrencyCheck.skip('the single-connection baseline is switched off (concurrency.baseline: 0)', {
      title: title(concurrencyCheck.title),
    });
  else {
    const c = judgeConcurrency(
      baseline,
      stats,
      { connections: endpoint.connections, rate: endpoint.rate },
      { minShare: config.concurrency.minShare, minServiceMs: config.concurrency.minService },
    );
    concurrencyResult = concurrencyCheck[c.status]({
      message: c.message,
      title: title(concurrencyCheck.title),
      metrics: c.metrics,
      evidence: {
        request: endpoint.request,
        details: baseline
          ? { baselineRequests: baseline.responses, baselineMeanMs: Math.round(baseline.latency.mean * 1000) / 1000 }
          : undefined,
      },
    });
  }
  return [tailResult, { ...concurrencyResult, id: `load.concurrency.${endpoint.name}` }];
}
