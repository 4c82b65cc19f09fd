// What both modes hand back (a session of rounds), and how it becomes realtime.sync and realtime.latency.
import { randomBytes } from 'node:crypto';
import type { GateContext } from '../../src/gates/contract.js';
import type { ChartSpec, CheckResult, Evidence } from '../../src/result.js';
import { latency, sync } from './catalogue.js';
import { evaluateThreshold, formatLatency, formatTimeout, summarize } from './latency.js';
import type { RealtimeConfig } from './schema.js';

export interface Round {
  /** 1-based. */
  round: number;
  marker: string;
  observed: boolean;
  /** From A's action to B's observation; Infinity when B never showed it. */
  latencyMs: number;
}

export interface Session {
  /** What ran the rounds: "Chromium 156.0.8078.108", "SSE http://…/events". */
  label: string;
  /** What B had to show, for messages: `an element "#items li" containing the marker`. */
  watched: string;
  /** How a round reads in messages: "B showed A's change" / "B did not show A's change". */
  wording: { seen: string; missed: string };
  planned: number;
  rounds: Round[];
  /** The session could not start, or a step failed: a target fault (fail) or shipgate's (error). */
  failure?: { status: 'fail' | 'error'; message: string; evidence?: Evidence };
  /** Why fewer rounds than planned ran. */
  stopped?: string;
  /** Captured at the first missed round. */
  missEvidence?: Evidence;
  /** Protocol mode's burst round (browser mode records its own). */
  burst?: CheckResult;
  durationMs: number;
}

/** A fresh, unguessable marker per round, so B cannot be fooled by an older item. */
export function newMarker(): string {
  return `sg-${randomBytes(6).toString('hex')}`;
}

function roundList(rounds: Round[], timeoutMs: number): string[] {
  return rounds.map(
    (r) =>
      `round ${r.round} (${r.marker}): ${r.observed ? formatLatency(r.latencyMs) : `not observed within ${formatTimeout(timeoutMs)}`}`,
  );
}

export function judge(ctx: GateContext, config: RealtimeConfig, s: Session): void {
  const timeout = config.timeouts.round;
  const base: Record<string, unknown> = { via: s.label, watched: s.watched };
  if (s.failure) {
    const evidence = {
      ...s.failure.evidence,
      details: { ...base, ...(s.rounds.length ? { rounds: roundList(s.rounds, timeout) } : {}), ...s.failure.evidence?.details },
    };
    ctx.record(sync[s.failure.status](s.failure.message, { evidence, durationMs: s.durationMs }));
    ctx.record(
      latency.skip(
        `not measured: the rounds did not complete (${s.failure.status === 'fail' ? 'see realtime.sync' : 'shipgate could not run them'})`,
      ),
    );
    return;
  }
  const missed = s.rounds.filter((r) => !r.observed);
  const details = { ...base, rounds: roundList(s.rounds, timeout) };
  if (missed.length === 0 && s.rounds.length === s.planned) {
    ctx.record(
      sync.pass(`${s.wording.seen} in ${s.rounds.length} of ${s.rounds.length} rounds (${s.watched}) · ${s.label}`, {
        evidence: { details },
        durationMs: s.durationMs,
      }),
    );
  } else {
    const first = missed[0];
    const message = missed.length
      ? `${s.wording.missed} within ${formatTimeout(timeout)} in ${missed.length} of ${s.rounds.length} rounds (first: round ${first.round}, marker ${first.marker}; ${s.watched})${s.stopped ? `; ${s.stopped}` : ''}${typeof s.missEvidence?.details?.hint === 'string' ? `; ${s.missEvidence.details.hint}` : ''}`
      : `only ${s.rounds.length} of ${s.planned} rounds ran${s.stopped ? `: ${s.stopped}` : ''}`;
    ctx.record(
      sync.fail(message, {
        evidence: { ...s.missEvidence, details: { ...details, ...s.missEvidence?.details } },
        durationMs: s.durationMs,
      }),
    );
  }

  const samples = s.rounds.map((r) => (r.observed ? r.latencyMs : Infinity));
  if (samples.length === 0 || missed.length === samples.length) {
    ctx.record(
      latency.fail(
        `no round reached B within ${formatTimeout(timeout)}, so no propagation latency was measured (see realtime.sync)`,
        { evidence: { details } },
      ),
    );
    return;
  }
  const sum = summarize(samples);
  const outcomes = config.latency.map((t) => evaluateThreshold(t, samples));
  const failed = outcomes.filter((o) => !o.ok);
  const stats = `p50 ${formatLatency(sum.p50)} · p95 ${formatLatency(sum.p95)} · max ${formatLatency(sum.max)} over ${sum.n} round${sum.n === 1 ? '' : 's'}`;
  const metrics: Record<string, number> = { rounds: s.rounds.length, observed: s.rounds.length - missed.length };
  for (const [k, v] of Object.entries({ p50Ms: sum.p50, p95Ms: sum.p95, maxMs: sum.max, minMs: sum.min }))
    if (Number.isFinite(v)) metrics[k] = Math.round(v * 10) / 10;
  const evidence = { details: { ...details, thresholds: outcomes.map((o) => o.display) } };
  // Per observed round and the thresholds' limits, for the HTML report's latency chart.
  const series = {
    roundsMs: s.rounds.filter((r) => r.observed).map((r) => Math.round(r.latencyMs * 10) / 10),
    thresholdsMs: config.latency.map((t) => t.limitMs),
  };
  const charts = latencyCharts(series.roundsMs, series.thresholdsMs);
  if (failed.length)
    ctx.record(
      latency.fail(`${stats}; ${failed.map((o) => o.display).join(', ')} is not met`, { metrics, evidence, series, charts }),
    );
  else
    ctx.record(
      latency.pass(`${stats} (threshold ${config.latency.map((t) => t.source).join(', ')}) · ${s.label}`, {
        metrics,
        evidence,
        series,
        charts,
      }),
    );
}

/** Propagation latency per observed round with a rule per threshold, as chart data for the reports. */
function latencyCharts(roundsMs: number[], thresholdsMs: number[]): ChartSpec[] {
  if (!roundsMs.length) return [];
  const points = roundsMs.map((y, i) => ({ x: i + 1, y }));
  return [
    {
      kind: 'line',
      id: 'realtime-latency',
      title: 'Propagation latency per round (ms)',
      xLabel: 'round',
      yLabel: 'ms',
      series: [{ label: 'A → B', points }],
      rules: thresholdsMs.map((y) => ({ label: `threshold ${y} ms`, y })),
      xTicks: points.map((p) => ({ x: p.x, label: String(p.x) })),
    },
  ];
}
