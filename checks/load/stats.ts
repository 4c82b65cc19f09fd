// What one endpoint's load produced, counted from autocannon's per-response events so the same
// numbers serve the live progress line, abortOnFail and the final thresholds.
import { LatencyHistogram } from './histogram.js';
import type { ThresholdStats } from './thresholds.js';

export class EndpointRecorder {
  readonly latency = new LatencyHistogram();
  /** Status code → count. */
  readonly statuses = new Map<number, number>();
  responses = 0;
  /** Responses outside 2xx/3xx. */
  badStatuses = 0;
  /** Transport errors and timeouts (autocannon's `errors`). */
  transportErrors = 0;
  timeouts = 0;
  startedAt = 0;
  finishedAt = 0;
  /** Set when a rate is given: the interval a connection should send at, for the coordinated-omission correction. */
  expectedIntervalMs = 0;
  /** Requests per second asked for, if any. */
  intendedRate?: number;

  onResponse(status: number, ms: number): void {
    this.responses++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status < 200 || status >= 400) this.badStatuses++;
    if (this.expectedIntervalMs) this.latency.recordCorrected(ms, this.expectedIntervalMs);
    else this.latency.record(ms);
  }

  onError(isTimeout: boolean): void {
    this.transportErrors++;
    if (isTimeout) this.timeouts++;
  }

  /** Elapsed seconds of measured load (up to now while running). */
  seconds(now = performance.now()): number {
    if (!this.startedAt) return 0;
    return ((this.finishedAt || now) - this.startedAt) / 1000;
  }

  snapshot(now?: number): LoadStats {
    const seconds = this.seconds(now);
    return {
      responses: this.responses,
      errors: this.badStatuses + this.transportErrors,
      badStatuses: this.badStatuses,
      transportErrors: this.transportErrors,
      attempts: this.responses + this.transportErrors,
      timeouts: this.timeouts,
      seconds,
      rps: seconds > 0 ? this.responses / seconds : 0,
      statuses: Object.fromEntries([...this.statuses].sort((a, b) => a[0] - b[0])),
      latency: this.latency,
      intendedRate: this.intendedRate,
      corrected: this.expectedIntervalMs > 0,
    };
  }
}

export interface LoadStats extends ThresholdStats {
  badStatuses: number;
  transportErrors: number;
  seconds: number;
  statuses: Record<string, number>;
  latency: LatencyHistogram;
  intendedRate?: number;
  /** Latencies include back-filled samples for coordinated omission. */
  corrected: boolean;
}

/**
 * The whole run: every endpoint together (they run at the same time, so rates add up). Without
 * `withLatency` the latency histogram is left empty: the live progress line needs only the counts, and
 * merging histograms allocates (about 180 KB) every time.
 */
export function combine(parts: LoadStats[], withLatency = true): LoadStats {
  const latency = new LatencyHistogram();
  const statuses: Record<string, number> = {};
  for (const p of parts) {
    if (withLatency) latency.add(p.latency);
    for (const [code, n] of Object.entries(p.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  }
  const sum = (f: (p: LoadStats) => number) => parts.reduce((n, p) => n + f(p), 0);
  const seconds = Math.max(0, ...parts.map((p) => p.seconds));
  const responses = sum((p) => p.responses);
  const rates = parts.map((p) => p.intendedRate);
  return {
    responses,
    errors: sum((p) => p.errors),
    badStatuses: sum((p) => p.badStatuses),
    transportErrors: sum((p) => p.transportErrors),
    attempts: sum((p) => p.attempts),
    timeouts: sum((p) => p.timeouts),
    seconds,
    rps: sum((p) => p.rps),
    statuses: Object.fromEntries(Object.entries(statuses).sort((a, b) => Number(a[0]) - Number(b[0]))),
    latency,
    intendedRate: rates.every((r) => r !== undefined) && rates.length ? rates.reduce((a, b) => a! + b!, 0) : undefined,
    corrected: parts.some((p) => p.corrected),
  };
}
