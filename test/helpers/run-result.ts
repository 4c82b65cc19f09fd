// A RunResult tree for reporter tests: the run's fixed fields filled in, the gates (and anything else) given.
import type { GateResult, RunResult } from '../../src/result.js';

export function runResultOf(gates: GateResult[], fields: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1,
    tool: { name: 'shipgate', version: 't' },
    profile: { name: 'p', path: 'p.yaml' },
    target: { baseUrl: 'https://x.test' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    verdict: gates.some((g) => g.status === 'fail') ? 'fail' : 'pass',
    failOn: 'fail',
    gates,
    ...fields,
  };
}
