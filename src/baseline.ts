// Changes since a baseline run (a JSON report of an earlier run): checks that newly fail, checks fixed,
// and metrics (latency percentiles, propagation latency, throughput) that got worse beyond a tolerance.
import type { BaselineComparison, CheckResult, MetricChange, RunResult, Status } from './result.js';

export type { BaselineComparison, MetricChange };

const BAD: Status[] = ['fail', 'error', 'warn', 'flaky'];

/** Direction of a metric: +1 when higher is worse (latency, errors), -1 when lower is worse (rps, score). */
export function metricDirection(name: string): 1 | -1 | 0 {
  if (name.startsWith('modifier.')) return 0;
  if (/(^|[^a-z])(rps|throughput|score|requests)|Rps$|PerSecond$/i.test(name)) return -1;
  if (/^(p\d|avg|mean|max|min)|latency|Ms$|ms$|errors?|timeouts?|errorRate/i.test(name)) return 1;
  return 0;
}

function index(result: RunResult): Map<string, CheckResult> {
  const m = new Map<string, CheckResult>();
  for (const g of result.gates) for (const c of g.checks) m.set(`${c.id}\u0000${c.title}`, c);
  return m;
}

export function compareWithBaseline(
  current: RunResult,
  baseline: RunResult,
  baselinePath: string,
  tolerance = 0.2,
): BaselineComparison {
  const before = index(baseline);
  const after = index(current);
  const newlyFailing: BaselineComparison['newlyFailing'] = [];
  const fixed: BaselineComparison['fixed'] = [];
  const regressions: MetricChange[] = [];
  for (const [key, c] of after) {
    const old = before.get(key);
    if (BAD.includes(c.status) && (!old || !BAD.includes(old.status)))
      newlyFailing.push({ check: c.id, was: old?.status ?? 'absent', now: c.status });
    if (old && !BAD.includes(c.status) && BAD.includes(old.status)) fixed.push({ check: c.id, was: old.status, now: c.status });
    for (const [metric, now] of Object.entries(c.metrics ?? {})) {
      const was = old?.metrics?.[metric];
      const dir = metricDirection(metric);
      if (was === undefined || dir === 0 || !Number.isFinite(was) || !Number.isFinite(now)) continue;
      const diff = (now - was) * dir;
      // Changes of less than one unit (1 ms, 1 request/s) are noise whatever their percentage.
      if (diff < 1) continue;
      const worseBy = was === 0 ? Infinity : diff / Math.abs(was);
      if (worseBy > tolerance) regressions.push({ check: c.id, metric, was, now, worseBy });
    }
  }
  for (const [key, old] of before)
    if (!after.has(key) && BAD.includes(old.status) && current.gates.some((g) => old.id.startsWith(`${g.id}.`)))
      fixed.push({ check: old.id, was: old.status, now: 'absent' });
  return {
    baseline: { path: baselinePath, startedAt: baseline.startedAt, verdict: baseline.verdict },
    tolerance,
    newlyFailing,
    fixed,
    regressions,
  };
}

export function hasRegression(c: BaselineComparison): boolean {
  return c.newlyFailing.length > 0 || c.regressions.length > 0;
}

export function describeChange(r: MetricChange): string {
  const pct = Number.isFinite(r.worseBy) ? `${Math.round(r.worseBy * 100)} % worse` : 'worse';
  return `${r.check} ${r.metric}: ${round(r.was)} → ${round(r.now)} (${pct})`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}

/** Lines for console and Markdown. */
export function baselineLines(c: BaselineComparison): string[] {
  const lines: string[] = [];
  for (const n of c.newlyFailing) lines.push(`newly ${n.now}: ${n.check} (was ${n.was})`);
  for (const f of c.fixed) lines.push(`fixed: ${f.check} (was ${f.was}, now ${f.now})`);
  for (const r of c.regressions) lines.push(`regressed: ${describeChange(r)}`);
  if (lines.length === 0) lines.push(`no changes beyond ${Math.round(c.tolerance * 100)} % since the baseline`);
  return lines;
}

/** Attaches the comparison; with failOnRegression a regression becomes a failing `baseline.regression` check. */
export function applyBaseline(
  result: RunResult,
  baseline: RunResult,
  baselinePath: string,
  opts: { failOnRegression: boolean; tolerance?: number },
): RunResult {
  const comparison = compareWithBaseline(result, baseline, baselinePath, opts.tolerance);
  const out: RunResult = { ...result, baseline: comparison };
  if (opts.failOnRegression && hasRegression(comparison)) {
    const message = baselineLines(comparison)
      .filter((l) => !l.startsWith('fixed'))
      .join('; ');
    out.gates = [
      ...result.gates,
      {
        id: 'baseline',
        title: 'Changes since baseline',
        status: 'fail',
        durationMs: 0,
        checks: [
          {
            id: 'baseline.regression',
            title: 'No regression since the baseline',
            status: 'fail',
            severity: 'high',
            message,
            remediation: `Compare with the baseline run of ${comparison.baseline.startedAt} (${baselinePath}) and find what changed.`,
            durationMs: 0,
          },
        ],
      },
    ];
    if (out.verdict === 'pass') out.verdict = 'fail';
  }
  return out;
}
