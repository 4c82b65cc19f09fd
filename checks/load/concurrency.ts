// Hidden queueing, by Little's law: with a single connection an endpoint shows its service time S; under
// load it answers λ requests per second, so it is really working on about λ·S requests at once. A pool
// of 4 behind 10 connections serves ~4 at a time and the rest wait — p95 may still pass, but the endpoint
// will not scale with traffic. Pure.
import type { LoadStats } from './stats.js';
import { formatMs, formatRate } from './thresholds.js';

export interface ConcurrencyOptions {
  /** Fail when served concurrency is below this share of the concurrency offered. */
  minShare: number;
  /**
   * Judged only when the median request alone takes at least this long (ms): a sub-millisecond handler
   * on a busy CPU "queues" for CPU, which is saturation the thresholds judge, not a hidden pool or lock.
   */
  minServiceMs: number;
}

export interface ConcurrencyVerdict {
  status: 'pass' | 'fail' | 'skip';
  message: string;
  metrics?: Record<string, number>;
}

export function judgeConcurrency(
  baseline: LoadStats | undefined,
  load: LoadStats,
  offered: { connections: number; rate?: number },
  opts: ConcurrencyOptions,
): ConcurrencyVerdict {
  if (!baseline || baseline.latency.count === 0) return { status: 'skip', message: 'no single-connection baseline was measured' };
  if (load.latency.count === 0 || load.rps === 0) return { status: 'skip', message: 'no response under load to compare with' };
  const serviceMs = baseline.latency.mean;
  const underLoadMs = load.latency.mean;
  const served = load.rps * (serviceMs / 1000);
  // With a rate, the arrivals ask for rate·S at once at most; without, every connection keeps one in flight.
  const wanted =
    offered.rate !== undefined ? Math.min(offered.connections, offered.rate * (serviceMs / 1000)) : offered.connections;
  const floor = opts.minShare * wanted;
  const waitMs = underLoadMs - serviceMs;
  const metrics = {
    serviceMs: round(serviceMs),
    underLoadMs: round(underLoadMs),
    rps: round(load.rps),
    servedConcurrency: round(served),
    offeredConcurrency: round(wanted),
    floor: round(floor),
  };
  const numbers = `${formatRate(load.rps)} rps × ${formatMs(serviceMs)} alone (1 connection) ≈ ${served.toFixed(1)} requests served at once, of ${fmt(wanted)} offered`;
  const medianAlone = baseline.latency.percentile(50);
  if (medianAlone < opts.minServiceMs) {
    return {
      status: 'pass',
      message: `${numbers}; not judged: the median request alone takes ${formatMs(medianAlone)} (< ${formatMs(opts.minServiceMs)}), so any queueing is for CPU, which the thresholds judge; mean ${formatMs(underLoadMs)} under load`,
      metrics,
    };
  }
  // A queue worth the name at least doubles the time a request takes.
  const queues = waitMs >= serviceMs;
  if (served < floor && queues) {
    return {
      status: 'fail',
      message: `${numbers} (floor ${fmt(floor)}): requests wait ${formatMs(waitMs)} on average beyond their ${formatMs(serviceMs)} of service (mean ${formatMs(underLoadMs)} under load), so the endpoint serves only about ${Math.max(1, Math.round(served))} at a time`,
      metrics,
    };
  }
  const why =
    served >= floor
      ? ''
      : ` (below the floor ${fmt(floor)}, but requests wait only ${formatMs(Math.max(0, waitMs))} beyond their service time)`;
  return { status: 'pass', message: `${numbers}${why}; mean ${formatMs(underLoadMs)} under load`, metrics };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
