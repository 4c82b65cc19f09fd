// A run that cannot start (a profile error, a bad option) still writes every requested report, with one
// `error` result that says why: CI steps that publish the reports under `if: always()` then show the
// cause instead of failing a second time on a missing file.
import { Multiplexer } from '../report/reporter.js';
import type { RunResult } from '../result.js';
import { version } from '../paths.js';
import { annotationPath } from '../profile/gate-lines.js';
import { describeSpec, fileReporters, githubReporters, parseReporterSpecs } from './reporters.js';

export interface StartupProblem {
  /** `shipgate.profile` for a profile that does not load, `shipgate.usage` for a bad option or file. */
  id: 'shipgate.profile' | 'shipgate.usage';
  message: string;
  /** The profile, when there is one. */
  file?: string;
  line?: number;
  column?: number;
  /** The profile the run was given, when the problem is not in it (a bad option). */
  profile?: string;
}

export function startupErrorResult(problem: StartupProblem): RunResult {
  const where = problem.file
    ? { file: problem.file, ...(problem.line ? { line: problem.line, column: problem.column ?? 1 } : {}) }
    : undefined;
  return {
    schemaVersion: 1,
    tool: { name: 'shipgate', version },
    profile: { name: problem.file ?? problem.profile ?? '(none)', path: problem.file ?? problem.profile ?? '' },
    target: { baseUrl: '' },
    startedAt: new Date().toISOString(),
    durationMs: 0,
    verdict: 'error',
    failOn: 'fail',
    gates: [
      {
        id: 'shipgate',
        title: problem.id === 'shipgate.profile' ? 'Profile' : 'Command line',
        status: 'error',
        durationMs: 0,
        // JUnit's file/line and the GitHub annotation point at the line that is wrong.
        ...(where ? { source: { file: annotationPath(where.file), line: where.line ?? 1 } } : {}),
        checks: [
          {
            id: problem.id,
            title: problem.id === 'shipgate.profile' ? 'The profile loads' : 'The command line is valid',
            status: 'error',
            severity: 'high',
            message: problem.message,
            durationMs: 0,
            ...(where ? { evidence: { details: where } } : {}),
          },
        ],
      },
    ],
  };
}

/**
 * Writes the file reports named by --reporter (webhooks are not called: nothing ran). Reporter specs
 * that are themselves invalid are skipped; the caller reports the original problem.
 */
export async function writeStartupErrorReports(reporterArgs: string[], problem: StartupProblem): Promise<void> {
  const specs = reporterArgs.flatMap((arg) => {
    try {
      return parseReporterSpecs([arg]).filter((s) => s.kind !== 'webhook');
    } catch {
      return [];
    }
  });
  // Under GitHub Actions the cause is also an ::error annotation on the profile line (even with no --reporter).
  const reporters = [...fileReporters(specs), ...githubReporters(specs)];
  if (!reporters.length) return;
  const reporter = new Multiplexer(reporters, (name, err) =>
    process.stderr.write(`shipgate: reporter ${name} failed: ${(err as Error)?.message ?? err}\n`),
  );
  await reporter.onEnd(startupErrorResult(problem));
  for (const s of specs) if (s.kind !== 'github') process.stderr.write(`shipgate: ${describeSpec(s)}\n`);
}
