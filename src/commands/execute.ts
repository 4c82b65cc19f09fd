// Runs a loaded profile with reporters, signals and exit codes; shared by `run` and `demo`.
import type { LoadedProfile } from '../profile/load.js';
import { Multiplexer } from '../report/reporter.js';
import type { RunResult } from '../result.js';
import { runProfile } from '../runner/run.js';
import { version } from '../paths.js';
import { artifactsDirFor, collectSpecs, fileReporters, makeConsole, parseReporterSpecs } from './reporters.js';

export interface ExecuteOptions {
  gates?: string[];
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

/** Stops on the first SIGINT/SIGTERM gracefully (reports are written); a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (name: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      process.stderr.write(`\nshipgate: ${name} received; stopping, writing reports (press Ctrl-C again to quit at once)\n`);
      controller.abort(new Error(`interrupted by ${name}`));
    } else process.exit(EXIT.internal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export async function executeRun(loaded: LoadedProfile, opts: ExecuteOptions, signal: AbortSignal): Promise<{ result: RunResult; exitCode: number }> {
  const specs = collectSpecs(parseReporterSpecs(opts.reporter ?? []), loaded.profile);
  const reporter = new Multiplexer([...makeConsole(opts), ...fileReporters(specs)], (name, err) => {
    process.stderr.write(`shipgate: reporter ${name} failed: ${(err as Error)?.message ?? err}\n`);
  });
  let result: RunResult;
  try {
    result = await runProfile({
      loaded,
      gates: opts.gates,
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
      target: { baseUrl: loaded.profile.target.baseUrl },
      startedAt: new Date().toISOString(),
      durationMs: 0,
      verdict: 'error',
      failOn: opts.failOn ?? 'fail',
      gates: [{ id: 'shipgate', title: 'shipgate', status: 'error', durationMs: 0, checks: [{ id: 'shipgate.internal', title: 'shipgate ran', status: 'error', severity: 'high', message: `internal error: ${(err as Error)?.message ?? err}`, durationMs: 0 }] }],
    };
    if ((err as Error)?.name === 'UsageError') throw err;
  }
  await reporter.onEnd(result);
  for (const s of specs) process.stderr.write(`shipgate: wrote ${s.kind} report to ${s.path}\n`);
  return { result, exitCode: exitCodeFor(result) };
}
