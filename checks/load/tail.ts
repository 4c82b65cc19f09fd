// The tail of the latency distribution, judged against its body: a p99 far above the p95 (every 50th
// request stalls) passes every p95 threshold, yet one user action in fifty is slow. Pure.
import type { LoadStats } from './stats.js';
import { formatMs } from './thresholds.js';

export interface TailOptions {
  /** p99 above this many times p95 departs from the body… */
  maxRatio: number;
  /** …when it is also at least this much (ms) above p95: a few ms of jitter is no tail. */
  minExcessMs: number;
  /** Optional absolute bound on p99.9 (ms). */
  maxP999Ms?: number;
  /** Fewer responses than this say nothing about a p99. */
  minSamples: number;
}

export interface TailVerdict {
  status: 'pass' | 'warn' | 'skip';
  message: string;
  metrics?: Record<string, number>;
}

export function judgeTail(stats: LoadStats, opts: TailOptions): TailVerdict {
  const h = stats.latency;
  if (h.count < opts.minSamples)
    return { status: 'skip', message: `${h.count} responses: too few to judge a p99 (at least ${opts.minSamples})` };
  const p50 = h.percentile(50);
  const p95 = h.percentile(95);
  const p99 = h.percentile(99);
  const p999 = h.percentile(99.9);
  // "Slow": beyond where the body could reach, whichever of the two bounds is higher.
  const slowAbove = Math.max(opts.maxRatio * p95, p95 + opts.minExcessMs);
  const slow = h.countAbove(slowAbove);
  const share = (slow / h.count) * 100;
  const metrics = {
    p50Ms: round(p50),
    p95Ms: round(p95),
    p99Ms: round(p99),
    p99_9Ms: round(p999),
    slowAboveMs: round(slowAbove),
    slowRequests: slow,
    slowSharePct: round(share),
  };
  const shareText = `${share.toFixed(share < 0.1 ? 2 : 1)} % of requests (${slow.toLocaleString('en-US')} of ${h.count.toLocaleString('en-US')}) took over ${formatMs(slowAbove)}`;
  const problems: string[] = [];
  if (p99 > opts.maxRatio * p95 && p99 - p95 >= opts.minExcessMs)
    problems.push(
      `p99 ${formatMs(p99)} is ${(p99 / Math.max(p95, 0.001)).toFixed(1)}× p95 ${formatMs(p95)} (limit ${opts.maxRatio}×)`,
    );
  if (opts.maxP999Ms !== undefined && p999 > opts.maxP999Ms)
    problems.push(`p99.9 ${formatMs(p999)} exceeds ${formatMs(opts.maxP999Ms)}`);
  if (problems.length)
    return { status: 'warn', message: `${problems.join('; ')}: ${shareText}, while p50 is ${formatMs(p50)}`, metrics };
  return {
    status: 'pass',
    message: `p99 ${formatMs(p99)} stays with the body (p50 ${formatMs(p50)}, p95 ${formatMs(p95)}, p99.9 ${formatMs(p999)})`,
    metrics,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
