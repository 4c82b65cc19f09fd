// Propagation latency: percentiles over the rounds, and thresholds parsed once at profile load.
//
// A latency threshold is the shared threshold language (src/lang/thresholds.ts) restricted to latency
// statistics and upper bounds: p50, p95, p(N), med/median, avg/mean, min, max with "<" or "<="; a bare
// number is milliseconds.
//
// Percentiles are nearest-rank (the value of the ceil(p/100 · n)-th fastest round): with 5 rounds,
// p95 is the slowest round. A round that was never observed counts as infinitely slow, so a
// missed round can never make the percentiles look better.
import { formatDuration } from '../../src/duration.js';
import { compileThreshold, type ThresholdDialect } from '../../src/lang/thresholds.js';

export { ThresholdError as ThresholdSyntaxError } from '../../src/lang/thresholds.js';

export type Statistic = { kind: 'percentile'; p: number } | { kind: 'max' } | { kind: 'min' } | { kind: 'mean' };

export interface Threshold {
  /** As written in the profile, for reports. */
  source: string;
  statistic: Statistic;
  operator: '<' | '<=';
  limitMs: number;
  /** The limit as written ("1s"), bare numbers with their unit ("250ms"). */
  limitText: string;
}

/** What the realtime gate measures: propagation latency, judged as an upper bound. */
export const LATENCY_DIALECT: ThresholdDialect = {
  kinds: ['latency'],
  operators: ['<', '<='],
  bareDurationIsMs: true,
  operatorsWhy: 'a latency threshold is an upper bound',
};

export function parseThreshold(source: string): Threshold {
  const t = compileThreshold(source, LATENCY_DIALECT);
  const statistic: Statistic =
    t.percentile !== undefined
      ? { kind: 'percentile', p: t.percentile }
      : t.aggregate === 'med'
        ? { kind: 'percentile', p: 50 }
        : t.aggregate === 'avg'
          ? { kind: 'mean' }
          : { kind: t.aggregate! };
  return {
    source: source.trim().replace(/\s+/g, ' '),
    statistic,
    operator: t.operator as '<' | '<=',
    limitMs: t.value,
    limitText: t.valueText,
  };
}

export function statisticName(s: Statistic): string {
  return s.kind === 'percentile' ? `p${s.p}` : s.kind === 'mean' ? 'avg' : s.kind;
}

/** Nearest-rank percentile of samples (Infinity allowed for rounds that were never observed). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function statisticOf(samples: number[], s: Statistic): number {
  if (samples.length === 0) return NaN;
  switch (s.kind) {
    case 'percentile':
      return percentile(samples, s.p);
    case 'max':
      return Math.max(...samples);
    case 'min':
      return Math.min(...samples);
    case 'mean':
      return samples.reduce((a, b) => a + b, 0) / samples.length;
  }
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
}

export function summarize(samples: number[]): LatencySummary {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: Math.max(...samples),
    min: Math.min(...samples),
  };
}

export interface ThresholdOutcome {
  ok: boolean;
  actual: number;
  /** "p95 (6ms) < 1s" — the resolved value beside the limit. */
  display: string;
}

export function evaluateThreshold(t: Threshold, samples: number[]): ThresholdOutcome {
  const actual = statisticOf(samples, t.statistic);
  const ok = Number.isFinite(actual) && (t.operator === '<' ? actual < t.limitMs : actual <= t.limitMs);
  return { ok, actual, display: `${statisticName(t.statistic)} (${formatLatency(actual)}) ${t.operator} ${t.limitText}` };
}

/** 4ms, 3.01s; Infinity (a round never observed) is shown as such. */
export function formatLatency(ms: number): string {
  if (ms === Infinity) return 'not observed';
  if (Number.isNaN(ms)) return 'no samples';
  if (ms >= 1000 && ms < 10_000) return `${(ms / 1000).toFixed(2)}s`;
  return formatDuration(ms);
}

/** A configured duration as people write it: 5s, 500ms, 1.5s. */
export function formatTimeout(ms: number): string {
  if (ms >= 1000 && ms < 60_000) return `${Number((ms / 1000).toFixed(2))}s`;
  return formatDuration(ms);
}
