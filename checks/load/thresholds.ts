// Evaluating load thresholds against measured stats. The language itself (parse, validate) is shared by
// every gate: src/lang/thresholds.ts.
import { compare, type Threshold } from '../../src/lang/thresholds.js';

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What a threshold is evaluated against: one endpoint's stats, or the whole run's. */
export interface ThresholdStats {
  /** Responses received (any status). */
  responses: number;
  /** Responses outside 2xx/3xx plus transport errors and timeouts. */
  errors: number;
  /** Requests that got an answer or an error: responses + transport errors (timeouts included). */
  attempts: number;
  timeouts: number;
  rps: number;
  latency: {
    count: number;
    percentile(p: number): number;
    mean: number;
    min: number;
    max: number;
  };
}

export interface ThresholdOutcome {
  ok: boolean;
  /** The observed value, in the threshold's unit (ms, %, rps, count); undefined with no samples. */
  observed?: number;
  /** "p95 = 412ms, threshold < 200ms", or why nothing could be observed. */
  message: string;
  noSamples: boolean;
}

export function evaluateThreshold(t: Threshold, s: ThresholdStats): ThresholdOutcome {
  const wanted = `threshold ${t.operator} ${t.valueText}`;
  const noSamples = (why: string): ThresholdOutcome => ({
    ok: false,
    noSamples: true,
    message: `no samples: ${why}, so ${t.metric} cannot be judged (${wanted}); a threshold without data fails`,
  });

  let observed: number;
  let shown: string;
  switch (t.kind) {
    case 'latency': {
      if (s.latency.count === 0)
        return noSamples(
          `no response was received${s.attempts ? ` (${s.attempts} requests, all failed without a response)` : ''}`,
        );
      observed =
        t.percentile !== undefined
          ? s.latency.percentile(t.percentile)
          : t.aggregate === 'med'
            ? s.latency.percentile(50)
            : t.aggregate === 'avg'
              ? s.latency.mean
              : t.aggregate === 'min'
                ? s.latency.min
                : s.latency.max;
      shown = formatMs(observed);
      break;
    }
    case 'errors':
      if (s.attempts === 0) return noSamples('no request completed');
      observed = (s.errors / s.attempts) * 100;
      shown = `${formatPercent(observed)} (${s.errors.toLocaleString('en-US')} of ${s.attempts.toLocaleString('en-US')} requests)`;
      break;
    case 'rps':
      if (s.responses === 0) return noSamples('no response was received');
      observed = s.rps;
      shown = formatRate(observed);
      break;
    case 'timeouts':
      if (s.attempts === 0) return noSamples('no request completed');
      observed = s.timeouts;
      shown = String(observed);
      break;
  }
  const ok = compare(observed, t.operator, t.value);
  let message = `${t.metric} = ${shown}, ${wanted}`;
  if (t.kind === 'latency' && t.value < 1)
    message += ' (sub-millisecond: the client measures with process.hrtime, but its own event-loop delay is in every sample)';
  return { ok, observed, message, noSamples: false };
}

// ---------------------------------------------------------------------------------------------
// Formatting shared with the summary

/** Milliseconds with the precision that means something at that size. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)}s`;
  if (ms >= 100) return `${Math.round(ms)}ms`;
  if (ms >= 10) return `${ms.toFixed(1)}ms`;
  return `${ms.toFixed(2)}ms`;
}

export function formatPercent(p: number): string {
  return `${p.toFixed(p !== 0 && p < 0.1 ? 3 : 2)}%`;
}

export function formatRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1);
}
