// Runs a loaded profile with reporters, signals and exit codes; shared by `run` and `demo`.
import type { LoadedProfile } from '../profile/load.js';
import { Multiplexer } from '../report/reporter.js';
import type { RunResult } from '../result.js';
import { runProfile } from '../runner/run.js';
import { version } from '../paths.js';
import { displayUrl } from '../redact.js';
import { InputFileError, readInputFile } from '../read-input.js';
import { applyBaseline } from '../baseline.js';
import { mergeResults, parseReport } from '../report/merge.js';
import { UsageError } from '../runner/plan.js';
import { quietConsoleReporter } from './quiet-console.js';
import type { NotifyWhen } from '../report/webhook.js';
import {
  artifactsDirFor,
  attachSources,
  checkSpecs,
  collectSpecs,
  fileReporters,
  finishReports,
  makeConsole,
  parseReporterSpecs,
  stdoutTaken,
  type ReporterSpec,
} from './reporters.js';

/** -q's failure lines, on stderr when a report takes stdout (-r json=-). */
const quietConsole = (specs: ReporterSpec[]) => [quietConsoleReporter(stdoutTaken(specs) ? process.stderr : process.stdout)];

export interface ExecuteOptions {
  /** --baseline: a JSON report of an earlier run to compare with. */
  baseline?: string;
  /** When a webhook reporter posts. */
  notify?: NotifyWhen;
  /** --fail-on regression. */
  failOnRegression?: boolean;
  /** Relative worsening of a metric that counts as a regression (default 0.2). */
  tolerance?: number;
  gates?: string[];
  suite?: string;
  reporter?: string[];
  failOn?: 'fail' | 'warn';
  quiet?: boolean;
  verbose?: boolean;
  timeoutMs?: number;
  /** Permits the load gate on a target marked production. */
  allowLoad?: boolean;
}

export const EXIT = { pass: 0, fail: 1, usage: 2, internal: 3 } as const;

export function exitCodeFor(result: RunResult): number {
  if (result.interrupted) return EXIT.internal;
  return result.verdict === 'pass' ? EXIT.pass : result.verdict === 'fail' ? EXIT.fail : EXIT.internal;
}

/** Signals that end a run: Ctrl-C, kill, a closed terminal (SIGHUP), a CI runner's cancel (SIGQUIT, Ctrl-\). */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/** Stops on the first stop signal gracefully (reports are written); a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (name: NodeJS.Signals) => {
    count++;
    // After SIGHUP the terminal is gone: a write to it must not crash the run before its reports are written.
    if (name === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    if (count === 1) {
      process.stderr.write(`\nshipgate: ${name} received; stopping, writing reports (press Ctrl-C again to quit at once)\n`);
      controller.abort(new Error(`interrupted by ${name}`));
    } else process.exit(EXIT.internal);
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose() {
      for (const name of STOP_SIGNALS) process.off(name, onSignal);
    },
  };
}

/** A JSON report with evidence of every check stays far below this. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/** Reads and checks --baseline; swap in the JSON report's schema check here once it lands. */
export async function readBaseline(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = (await readInputFile(path, MAX_BASELINE_BYTES)).toString('utf8');
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    throw new UsageError(`--baseline ${path}: ${err.message}`);
  }
  try {
    return parseReport(text, path);
  } catch (err) {
    throw new UsageError(`--baseline ${(err as Error).message}`);
  }
}

const reportError = (name: string, err: unknown) =>
  process.stderr.write(`shipgate: reporter ${name} failed: ${(err as Error)?.message ?? err}\n`);

/** The run's inputs, which no report may overwrite. */
function inputsOf(all: LoadedProfile[], opts: ExecuteOptions): { what: string; path: string }[] {
  return [
    ...all.map((l) => ({ what: 'profile', path: l.path })),
    ...(opts.baseline ? [{ what: '--baseline report', path: opts.baseline }] : []),
  ];
}

export async function executeRun(
  loaded: LoadedProfile,
  opts: ExecuteOptions,
  signal: AbortSignal,
): Promise<{ result: RunResult; exitCode: number }> {
  const specs = collectSpecs(parseReporterSpecs(opts.reporter ?? []), loaded.profile);
  checkSpecs(specs, inputsOf([loaded], opts));
  // Every input file is read and checked before any traffic: a bad --baseline is exit 2 up front.
  const baseline = opts.baseline ? await readBaseline(opts.baseline) : undefined;
  return runWithSpecs(loaded, opts, signal, specs, !opts.quiet, baseline);
}

/**
 * Several profiles: each is validated before any traffic, runs with its own profile's report: section,
 * and the --reporter files get one merged report with a suite per profile and gate.
 */
export async function executeMany(
  all: LoadedProfile[],
  opts: ExecuteOptions & { parallel?: number },
  signal: AbortSignal,
): Promise<{ result: RunResult; exitCode: number }> {
  const cliSpecs = parseReporterSpecs(opts.reporter ?? []);
  checkSpecs([...cliSpecs, ...all.flatMap((l) => collectSpecs([], l.profile))], inputsOf(all, opts));
  const baseline = opts.baseline ? await readBaseline(opts.baseline) : undefined;
  const parallel = Math.max(1, opts.parallel ?? 1);
  const results: RunResult[] = new Array(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const i = next++;
      results[i] = (
        await runWithSpecs(
          all[i],
          { ...opts, quiet: false },
          signal,
          collectSpecs([], all[i].profile),
          !opts.quiet && parallel === 1,
          baseline,
        )
      ).result; // -q: the merged run prints
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, all.length) }, worker));
  const merged = mergeResults(results);
  const reporter = new Multiplexer(
    [
      ...(opts.quiet ? quietConsole(cliSpecs) : parallel > 1 ? makeConsole(opts, cliSpecs) : []),
      ...fileReporters(
        cliSpecs,
        opts.notify,
        all.map((l) => l.profile.target),
      ),
    ],
    reportError,
  );
  const written = await finishReports(reporter, merged, cliSpecs, 'merged: ');
  if (parallel === 1 && !opts.quiet)
    process.stdout.write(
      `\n${all.length} profiles: ${results.map((r) => `${r.profile.name} ${r.verdict}`).join(', ')} → ${merged.verdict.toUpperCase()}\n`,
    );
  return { result: merged, exitCode: written ? exitCodeFor(merged) : EXIT.internal };
}

async function runWithSpecs(
  loaded: LoadedProfile,
  opts: ExecuteOptions,
  signal: AbortSignal,
  specs: ReporterSpec[],
  withConsole: boolean,
  baseline?: RunResult,
): Promise<{ result: RunResult; exitCode: number }> {
  const reporter = new Multiplexer(
    [
      ...(withConsole ? makeConsole(opts, specs) : opts.quiet ? quietConsole(specs) : []),
      ...fileReporters(specs, opts.notify, [loaded.profile.target]),
    ],
    reportError,
  );
  let result: RunResult;
  try {
    result = await runProfile({
      loaded,
      gates: opts.gates,
      suite: opts.suite,
      failOn: opts.failOn ?? 'fail',
      reporter,
      artifactsDir: artifactsDirFor(specs),
      signal,
      version,
      runTimeoutMs: opts.timeoutMs,
      allowLoad: opts.allowLoad,
    });
  } catch (err) {
    // A bug in shipgate still leaves reports behind, saying so.
    result = {
      schemaVersion: 1,
      tool: { name: 'shipgate', version },
      profile: { name: loaded.profile.name, path: loaded.path },
      target: { baseUrl: displayUrl(loaded.profile.target.baseUrl, loaded.secrets) },
      startedAt: new Date().toISOString(),
      durationMs: 0,
      verdict: 'error',
      failOn: opts.failOn ?? 'fail',
      gates: [
        {
          id: 'shipgate',
          title: 'shipgate',
          status: 'error',
          durationMs: 0,
          checks: [
            {
              id: 'shipgate.internal',
              title: 'shipgate ran',
              status: 'error',
              severity: 'high',
              message: `internal error: ${(err as Error)?.message ?? err}`,
              durationMs: 0,
            },
          ],
        },
      ],
    };
    if (err instanceof UsageError) throw err;
  }
  result = attachSources(result, loaded.path);
  if (opts.baseline && baseline)
    result = applyBaseline(result, baseline, opts.baseline, {
      failOnRegression: Boolean(opts.failOnRegression),
      tolerance: opts.tolerance,
    });
  // A report that could not be written is an error of shipgate's (exit 3), never announced as written.
  const written = await finishReports(reporter, result, specs);
  return { result, exitCode: written ? exitCodeFor(result) : EXIT.internal };
}
