// Runs the plan: every gate gets a context with a deadline and an AbortSignal; whatever a gate throws
// becomes an `error` check; when probes fail, later gates are skipped with the reason.
import { resolve } from 'node:path';
import type { GateContext, GateManifest, GateModule, PrepareContext, SharedState } from '../gates/contract.js';
import type { CheckDef } from '../check.js';
import { GATES } from '../gates/registry.js';
import { HttpClient } from '../http/client.js';
import { trustFor } from '../http/trust.js';
import type { LoadedProfile } from '../profile/load.js';
import { Redactor } from '../redact.js';
import type { Reporter } from '../report/reporter.js';
import { gateStatus, verdictOf, type CheckResult, type GateResult, type RunResult } from '../result.js';
import { deadline, type Deadline } from '../deadline.js';
import { formatDuration } from '../duration.js';
import { ManagedTarget, setManagedTarget, startResult } from '../target/managed-target.js';
import { planGates } from './plan.js';
import { applyWaivers } from './waivers.js';
import { reportInsecureTls } from './insecure-tls.js';

export interface RunOptions {
  loaded: LoadedProfile;
  gates?: string[];
  suite?: string;
  failOn: 'fail' | 'warn';
  reporter: Reporter;
  artifactsDir: string;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal?: AbortSignal;
  version: string;
  /** Extra secrets (e.g. from the environment) to redact. */
  redactor?: Redactor;
  /** Overrides the profile's run deadline. */
  runTimeoutMs?: number;
  /** --allow-load: permits load on a target marked production. */
  allowLoad?: boolean;
}

export async function runProfile(opts: RunOptions): Promise<RunResult> {
  const { profile } = opts.loaded;
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const redactor = runRedactor(opts);

  const runTimeout = opts.runTimeoutMs ?? profile.timeouts.run;
  // Not ref'd (as AbortSignal.timeout was not): a usage error thrown before the run starts must not keep the process alive.
  const runDeadline = deadline(runTimeout, { linked: [opts.signal], ref: false });
  const runSignal = runDeadline.signal;
  const phases = planGates(profile, { only: opts.gates, suite: opts.suite });
  const { baseUrl, trust, http, shared, managed } = openRun(opts, runSignal);
  const results = new Map<string, GateResult>();
  const reporter = opts.reporter;
  let startFailed: GateResult | undefined;

  reporter.onBegin?.({
    profile: { name: profile.name, path: opts.loaded.path },
    target: { baseUrl: redactor.url(profile.target.baseUrl) },
    gates: phases.flat().map((g) => ({ id: g.id, title: g.title })),
    startedAt,
  });

  const insecureTls = reportInsecureTls(trust, baseUrl, reporter);
  let notReady: string | undefined;
  const deferred: Deferred[] = [];
  const { preparations, prepareCleanups } = startPreparations(phases.flat(), {
    baseUrl,
    profile,
    signal: runSignal,
    shared,
    redactor,
    artifactsDir: resolve(opts.artifactsDir),
  });
  const gateEnv = { opts, http, shared, redactor, runSignal, baseUrl, runTimeout, deferred };
  try {
    for (const phase of phases) {
      // A gate that starts the target itself (after building it) does so; without it, the runner does, before the first other gate.
      if (managed && !managed.attempted && !runSignal.aborted && !notReady && phase.some((g) => !g.startsTarget)) {
        startFailed = await startBeforeGates(managed, targetStarter(), runSignal, reporter, redactor);
        if (startFailed) notReady = `${startFailed.checks[0].id} failed (${startFailed.checks[0].message})`;
      }
      // Not ready: only gates with checks of the connection itself run (and only those checks); the rest skip.
      const blocked = notReady ? `target not ready: ${notReady}` : undefined;
      const runnable = runSignal.aborted ? [] : !blocked ? phase : phase.filter((g) => g.connectionChecks?.length);
      const skipped = phase.filter((g) => !runnable.includes(g));
      if (skipped.length) skipPhase(skipped, blocked ?? interruptReason(opts.signal, runTimeout), results, reporter);
      const done = await Promise.all(
        runnable.map((g) => runGate(g, { ...gateEnv, notReady: blocked, preparation: preparations.get(g.id)! })),
      );
      for (const [i, r] of done.entries()) {
        results.set(r.id, r);
        const readiness = runnable[i].readiness;
        if (readiness && (r.status === 'fail' || r.status === 'error')) {
          const first = r.checks.find(
            (c) => (c.status === 'fail' || c.status === 'error') && !readiness.findingsOnly.includes(c.id),
          );
          if (first) notReady = `${first.id} ${first.status}ed (${first.message})`;
        }
      }
    }
    // Last in, first out: the gate that set things up first (build, owning the managed target) finishes last.
    await runDeferred(deferred.reverse(), runSignal, reporter);
  } finally {
    await releasePreparations(prepareCleanups, preparations);
    await managed?.stop();
    await http.close();
    runDeadline.release();
  }

  const gates = [
    ...(insecureTls ? [insecureTls] : []),
    ...(startFailed ? [startFailed] : []),
    ...phases
      .flat()
      .map((g) => results.get(g.id)!)
      .filter(Boolean),
  ];
  return runResult(opts, redactor, { started, startedAt, gates });
}

/** What a run holds while it runs: the HTTP client, the state gates share, the managed target (target.start). */
function openRun(opts: RunOptions, runSignal: AbortSignal) {
  const { profile } = opts.loaded;
  const baseUrl = new URL(profile.target.baseUrl);
  const trust = trustFor(profile.target);
  const http = new HttpClient({
    baseUrl,
    timeoutMs: profile.timeouts.request,
    defaultHeaders: profile.target.headers,
    signal: runSignal,
    trust,
  });
  const shared: SharedState = {};
  // target.start: the app is started before the first gate that needs it and stopped at the very end.
  const managed = profile.target.start ? new ManagedTarget(profile.target.start, baseUrl, trust) : undefined;
  if (managed) setManagedTarget(shared, managed);
  return { baseUrl, trust, http, shared, managed };
}

/** The run's redactor: the profile's secrets, every target header value and the base URL's credentials. */
function runRedactor(opts: RunOptions): Redactor {
  const { profile } = opts.loaded;
  const redactor = opts.redactor ?? new Redactor();
  for (const s of opts.loaded.secrets) redactor.add(s);
  for (const v of Object.values(profile.target.headers)) redactor.add(v);
  redactor.addUrl(profile.target.baseUrl);
  return redactor;
}

/** Every gate of a phase that cannot run (target not ready, deadline, Ctrl-C) is skipped with the reason. */
function skipPhase(phase: GateManifest[], reason: string, results: Map<string, GateResult>, reporter: Reporter): void {
  for (const g of phase) {
    const skipped: GateResult = { ...gateHead(g), status: 'skip', durationMs: 0, checks: [], reason };
    results.set(g.id, skipped);
    reporter.onGateEnd?.(skipped);
  }
}

/** The finished run, verdict decided, waivers applied, redacted. */
function runResult(
  opts: RunOptions,
  redactor: Redactor,
  run: { started: number; startedAt: string; gates: GateResult[] },
): RunResult {
  const { profile } = opts.loaded;
  const interrupted = Boolean(opts.signal?.aborted);
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'shipgate', version: opts.version },
    profile: { name: profile.name, path: opts.loaded.path },
    target: { baseUrl: redactor.url(profile.target.baseUrl) },
    startedAt: run.startedAt,
    durationMs: Date.now() - run.started,
    verdict: interrupted ? 'error' : verdictOf(run.gates, opts.failOn),
    failOn: opts.failOn,
    ...(interrupted ? { interrupted: true } : {}),
    gates: run.gates,
  };
  return redactor.value(applyWaivers(result, profile.waivers));
}

/**
 * Starts the target for a run without the gate that starts it (its manifest has startsTarget); on failure,
 * a result of that gate holding the start check.
 */
export async function startBeforeGates(
  target: ManagedTarget,
  starter: Pick<GateManifest, 'id' | 'title' | 'securityFindings'> & { startsTarget: CheckDef },
  signal: AbortSignal,
  reporter: Reporter,
  redactor: Redactor,
): Promise<GateResult | undefined> {
  const outcome = await target.start(signal, (m) => reporter.onProgress?.(starter.id, redactor.text(m)));
  if (outcome.ok) return undefined;
  const check = redactor.value(startResult(starter.startsTarget, outcome));
  const gate: GateResult = {
    ...gateHead(starter),
    status: 'fail',
    durationMs: outcome.durationMs,
    checks: [check],
  };
  reporter.onGateBegin?.({ id: gate.id, title: gate.title });
  reporter.onCheck?.(gate.id, check);
  reporter.onGateEnd?.(gate);
  return gate;
}

/** The gate whose check records the managed target's start (also when the runner starts it). */
function targetStarter(): GateManifest & { startsTarget: CheckDef } {
  const starter = GATES.find((g) => g.startsTarget);
  if (!starter?.startsTarget) throw new Error('target.start needs a gate that records the start (startsTarget in its manifest)');
  return starter as GateManifest & { startsTarget: CheckDef };
}

/** What every result of a gate carries from its manifest. */
function gateHead(
  entry: Pick<GateManifest, 'id' | 'title' | 'securityFindings'>,
): Pick<GateResult, 'id' | 'title' | 'securityFindings'> {
  return { id: entry.id, title: entry.title, ...(entry.securityFindings ? { securityFindings: true } : {}) };
}

function interruptReason(signal: AbortSignal | undefined, runTimeout: number): string {
  return signal?.aborted
    ? 'interrupted before this gate started'
    : `the run's deadline (${formatDuration(runTimeout)}) passed before this gate started`;
}

interface Preparation {
  /** The gate's module: already loading for a gate that prepares, else loaded on first call. */
  module(): Promise<GateModule<any>>;
  /** What prepare() resolved to; undefined when the gate has none. */
  value: Promise<unknown>;
  /** performance.now() when prepare() was called and when it settled. */
  startedAt?: number;
  settledAt?: number;
}

/**
 * Gates with a prepare() load now and start it, so slow work that needs no target (launching a browser)
 * overlaps the phases before the gate's own; the others load when they start.
 */
function startPreparations(
  gates: GateManifest[],
  pctx: Omit<PrepareContext, 'onCleanup'>,
): { preparations: Map<string, Preparation>; prepareCleanups: (() => Promise<void> | void)[] } {
  const prepareCleanups: (() => Promise<void> | void)[] = [];
  const ctx: PrepareContext = { ...pctx, onCleanup: (fn) => void prepareCleanups.push(fn) };
  return { preparations: new Map(gates.map((g) => [g.id, startPreparation(g, ctx)])), prepareCleanups };
}

/** Runs the preparations' cleanups; one still in flight (Ctrl-C during a browser launch) gets a moment to release what it made. */
async function releasePreparations(
  cleanups: (() => Promise<void> | void)[],
  preparations: Map<string, Preparation>,
): Promise<void> {
  for (const fn of cleanups.reverse())
    await Promise.resolve()
      .then(fn)
      .catch(() => {});
  await settledWithin(
    [...preparations.values()].map((p) => p.value),
    5_000,
  );
}

function startPreparation(entry: GateManifest, pctx: PrepareContext): Preparation {
  if (!entry.prepares) {
    let loading: Promise<GateModule<any>> | undefined;
    return { module: () => (loading ??= entry.load()), value: Promise.resolve(undefined) };
  }
  const module = entry.load();
  const prep: Preparation = { module: () => module, value: Promise.resolve(undefined) };
  prep.value = module.then(async (gate) => {
    if (!gate.prepare) return undefined;
    prep.startedAt = performance.now();
    try {
      return await gate.prepare(pctx, (pctx.profile.gates as Record<string, unknown>)[entry.id]);
    } finally {
      prep.settledAt = performance.now();
    }
  });
  // Failures surface where the gate awaits them (an internal error of that gate), or nowhere if it is skipped.
  module.catch(() => {});
  prep.value.catch(() => {});
  return prep;
}

/** How long a preparation ran before its gate started (it ran alongside earlier phases). */
function preparedBefore(prep: Preparation, gateStartedAt: number): number | undefined {
  if (prep.startedAt === undefined) return undefined;
  return Math.max(0, Math.min(prep.settledAt ?? gateStartedAt, gateStartedAt) - prep.startedAt);
}

async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

interface Deferred {
  result: GateResult;
  fn: () => Promise<void>;
  open(on: boolean): void;
  cleanups: (() => Promise<void> | void)[];
}

/** Work gates deferred until everything else finished; results are appended to their gate. */
async function runDeferred(deferred: Deferred[], runSignal: AbortSignal, reporter: Reporter): Promise<void> {
  for (const d of deferred) {
    const started = performance.now();
    if (!runSignal.aborted) {
      d.open(true);
      try {
        await d.fn();
      } catch (err) {
        d.result.checks.push({
          id: `${d.result.id}.internal`,
          title: `${d.result.title} ran to completion`,
          status: 'error',
          severity: 'high',
          message: `shipgate could not finish this gate: ${(err as Error)?.message ?? String(err)}`,
          durationMs: performance.now() - started,
        });
      } finally {
        d.open(false);
      }
    }
    d.result.durationMs += performance.now() - started;
    d.result.status = gateStatus(d.result.checks);
    // The gate is complete now: reporters that held its group (pending) can show it whole.
    reporter.onGateEnd?.(d.result);
  }
  // Cleanups of gates with deferred work run last, whatever happened.
  for (const d of deferred)
    for (const fn of d.cleanups.reverse())
      await Promise.resolve()
        .then(fn)
        .catch(() => {});
}

interface RunEnv {
  deferred: Deferred[];
  opts: RunOptions;
  http: HttpClient;
  shared: SharedState;
  redactor: Redactor;
  runSignal: AbortSignal;
  baseUrl: URL;
  runTimeout: number;
  preparation: Preparation;
  /** "target not ready: …" when the gate runs only its connectionChecks. */
  notReady?: string;
}

/**
 * Runs one gate; with `retries: {<gate>: N}` a gate with a failing or erroring check runs again, up to N
 * more times, each attempt with a fresh deadline and its own cleanup. The last attempt's checks are the
 * result; one that failed earlier and passed now is `flaky`, with the earlier statuses in `attempts`.
 */
async function runGate(entry: GateManifest, env: RunEnv): Promise<GateResult> {
  const { opts, runSignal } = env;
  const reporter = opts.reporter;
  const retries = opts.loaded.profile.retries?.[entry.id] ?? 0;
  const started = performance.now();
  const earlier: CheckResult[][] = [];
  reporter.onGateBegin?.({ id: entry.id, title: entry.title });
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptGate(entry, env, retries > 0 ? retryMarker(earlier, attempt, retries + 1) : (c) => c);
    const failing = outcome.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    if (failing.length === 0 || attempt > retries || runSignal.aborted) {
      const prepareMs = preparedBefore(env.preparation, started);
      const status = gateStatus(outcome.checks);
      const result: GateResult = {
        ...gateHead(entry),
        status,
        // Run while not ready and nothing to say: skipped for the same reason as the gates that did not run.
        ...(env.notReady && status === 'skip' ? { reason: env.notReady } : {}),
        durationMs: performance.now() - started,
        ...(prepareMs !== undefined ? { prepareMs } : {}),
        checks: outcome.checks,
      };
      reporter.onGateEnd?.(result, { pending: outcome.pending });
      outcome.keep(result);
      return result;
    }
    await outcome.discard();
    earlier.push(outcome.checks);
    const ids = failing.map((c) => `${c.id} ${c.status === 'fail' ? 'failed' : 'errored'}`);
    reporter.onProgress?.(
      entry.id,
      env.redactor.text(`retrying ${entry.id} (attempt ${attempt + 1} of ${retries + 1}): ${ids.join(', ')}`),
      { persistent: true },
    );
  }
}

const BAD: ReadonlySet<string> = new Set(['fail', 'error']);

/**
 * Marks a check of a retried gate with the statuses it had in the earlier attempts (matched by id and
 * occurrence), and turns a pass after an earlier failure into `flaky`: never silently green.
 */
function retryMarker(earlier: CheckResult[][], attempt: number, maxAttempts: number): (c: CheckResult) => CheckResult {
  const seen = new Map<string, number>();
  return (c) => {
    const n = seen.get(c.id) ?? 0;
    seen.set(c.id, n + 1);
    const prior = earlier
      .map((checks) => checks.filter((x) => x.id === c.id)[n])
      .filter((x): x is CheckResult => x !== undefined);
    // A check that passed (or was skipped) every time carries no attempts: nothing happened to it.
    const calm = (s: string) => s === 'pass' || s === 'skip';
    if (prior.length === 0 || (prior.every((p) => calm(p.status)) && calm(c.status))) return c;
    const attempts = prior.map((p) => p.status);
    const bad = prior.map((p, i) => ({ p, i })).filter(({ p }) => BAD.has(p.status));
    if (c.status !== 'pass' || bad.length === 0) return { ...c, attempts };
    const last = bad[bad.length - 1];
    const which = bad.length === 1 ? `attempt ${last.i + 1}` : `attempts ${bad.map(({ i }) => i + 1).join(', ')}`;
    return {
      ...c,
      status: 'flaky',
      attempts,
      message: `flaky: ${last.p.status === 'fail' ? 'failed' : 'errored'} on ${which} of ${maxAttempts} (${last.p.message}), passed on attempt ${attempt}: ${c.message}`,
      evidence: {
        ...c.evidence,
        details: {
          ...c.evidence?.details,
          earlierAttempts: prior.map((p, i) => ({
            attempt: i + 1,
            status: p.status,
            message: p.message,
            ...(p.evidence?.status !== undefined ? { httpStatus: p.evidence.status } : {}),
          })),
        },
      },
    };
  };
}

interface Attempt {
  checks: CheckResult[];
  /** Work deferred until every gate finished (afterAll) is still to come for this gate. */
  pending: boolean;
  /** The final attempt: its deferred work (afterAll) and cleanups are queued with the result. */
  keep(result: GateResult): void;
  /** An attempt that is retried: its deferred work is dropped and its cleanups run now. */
  discard(): Promise<void>;
}

/** What one attempt collects while its gate runs. */
interface AttemptState {
  checks: CheckResult[];
  cleanups: (() => Promise<void> | void)[];
  afterAll: (() => Promise<void>)[];
  /** Set once the attempt is over: a gate that outlived its deadline must not add results afterwards. */
  closed: boolean;
}

/** One attempt of a gate: run it against a fresh deadline, clean up, and hand back its checks. */
async function attemptGate(entry: GateManifest, env: RunEnv, adjust: (c: CheckResult) => CheckResult): Promise<Attempt> {
  const gateTimeout = env.opts.loaded.profile.timeouts.gate;
  const state: AttemptState = { checks: [], cleanups: [], afterAll: [], closed: false };
  const gateDeadline = deadline(gateTimeout, { linked: [env.runSignal] });
  const ctx = attemptContext(entry, env, state, adjust, gateDeadline.signal);
  let pendingCleanups: (() => Promise<void> | void)[] = [];
  let deferredDeadline: Deadline | undefined;
  try {
    await runUntilDeadline(entry, env, ctx);
  } finally {
    gateDeadline.release();
    state.closed = true;
    // With deferred work pending, cleanup waits until that work is done.
    if (state.afterAll.length) pendingCleanups = state.cleanups.splice(0);
    await runCleanups(state.cleanups);
  }
  return {
    checks: state.checks,
    pending: state.afterAll.length > 0,
    keep(result) {
      if (!state.afterAll.length) return;
      env.deferred.push({
        result,
        cleanups: pendingCleanups,
        fn: async () => {
          for (const fn of state.afterAll) await fn();
        },
        open: (on) => {
          state.closed = !on;
          // Deferred work gets a fresh deadline of its own.
          deferredDeadline?.release();
          deferredDeadline = on ? deadline(gateTimeout, { linked: [env.runSignal] }) : undefined;
          if (deferredDeadline) Object.assign(ctx, { signal: deferredDeadline.signal, deadline: Date.now() + gateTimeout });
        },
      });
    },
    async discard() {
      for (const fn of pendingCleanups.reverse())
        await Promise.resolve()
          .then(fn)
          .catch(() => {});
      pendingCleanups = [];
    },
  };
}

/** The context a gate's run() gets for one attempt; records, progress and cleanups land in `state`. */
function attemptContext(
  entry: GateManifest,
  env: RunEnv,
  state: AttemptState,
  adjust: (c: CheckResult) => CheckResult,
  signal: AbortSignal,
): GateContext {
  const { opts, redactor } = env;
  const { profile } = opts.loaded;
  const reporter = opts.reporter;
  return {
    baseUrl: env.baseUrl,
    profile,
    http: env.http,
    signal,
    deadline: Date.now() + profile.timeouts.gate,
    requestTimeoutMs: profile.timeouts.request,
    allowLoad: opts.allowLoad ?? false,
    suite: opts.suite,
    redactor,
    shared: env.shared,
    artifactsDir: resolve(opts.artifactsDir),
    record(result) {
      if (state.closed) return;
      const clean = adjust(redactor.value(result));
      state.checks.push(clean);
      reporter.onCheck?.(entry.id, clean);
    },
    progress(message) {
      if (!state.closed) reporter.onProgress?.(entry.id, redactor.text(message));
    },
    onCleanup(fn) {
      state.cleanups.push(fn);
    },
    afterAll(fn) {
      state.afterAll.push(fn);
    },
    prepared: env.preparation.value,
    ...(env.notReady ? { notReady: env.notReady } : {}),
  };
}

/** Runs the gate until it returns or its deadline passes; a throw or a missed deadline becomes an error check. */
async function runUntilDeadline(entry: GateManifest, env: RunEnv, ctx: GateContext): Promise<void> {
  const { opts, runSignal } = env;
  const gateTimeout = opts.loaded.profile.timeouts.gate;
  const config = (opts.loaded.profile.gates as Record<string, unknown>)[entry.id];
  const started = performance.now();
  const gateSignal = ctx.signal;
  const aborted = new Promise<'aborted'>((resolveAbort) => {
    if (gateSignal.aborted) resolveAbort('aborted');
    gateSignal.addEventListener('abort', () => resolveAbort('aborted'), { once: true });
  });
  try {
    const gate = await env.preparation.module();
    const outcome = await Promise.race([gate.run(ctx, config).then(() => 'done' as const), aborted]);
    if (outcome === 'aborted') {
      const why = opts.signal?.aborted
        ? 'interrupted'
        : runSignal.aborted
          ? `the run's deadline (${formatDuration(env.runTimeout)}) passed`
          : `the gate did not finish within its deadline (${formatDuration(gateTimeout)}, timeouts.gate)`;
      ctx.record({
        id: `${entry.id}.deadline`,
        title: `${entry.title} finished in time`,
        status: 'error',
        severity: 'high',
        message: `${why}; checks that had not finished were not decided`,
        durationMs: performance.now() - started,
      });
    }
  } catch (err) {
    ctx.record({
      id: `${entry.id}.internal`,
      title: `${entry.title} ran to completion`,
      status: 'error',
      severity: 'high',
      message: `shipgate could not finish this gate: ${(err as Error)?.message ?? String(err)}`,
      durationMs: performance.now() - started,
    });
  }
}

/** Cleanup is best effort, last registered first; the result already says what happened. */
async function runCleanups(fns: (() => Promise<void> | void)[]): Promise<void> {
  for (const fn of fns.reverse()) {
    try {
      await fn();
    } catch {
      // best effort
    }
  }
}
