// Merges several runs (profiles run together, or JSON reports from separate CI jobs) into one result:
// each gate keeps its checks and is named after its profile, so JUnit gets a suite per profile and gate.
import { UsageError } from '../errors.js';
import { verdictOf, type RunResult } from '../result.js';
import { reportProblem } from './report-schema.js';

export class MergeError extends UsageError {
  override name = 'MergeError';
}

export function mergeResults(results: RunResult[]): RunResult {
  if (results.length === 0) throw new MergeError('nothing to merge');
  if (results.length === 1) return results[0];
  const starts = results.map((r) => Date.parse(r.startedAt));
  const ends = results.map((r, i) => starts[i] + r.durationMs);
  const failOn = results.some((r) => r.failOn === 'warn') ? 'warn' : 'fail';
  const gates = results.flatMap((r) =>
    r.gates.map((g) => ({
      ...g,
      id: `${r.profile.name}/${g.id}`,
      title: `${r.profile.name} · ${g.title}`,
      profile: r.profile.name,
      target: r.target.baseUrl,
      startedAt: r.startedAt,
    })),
  );
  const interrupted = results.some((r) => r.interrupted);
  const undecided = results.some((r) => r.verdict === 'error');
  const verdict = interrupted
    ? 'error'
    : verdictOf(gates, failOn) === 'fail'
      ? 'fail'
      : undecided
        ? 'error'
        : verdictOf(gates, failOn);
  return {
    schemaVersion: 1,
    tool: results[0].tool,
    profile: { name: results.map((r) => r.profile.name).join(' + '), path: results.map((r) => r.profile.path).join(', ') },
    // Runs of one deployment (a matrix of suites, say) name its target once.
    target: { baseUrl: [...new Set(results.map((r) => r.target.baseUrl))].join(', ') },
    startedAt: new Date(Math.min(...starts)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    verdict,
    failOn,
    ...(interrupted ? { interrupted: true } : {}),
    gates,
    runs: results.map((r) => ({
      profile: r.profile,
      target: r.target,
      verdict: r.verdict,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
    })),
  };
}

/** Reads a JSON report, checking it is one shipgate wrote with a schema version it understands. */
export function parseReport(text: string, file: string): RunResult {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MergeError(`${file}: not JSON (${(err as Error).message})`);
  }
  if (data?.schemaVersion !== 1)
    throw new MergeError(
      `${file}: not a shipgate JSON report with schemaVersion 1 (found ${JSON.stringify(data?.schemaVersion)})`,
    );
  // Every field a reader relies on is checked against the schema (schema/report.schema.json).
  const problem = reportProblem(data);
  if (problem) throw new MergeError(`${file}: not a valid shipgate report: ${problem}`);
  return data as RunResult;
}
