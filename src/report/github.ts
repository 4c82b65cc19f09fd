// GitHub Actions workflow commands, like Playwright's `github` reporter: a `::group::` per gate with its
// checks, and an `::error` / `::warning` annotation per failing or warning check, placed at the profile
// line of its gate so it shows on the configuration in the pull request. On by default when
// GITHUB_ACTIONS=true (-r github=off turns it off). Every value is encoded by GitHub's rules (escape.ts).
import type { CheckResult, GateResult, RunResult } from '../result.js';
import { githubCommandData as data, githubCommandProperty as prop } from './escape.js';
import type { Reporter } from './reporter.js';

const LEVEL: Partial<Record<CheckResult['status'], 'error' | 'warning'>> = {
  fail: 'error',
  error: 'error',
  warn: 'warning',
  flaky: 'warning',
};

function annotation(g: GateResult, c: CheckResult, result: RunResult): string | undefined {
  const level = LEVEL[c.status];
  if (!level) return undefined;
  const at = g.source ?? { file: result.profile.path, line: 1 };
  return `::${level} file=${prop(at.file)},line=${at.line},title=${prop(c.id)}::${data(`${c.status.toUpperCase()}: ${c.message}${c.remediation ? `\n\nHow to fix: ${c.remediation}` : ''}`)}`;
}

export function renderGithub(result: RunResult): string {
  const out: string[] = [];
  for (const g of result.gates) {
    out.push(`::group::${data(`${g.title} (${g.id}): ${g.status}`)}`);
    for (const c of g.checks) out.push(data(`${c.status.padEnd(6)} ${c.id} — ${c.message}`));
    if (!g.checks.length && g.reason) out.push(data(`${g.status.padEnd(6)} ${g.reason}`));
    out.push('::endgroup::');
  }
  for (const g of result.gates)
    for (const c of g.checks) {
      const line = annotation(g, c, result);
      if (line) out.push(line);
    }
  return out.join('\n') + '\n';
}

export function githubReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  return { name: 'github', onEnd: (result) => void out.write(renderGithub(result)) };
}
