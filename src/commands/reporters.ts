// Turns --reporter options and the profile's report: section into reporters.
import { dirname, resolve } from 'node:path';
import { consoleReporter } from '../report/console.js';
import { githubReporter } from '../report/github.js';
import { htmlReporter } from '../report/html.js';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import { markdownReporter } from '../report/markdown.js';
import { sarifReporter } from '../report/sarif.js';
import type { Multiplexer, Reporter } from '../report/reporter.js';
import { checkReportPaths, STDOUT } from '../report/report-paths.js';
import type { RunResult } from '../result.js';
import { annotationPath, gateLines } from '../profile/gate-lines.js';
import { describeWebhook, webhookReporter, type NotifyWhen } from '../report/webhook.js';
import type { Profile } from '../profile/schema.js';
import { trustBeyondTarget } from '../http/trust.js';
import { UsageError } from '../runner/plan.js';

const KINDS: Record<string, (path: string) => Reporter> = {
  html: htmlReporter,
  junit: junitReporter,
  md: markdownReporter,
  markdown: markdownReporter,
  json: jsonReporter,
  sarif: sarifReporter,
};

export interface ReporterSpec {
  kind: string;
  path: string;
}

export function parseReporterSpecs(values: string[]): ReporterSpec[] {
  return values.map((v) => {
    const m = /^([a-z]+)=(.+)$/.exec(v);
    if (m?.[1] === 'github') {
      if (m[2] !== 'off' && m[2] !== STDOUT)
        throw new UsageError(
          '--reporter github=off|-: the GitHub annotations go to standard output (on by default when GITHUB_ACTIONS=true), or off',
        );
      return { kind: 'github', path: m[2] };
    }
    if (!m || !(Object.hasOwn(KINDS, m[1]) || m[1] === 'webhook'))
      throw new UsageError(
        `--reporter ${JSON.stringify(v.startsWith('webhook') ? 'webhook=…' : v)}: expected KIND=PATH with KIND one of junit, md, json, html, sarif (PATH - for standard output), or webhook=URL (e.g. --reporter junit=out/junit.xml)`,
      );
    if (m[1] === 'webhook' && !/^https?:\/\//.test(m[2])) throw new UsageError('--reporter webhook=URL: expected an http(s) URL');
    return { kind: m[1] === 'markdown' ? 'md' : m[1], path: m[2] };
  });
}

export function collectSpecs(cli: ReporterSpec[], profile?: Profile): ReporterSpec[] {
  const specs = [...cli];
  const fromProfile = profile?.report ?? {};
  for (const kind of ['junit', 'md', 'json', 'html'] as const) {
    const path = fromProfile[kind];
    if (path && !specs.some((s) => s.kind === kind && resolve(s.path) === resolve(path))) specs.push({ kind, path });
  }
  return specs;
}

/** `targets`: the run's profiles' targets, whose CA and proxy the webhook goes through. */
export function fileReporters(specs: ReporterSpec[], notify?: NotifyWhen, targets: Profile['target'][] = []): Reporter[] {
  const trust = () => trustBeyondTarget(targets);
  return specs
    .filter((s) => s.kind !== 'github')
    .map((s) => (s.kind === 'webhook' ? webhookReporter(s.path, notify, trust) : KINDS[s.kind](s.path)));
}

/** "wrote json report to out/run.json"; a webhook URL is a secret and shows only its origin. */
export function describeSpec(s: ReporterSpec): string {
  return s.kind === 'webhook'
    ? `notified webhook ${describeWebhook(s.path)} (if the verdict called for it)`
    : `wrote ${s.kind} report to ${s.path === STDOUT ? 'standard output' : s.path}`;
}

/** The name a spec's reporter carries (see fileReporters), to match failures to specs. */
function reporterName(s: ReporterSpec): string {
  return s.kind === 'webhook' ? `webhook=${describeWebhook(s.path)}` : `${s.kind}=${s.path}`;
}

/**
 * Refuses, before any traffic, a report path that is an input of the run (a profile, the baseline, a
 * report being merged) or that two reporters share.
 */
export function checkSpecs(specs: ReporterSpec[], inputs: { what: string; path: string }[]): void {
  checkReportPaths(
    specs.filter((s) => s.kind !== 'webhook' && s.kind !== 'github'),
    inputs,
  );
}

/**
 * Ends the reporters and says which reports were written. A report that could not be written is
 * named (by the multiplexer's error line) and never announced; the caller exits 3 when this is false.
 */
export async function finishReports(
  reporter: Multiplexer,
  result: RunResult,
  specs: ReporterSpec[],
  prefix = '',
): Promise<boolean> {
  const failed = new Set(await reporter.onEnd(result));
  specs = specs.filter((s) => s.kind !== 'github');
  for (const s of specs) if (!failed.has(reporterName(s))) process.stderr.write(`shipgate: ${prefix}${describeSpec(s)}\n`);
  // A webhook that could not be reached is reported above but does not make the run undecided.
  return !specs.some((s) => s.kind !== 'webhook' && failed.has(reporterName(s)));
}

/** True when a report goes to standard output: the console then writes to stderr. */
export function stdoutTaken(specs: ReporterSpec[]): boolean {
  return specs.some((s) => s.path === STDOUT && s.kind !== 'webhook' && s.kind !== 'github');
}

/** Evidence files go beside the first file report, else into ./shipgate-report. */
export function artifactsDirFor(specs: ReporterSpec[]): string {
  const files = specs.filter((s) => s.kind !== 'webhook' && s.kind !== 'github' && s.path !== STDOUT);
  return files.length ? resolve(dirname(files[0].path)) : resolve('shipgate-report');
}

/** GitHub annotations: on under GitHub Actions unless -r github=off, or forced with -r github=-. */
export function githubReporters(specs: ReporterSpec[]): Reporter[] {
  const on = specs.some((s) => s.kind === 'github')
    ? specs.some((s) => s.kind === 'github' && s.path !== 'off')
    : process.env.GITHUB_ACTIONS === 'true';
  return on ? [githubReporter(stdoutTaken(specs) ? process.stderr : process.stdout)] : [];
}

export function makeConsole(opts: { quiet?: boolean; verbose?: boolean }, specs: ReporterSpec[] = []): Reporter[] {
  const out = stdoutTaken(specs) ? process.stderr : process.stdout;
  return [...(opts.quiet ? [] : [consoleReporter({ verbose: opts.verbose, out })]), ...githubReporters(specs)];
}

/** Each gate learns where the profile configures it (file and line), for annotations in every report. */
export function attachSources(result: RunResult, profilePath: string): RunResult {
  const lines = gateLines(
    profilePath,
    result.gates.map((g) => g.id),
  );
  const file = annotationPath(profilePath);
  return { ...result, gates: result.gates.map((g) => ({ ...g, source: { file, line: lines[g.id] ?? 1 } })) };
}
