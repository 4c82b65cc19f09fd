// The load gate: safety first (hosts, production, deadline), then an uncounted warm-up, then the
// measured load with live progress and abortOnFail, then one check per threshold and a summary
// per endpoint and for the whole run.
import { formatDuration } from '../../src/duration.js';
import type { GateContext, GateModule } from '../../src/gates/contract.js';
import { describeRequest, lowerKeys } from '../../src/http/client.js';
import type { CheckResult } from '../../src/result.js';
import { LoadPhase, type EndpointPlan, type PhaseOutcome } from './autocannon-runner.js';
import { hosts, production, run as runCheck, summary, threshold as thresholdCheck } from './catalogue.js';
import { measureBaselines } from './baseline.js';
import { shapeResults } from './shape-checks.js';
import { checkDeadline, checkHosts, checkProduction, describeCaps, allowedHosts } from './safety.js';
import { RUN_SCOPE, type LoadConfig, type LoadEndpoint, type LoadThreshold } from './schema.js';
import { combine, EndpointRecorder, type LoadStats } from './stats.js';
import { summaryCharts, thresholdCharts } from './charts.js';
import { errorRate, metricsOf, summaryLine, summaryTable, type SummaryRow } from './summary.js';
import { evaluateThreshold, formatPercent, formatRate } from './thresholds.js';

const PROGRESS_MS = 500;
/** With no answer at all after this long (only errors), the target is down: stop instead of hammering it. */
const NOTHING_ANSWERS_MS = 1000;

interface Scope {
  /** Endpoint name or "run". */
  name: string;
  label: string;
  request?: string;
  thresholds: LoadThreshold[];
}

/** Stable check ids: load.threshold.<scope>.<metric>, "-2" for a second one on the same metric. */
export function thresholdIds(scope: string, thresholds: LoadThreshold[]): string[] {
  const used = new Map<string, number>();
  return thresholds.map((t) => {
    const key = t.metric.replace(/\./g, '_');
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    return `load.threshold.${scope}.${key}${n > 1 ? `-${n}` : ''}`;
  });
}

function titleOf(t: LoadThreshold, scope: Scope): string {
  return `${t.source} (${scope.name === RUN_SCOPE ? 'all endpoints' : scope.label})`;
}

function recordThresholdsAs(ctx: GateContext, scope: Scope, status: 'skip' | 'error', message: string): void {
  const ids = thresholdIds(scope.name, scope.thresholds);
  scope.thresholds.forEach((t, i) =>
    ctx.record({ ...thresholdCheck[status](message, { title: titleOf(t, scope) }), id: ids[i] }),
  );
}

function bodyOf(e: LoadEndpoint, headers: Record<string, string>): string | undefined {
  if (e.body === undefined) return undefined;
  if (typeof e.body === 'string') return e.body;
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(e.body);
}

function progressBar(fraction: number, width = 12): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** Requests per second in each whole second of the load, from the cumulative counts seen at each tick. */
export function perSecond(trace: { at: number; responses: number }[]): number[] {
  const out: number[] = [];
  let prev = { at: 0, responses: 0 };
  for (let second = 1; ; second++) {
    const sample = trace.filter((t) => t.at <= second * 1000).at(-1);
    if (!sample || sample.at <= prev.at || sample.at < (second - 1) * 1000 + 1) break;
    out.push(Math.round(((sample.responses - prev.responses) * 1000) / (sample.at - prev.at)));
    prev = sample;
  }
  return out;
}

export const gate: GateModule<LoadConfig> = {
  async run(ctx, config) {
    const scopes = scopesOf(ctx, config);
    if (!safeToLoad(ctx, config, scopes)) return;
    const plans = planEndpoints(ctx, config, scopes);
    if (plans.length === 0) {
      ctx.record(runCheck.skip('no endpoint could be loaded (every one needs the auth token)'));
      recordThresholdsAs(ctx, scopes.run, 'skip', 'not judged: no endpoint was loaded');
      return;
    }
    const timeoutMs = config.timeout ?? ctx.requestTimeoutMs;

    // 3. Warm-up: same connections, nothing counted.
    let warmupRequests = 0;
    if (config.warmup > 0) {
      warmupRequests = await warmUp(ctx, config, plans, timeoutMs);
      if (ctx.signal.aborted) return;
    }

    // 3b. A single-connection baseline per endpoint: its service time, for load.concurrency.*.
    let baselines = new Map<string, LoadStats>();
    if (config.concurrency.baseline > 0) {
      ctx.progress(
        `baseline: 1 connection per endpoint for ${formatDuration(config.concurrency.baseline)} (service time, not counted)`,
      );
      baselines = await measureBaselines(plans, {
        durationMs: config.concurrency.baseline,
        timeoutMs,
        signal: ctx.signal,
        trust: ctx.http.trust,
      });
      if (ctx.signal.aborted) return;
    }

    const load = await measureLoad(ctx, config, plans, scopes, timeoutMs);
    if (ctx.signal.aborted) return; // the runner records the deadline or the interruption
    judgeLoad(ctx, config, scopes, plans, load, { warmupRequests, baselines });
  },
};

interface Scopes {
  /** Per endpoint name; an endpoint that is not loaded (no token) leaves. */
  endpoints: Map<string, Scope>;
  run: Scope;
}

function scopesOf(ctx: GateContext, config: LoadConfig): Scopes {
  const resolve = (target: string) => ctx.http.resolve(target);
  const endpoints = new Map<string, Scope>(
    config.endpoints.map((e) => [
      e.name,
      {
        name: e.name,
        label: `${e.method} ${e.path ?? resolve(e.target).toString()}`,
        request: describeRequest(e.method, resolve(e.target)),
        thresholds: e.thresholds,
      },
    ]),
  );
  return { endpoints, run: { name: RUN_SCOPE, label: 'all endpoints', thresholds: config.thresholds } };
}

/** 1. Safety: nothing is sent unless every rule holds. False when the load was refused (and recorded so). */
function safeToLoad(ctx: GateContext, config: LoadConfig, scopes: Scopes): boolean {
  const resolve = (target: string) => ctx.http.resolve(target);
  const allScopes = [...scopes.endpoints.values(), scopes.run];
  const refuseAll = (why: string) => allScopes.forEach((s) => recordThresholdsAs(ctx, s, 'skip', `not judged: ${why}`));
  const prodRefusal = checkProduction(ctx.profile.target.production, Boolean(ctx.allowLoad));
  if (ctx.profile.target.production)
    ctx.record(
      prodRefusal
        ? production.error(prodRefusal.message)
        : production.pass('target.production is true and --allow-load was given: load is sent on purpose'),
    );
  const hostRefusal = checkHosts(ctx.baseUrl, config, resolve);
  const hostList = allowedHosts(ctx.baseUrl, config);
  if (hostRefusal)
    ctx.record(
      hosts.error({
        message: hostRefusal.message,
        evidence: { details: { allowedHosts: hostList, endpoints: config.endpoints.map((e) => resolve(e.target).toString()) } },
      }),
    );
  if (prodRefusal || hostRefusal) {
    refuseAll(prodRefusal ? 'the load was refused (load.safety.production)' : 'the load was refused (load.safety.hosts)');
    return false;
  }
  const deadlineRefusal = checkDeadline(config, ctx.deadline - Date.now());
  if (deadlineRefusal) {
    ctx.record(runCheck.error(deadlineRefusal.message));
    refuseAll('the load did not fit in the gate deadline (load.run)');
    return false;
  }
  const plannedConnections = config.endpoints.reduce((n, e) => n + (e.connections ?? config.connections), 0);
  ctx.record(
    hosts.pass(`load goes only to ${hostList.join(', ')}; within the caps: ${describeCaps(config, plannedConnections)}`),
  );
  return true;
}

/** 2. Plans; an endpoint that needs the auth gate's token and has none is skipped with the reason. */
function planEndpoints(ctx: GateContext, config: LoadConfig, scopes: Scopes): EndpointPlan[] {
  const plans: EndpointPlan[] = [];
  const token = ctx.shared.accessToken;
  if (token) ctx.redactor.add(token);
  for (const e of config.endpoints) {
    const scope = scopes.endpoints.get(e.name)!;
    if (e.auth && !token) {
      const why = `auth: true but there is no access token from the auth gate (it did not run in this run or did not log in); run it together with load, e.g. --gates auth,load`;
      ctx.record({ ...summary.skip(why, { title: `Load summary (${scope.label})` }), id: `load.summary.${e.name}` });
      recordThresholdsAs(ctx, scope, 'skip', `not judged: ${why}`);
      scopes.endpoints.delete(e.name);
      continue;
    }
    // Lower-case names, so an endpoint's header (or the token) replaces the target's instead of doubling it.
    const headers: Record<string, string> = { ...lowerKeys(ctx.profile.target.headers), ...lowerKeys(e.headers) };
    if (e.auth) headers.authorization = `Bearer ${token}`;
    const body = bodyOf(e, headers);
    const connections = e.connections ?? config.connections;
    const rate = e.rate ?? config.rate;
    const recorder = new EndpointRecorder();
    if (rate !== undefined) {
      recorder.intendedRate = rate;
      // autocannon spreads the rate over min(connections, rate) connections; each is meant to send every connections/rate s.
      recorder.expectedIntervalMs = (Math.min(connections, rate) * 1000) / rate;
    }
    plans.push({
      name: e.name,
      method: e.method,
      url: ctx.http.resolve(e.target).toString(),
      headers,
      body,
      connections,
      rate,
      recorder,
    });
  }
  return plans;
}

/** The warm-up phase with its progress line; how many requests it sent. */
async function warmUp(ctx: GateContext, config: LoadConfig, plans: EndpointPlan[], timeoutMs: number): Promise<number> {
  const warm = new LoadPhase(plans, {
    durationMs: config.warmup,
    timeoutMs,
    warmup: true,
    signal: ctx.signal,
    trust: ctx.http.trust,
  });
  const started = performance.now();
  const timer = setInterval(
    () =>
      ctx.progress(
        `warm-up ${progressBar((performance.now() - started) / config.warmup)} ${formatDuration(performance.now() - started)}/${formatDuration(config.warmup)} (not counted)`,
      ),
    PROGRESS_MS,
  );
  try {
    const warmed = await warm.run();
    return warmed.reduce((n, o) => n + (o.result?.requests.total ?? 0), 0);
  } finally {
    clearInterval(timer);
  }
}

interface MeasuredLoad {
  outcomes: PhaseOutcome[];
  /** Why the load stopped early (abortOnFail, nothing answers), if it did. */
  abortedBy?: string;
  /** Responses per endpoint at each tick, for the requests-per-second-over-time chart. */
  traces: Map<string, { at: number; responses: number }[]>;
}

/** 4. The measured load, watched every 500 ms for progress, abortOnFail and a target that answers nothing. */
async function measureLoad(
  ctx: GateContext,
  config: LoadConfig,
  plans: EndpointPlan[],
  scopes: Scopes,
  timeoutMs: number,
): Promise<MeasuredLoad> {
  const phase = new LoadPhase(plans, {
    durationMs: config.duration,
    amount: config.amount,
    timeoutMs,
    warmup: false,
    signal: ctx.signal,
    trust: ctx.http.trust,
  });
  const watcher = watchLoad(ctx, config, plans, scopes, (why) => phase.stop(why));
  const timer = setInterval(watcher.tick, PROGRESS_MS);
  try {
    const outcomes = await phase.run();
    return { outcomes, abortedBy: watcher.abortedBy(), traces: watcher.traces };
  } finally {
    clearInterval(timer);
  }
}

/** What each tick of the measured load does: progress, the rps trace, and stopping it when it must. */
function watchLoad(
  ctx: GateContext,
  config: LoadConfig,
  plans: EndpointPlan[],
  scopes: Scopes,
  stop: (why: string) => void,
): { tick: () => void; abortedBy: () => string | undefined; traces: MeasuredLoad['traces'] } {
  // Only scopes with an abortOnFail threshold are evaluated while the load runs.
  const watched = [
    ...plans.map((p) => ({ scope: scopes.endpoints.get(p.name)!, stats: () => p.recorder.snapshot() })),
    { scope: scopes.run, stats: () => combine(plans.map((p) => p.recorder.snapshot())) },
  ].filter((w) => w.scope.thresholds.some((t) => t.abortOnFail));
  let abortedBy: string | undefined;
  let last = { at: performance.now(), responses: 0 };
  const started = performance.now();
  const traces: MeasuredLoad['traces'] = new Map(plans.map((p) => [p.name, []]));
  const tick = () => {
    const now = performance.now();
    for (const p of plans) traces.get(p.name)!.push({ at: now - started, responses: p.recorder.snapshot(now).responses });
    const total = combine(
      plans.map((p) => p.recorder.snapshot(now)),
      false,
    );
    const liveRps = ((total.responses - last.responses) * 1000) / Math.max(1, now - last.at);
    last = { at: now, responses: total.responses };
    const elapsed = now - started;
    const of = config.amount
      ? `${total.attempts.toLocaleString('en-US')}/${(config.amount * plans.length).toLocaleString('en-US')} requests`
      : `${formatDuration(elapsed)}/${formatDuration(config.duration)}`;
    const fraction = config.amount ? total.attempts / (config.amount * plans.length) : elapsed / config.duration;
    ctx.progress(
      `measuring ${progressBar(fraction)} ${of} · ${formatRate(liveRps)} rps · ${total.responses.toLocaleString('en-US')} responses · ${formatPercent(errorRate(total))} errors`,
    );
    if (abortedBy) return;
    if (elapsed >= NOTHING_ANSWERS_MS && total.responses === 0 && total.transportErrors > 0) {
      abortedBy = `the target answered none of ${total.transportErrors.toLocaleString('en-US')} requests in the first ${formatDuration(elapsed)}`;
      stop(abortedBy);
      return;
    }
    for (const w of watched) {
      const due = w.scope.thresholds.filter((t) => t.abortOnFail && elapsed >= t.delayAbortEvalMs);
      if (!due.length) continue;
      const stats = w.stats();
      for (const t of due) {
        const outcome = evaluateThreshold(t, stats);
        // No samples yet is not a reason to abort; the final judgement still fails it.
        if (outcome.ok || outcome.noSamples) continue;
        abortedBy = `abortOnFail: "${t.source}" failed for ${w.scope.label} after ${formatDuration(elapsed)} (${outcome.message})`;
        stop(abortedBy);
        return;
      }
    }
  };
  return { tick, abortedBy: () => abortedBy, traces };
}

/** 5. Judgement: the run check, a summary and the thresholds per endpoint, then for all endpoints together. */
function judgeLoad(
  ctx: GateContext,
  config: LoadConfig,
  scopes: Scopes,
  plans: EndpointPlan[],
  load: MeasuredLoad,
  before: { warmupRequests: number; baselines: Map<string, LoadStats> },
): void {
  const failed = load.outcomes.filter((o) => o.error);
  const measured = load.outcomes.filter((o) => !o.error);
  const rows: SummaryRow[] = measured.map((o) => ({
    label: scopes.endpoints.get(o.plan.name)!.label,
    stats: o.plan.recorder.snapshot(),
  }));
  const runStats = combine(rows.map((r) => r.stats));
  if (rows.length > 1) rows.push({ label: 'all endpoints', stats: runStats });
  const table = summaryTable(rows);
  recordRunCheck(ctx, config, plans, {
    failed,
    abortedBy: load.abortedBy,
    runStats,
    table,
    warmupRequests: before.warmupRequests,
  });

  for (const o of failed)
    recordThresholdsAs(
      ctx,
      scopes.endpoints.get(o.plan.name)!,
      'error',
      `not judged: autocannon could not run this endpoint (${o.error})`,
    );
  for (const o of measured) {
    const scope = scopes.endpoints.get(o.plan.name)!;
    const stats = o.plan.recorder.snapshot();
    ctx.record({
      ...summary.pass({
        message: summaryLine({ label: scope.label, stats }),
        title: `Load summary (${scope.label})`,
        metrics: metricsOf(stats),
        series: { rps: perSecond(load.traces.get(o.plan.name)!) },
        charts: summaryCharts(scope.label, metricsOf(stats), perSecond(load.traces.get(o.plan.name)!)),
        evidence: {
          request: scope.request,
          body: table,
          details: { statusCodes: stats.statuses, connections: o.plan.connections },
        },
      }),
      id: `load.summary.${scope.name}`,
    });
    judge(ctx, scope, stats, table);
    for (const r of shapeResults(
      { ...scope, connections: o.plan.connections, rate: o.plan.rate },
      stats,
      before.baselines.get(o.plan.name),
      config,
    ))
      ctx.record(r);
  }
  if (measured.length === 0) recordThresholdsAs(ctx, scopes.run, 'error', 'not judged: no endpoint could be loaded (load.run)');
  else if (measured.length > 1 || config.thresholds.length) {
    if (measured.length > 1)
      ctx.record({
        ...summary.pass({
          message: summaryLine({ label: 'all endpoints', stats: runStats }),
          title: 'Load summary (all endpoints)',
          metrics: metricsOf(runStats),
          evidence: { body: table, details: { statusCodes: runStats.statuses } },
        }),
        id: `load.summary.${RUN_SCOPE}`,
      });
    judge(ctx, scopes.run, runStats, table);
  }
}

/** load.run: autocannon could not run an endpoint, the load stopped early, or what was measured and how. */
function recordRunCheck(
  ctx: GateContext,
  config: LoadConfig,
  plans: EndpointPlan[],
  run: { failed: PhaseOutcome[]; abortedBy?: string; runStats: LoadStats; table: string; warmupRequests: number },
): void {
  const { failed, abortedBy, runStats, table, warmupRequests } = run;
  const totalConnections = plans.reduce((n, p) => n + p.connections, 0);
  const shape = `${totalConnections} connection${totalConnections > 1 ? 's' : ''} over ${plans.length} endpoint${plans.length > 1 ? 's' : ''}${config.rate !== undefined ? ` at ${config.rate} rps each` : ''}${config.warmup > 0 ? `; warm-up ${formatDuration(config.warmup)} (${warmupRequests.toLocaleString('en-US')} requests) not counted` : ''}`;
  if (failed.length)
    ctx.record(runCheck.error(`autocannon could not run ${failed.map((o) => `"${o.plan.name}" (${o.error})`).join(', ')}`));
  if (abortedBy)
    ctx.record(
      runCheck.fail({
        message: `stopped early after ${runStats.seconds.toFixed(2)}s of ${formatDuration(config.duration)}: ${abortedBy}`,
        evidence: { body: table },
        metrics: { seconds: runStats.seconds },
      }),
    );
  else if (!failed.length)
    ctx.record(
      runCheck.pass({
        message: `${runStats.seconds.toFixed(2)}s measured with ${shape}`,
        metrics: { seconds: runStats.seconds, connections: totalConnections, warmupRequests },
      }),
    );
}

function judge(ctx: GateContext, scope: Scope, stats: LoadStats, table: string): void {
  const ids = thresholdIds(scope.name, scope.thresholds);
  scope.thresholds.forEach((t, i) => {
    const outcome = evaluateThreshold(t, stats);
    const result: CheckResult = thresholdCheck[outcome.ok ? 'pass' : 'fail']({
      message: outcome.message,
      title: titleOf(t, scope),
      metrics: outcome.observed !== undefined ? { observed: round3(outcome.observed), threshold: t.value } : undefined,
      charts: thresholdCharts(t.kind, titleOf(t, scope), t.value),
      evidence: {
        request: scope.request,
        body: table,
        details: {
          threshold: t.source,
          scope: scope.label,
          ...(stats.corrected ? { note: 'latencies corrected for coordinated omission (rate set)' } : {}),
        },
      },
    });
    ctx.record({ ...result, id: ids[i] });
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
