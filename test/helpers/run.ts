// Runs a profile in-process against a real server and collects the result tree.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProfile } from '../../src/profile/load.js';
import type { Reporter } from '../../src/report/reporter.js';
import type { CheckResult, RunResult } from '../../src/result.js';
import { runProfile } from '../../src/runner/run.js';

export async function runYaml(
  yaml: string,
  opts: {
    gates?: string[];
    suite?: string;
    env?: NodeJS.ProcessEnv;
    failOn?: 'fail' | 'warn';
    signal?: AbortSignal;
    reporter?: Reporter;
  } = {},
): Promise<RunResult> {
  const loaded = parseProfile(yaml, 'test.yaml', { ...process.env, ...opts.env });
  return runProfile({
    loaded,
    gates: opts.gates,
    suite: opts.suite,
    failOn: opts.failOn ?? 'fail',
    reporter: opts.reporter ?? { name: 'none' },
    artifactsDir: mkdtempSync(join(tmpdir(), 'shipgate-test-')),
    signal: opts.signal,
    version: 'test',
  });
}

export function check(result: RunResult, id: string): CheckResult {
  const found = result.gates.flatMap((g) => g.checks).find((c) => c.id === id);
  if (!found)
    throw new Error(`no check ${id} in ${result.gates.flatMap((g) => g.checks.map((c) => `${c.id}=${c.status}`)).join(', ')}`);
  return found;
}

export function statuses(result: RunResult, gate?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of result.gates) if (!gate || g.id === gate) for (const c of g.checks) out[c.id] = c.status;
  return out;
}
