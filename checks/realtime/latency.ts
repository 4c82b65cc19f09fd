// Propagation latency: percentiles over the rounds, and thresholds parsed once at profile load.
//
// threshold := statistic SP operator SP duration
// statistic := "p50" | "p90" | "p95" | "p99" | "p(" number ")" | "median" | "max" | "min" | "avg" | "mean"
// operator  := "<" | "<="
// duration  := number unit ("ms" | "s" | "m")  |  number            (bare numbers are milliseconds)
//
// Percentiles are nearest-rank (the value of the ceil(p/100 · n)-th fastest round): with 5 rounds,
// p95 is the slowest round. A round that was never observed counts as infinitely slow, so a
// missed round can never make the percentiles look better.
import { formatDuration, parseDuration } from '../../src/duration.js';

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

export class ThresholdSyntaxError extends Error {}

const PATTERN = /^\s*(p\(\s*\d+(?:\.\d+)?\s*\)|p\d+(?:\.\d+)?|median|max|min|avg|mean)\s*(<=|<)\s*(\S+)\s*$/i;

export function parseThreshold(source: string): Threshold {
  const m = PATTERN.exec(source);
  if (!m) {
    if (/[>]/.test(source)) throw new ThresholdSyntaxError(`a latency threshold is an upper bound: use "<" or "<=", e.g. "p95 < 1s"; got ${JSON.stringify(source)}`);
    throw new ThresholdSyntaxError(`expected a threshold like "p95 < 1s" (statistics: p50, p90, p95, p99, p(N), median, max, min, avg; operators: <, <=), got ${JSON.stringify(source)}`);
  }
  const limit = parseDuration(/^\d+(\.\d+)?$/.test(m[3]) ? Number(m[3]) : m[3]);
  if (limit === undefined) throw new ThresholdSyntaxError(`expected a duration like "500ms" or "1s" after "${m[2]}", got ${JSON.stringify(m[3])} in ${JSON.stringify(source)}`);
  const limitText = /^\d+(\.\d+)?$/.test(m[3]) ? `${m[3]}ms` : m[3];
  return { source: source.trim().replace(/\s+/g, ' '), statistic: parseStatistic(m[1], source), operator: m[2] as '<' | '<=', limitMs: limit, limitText };
}

function parseStatistic(text: string, source: string): Statistic {
  const s = text.toLowerCase().replace(/\s+/g, '');
  if (s === 'max') return { kind: 'max' };
  if (s === 'min') return { kind: 'min' };
  if (s === 'avg' || s === 'mean') return { kind: 'mean' };
  if (s === 'median') return { kind: 'percentile', p: 50 };
  const p = Number(s.replace(/^p\(?/, '').replace(/\)$/, ''));
  if (!(p > 0 && p <= 100)) throw new ThresholdSyntaxError(`a percentile is between 0 and 100, got ${text} in ${JSON.stringify(source)}`);
  return { kind: 'percentile', p };
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
  return { n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), max: Math.max(...samples), min: Math.min(...samples) };
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
