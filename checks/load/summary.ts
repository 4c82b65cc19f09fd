// The end-of-load summary as data: per endpoint and for the whole run, requests, rps, latency
// percentiles, the status-code histogram and errors; as metrics, a one-line message and a text table.
import type { Evidence } from '../../src/result.js';
import type { LoadStats } from './stats.js';
import { formatMs, formatPercent, formatRate } from './thresholds.js';

export interface SummaryRow {
  /** "GET /api/items", or "all endpoints". */
  label: string;
  stats: LoadStats;
}

const PERCENTILES: [string, number][] = [
  ['p50', 50],
  ['p90', 90],
  ['p95', 95],
  ['p99', 99],
  ['p99.9', 99.9],
];

const n = (x: number) => x.toLocaleString('en-US');

export function errorRate(s: LoadStats): number {
  return s.attempts ? (s.errors / s.attempts) * 100 : 0;
}

export function statusText(s: LoadStats): string {
  const parts = Object.entries(s.statuses).map(([code, count]) => `${code}×${n(count)}`);
  if (s.transportErrors)
    parts.push(
      `${s.timeouts ? `timeouts×${n(s.timeouts)} ` : ''}${s.transportErrors - s.timeouts ? `transport errors×${n(s.transportErrors - s.timeouts)}` : ''}`.trim(),
    );
  return parts.join(' ') || 'none';
}

/** Structured numbers for the JSON report (milliseconds, percent, per second). */
export function metricsOf(s: LoadStats): Record<string, number> {
  const m: Record<string, number> = {
    requests: s.attempts,
    responses: s.responses,
    seconds: round(s.seconds, 3),
    rps: round(s.rps, 1),
    errors: s.errors,
    errorRatePct: round(errorRate(s), 3),
    badStatuses: s.badStatuses,
    transportErrors: s.transportErrors,
    timeouts: s.timeouts,
  };
  if (s.latency.count) {
    m.avgMs = round(s.latency.mean, 3);
    m.minMs = round(s.latency.min, 3);
    m.maxMs = round(s.latency.max, 3);
    for (const [name, p] of [...PERCENTILES, ['p97.5', 97.5] as [string, number]])
      m[`${name.replace('.', '_')}Ms`] = round(s.latency.percentile(p), 3);
  }
  if (s.intendedRate !== undefined) m.intendedRps = s.intendedRate;
  return m;
}

/** One line a person can read in the console and in a Markdown table cell. */
export function summaryLine(row: SummaryRow): string {
  const s = row.stats;
  const parts = [`${row.label}: ${n(s.attempts)} requests in ${s.seconds.toFixed(2)}s (${formatRate(s.rps)} rps${rateNote(s)})`];
  if (s.latency.count) {
    parts.push(PERCENTILES.map(([name, p]) => `${name} ${formatMs(s.latency.percentile(p))}`).join(' · '));
    parts.push(`max ${formatMs(s.latency.max)}`);
  } else parts.push('no responses');
  parts.push(statusText(s));
  parts.push(`errors ${n(s.errors)} (${formatPercent(errorRate(s))})`);
  return parts.join(' · ');
}

function rateNote(s: LoadStats): string {
  if (s.intendedRate === undefined) return '';
  const short = s.rps < s.intendedRate * 0.9;
  return ` of ${s.intendedRate.toLocaleString('en-US')} intended${short ? ': the target could not keep up, latencies corrected for coordinated omission' : ''}`;
}

/** A fixed-width table of every row, for evidence (JSON, Markdown, JUnit). */
export function summaryTable(rows: SummaryRow[]): string {
  const header = ['endpoint', 'requests', 'rps', ...PERCENTILES.map(([name]) => name), 'max', 'errors', 'status codes'];
  const body = rows.map(({ label, stats: s }) => [
    label,
    n(s.attempts),
    formatRate(s.rps),
    ...PERCENTILES.map(([, p]) => (s.latency.count ? formatMs(s.latency.percentile(p)) : '-')),
    s.latency.count ? formatMs(s.latency.max) : '-',
    `${n(s.errors)} (${formatPercent(errorRate(s))})`,
    statusText(s),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  // Text columns left-aligned, numbers right-aligned.
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i >= cells.length - 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...body.map(fmt)].join('\n');
}

export function summaryEvidence(row: SummaryRow, table: string, request?: string): Evidence {
  return { request, body: table, details: { statusCodes: row.stats.statuses } };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
