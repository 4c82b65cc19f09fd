// Turns --reporter options and the profile's report: section into reporters.
import { dirname, resolve } from 'node:path';
import { consoleReporter } from '../report/console.js';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import { markdownReporter } from '../report/markdown.js';
import type { Reporter } from '../report/reporter.js';
import type { Profile } from '../profile/schema.js';
import { UsageError } from '../runner/plan.js';

const KINDS: Record<string, (path: string) => Reporter> = {
  junit: junitReporter,
  md: markdownReporter,
  markdown: markdownReporter,
  json: jsonReporter,
};

export interface ReporterSpec {
  kind: string;
  path: string;
}

export function parseReporterSpecs(values: string[]): ReporterSpec[] {
  return values.map((v) => {
    const m = /^([a-z]+)=(.+)$/.exec(v);
    if (!m || !KINDS[m[1]]) throw new UsageError(`--reporter ${JSON.stringify(v)}: expected KIND=PATH with KIND one of junit, md, json (e.g. --reporter junit=out/junit.xml)`);
    return { kind: m[1] === 'markdown' ? 'md' : m[1], path: m[2] };
  });
}

export function collectSpecs(cli: ReporterSpec[], profile?: Profile): ReporterSpec[] {
  const specs = [...cli];
  const fromProfile = profile?.report ?? {};
  for (const kind of ['junit', 'md', 'json'] as const) {
    const path = fromProfile[kind];
    if (path && !specs.some((s) => s.kind === kind && resolve(s.path) === resolve(path))) specs.push({ kind, path });
  }
  return specs;
}

export function fileReporters(specs: ReporterSpec[]): Reporter[] {
  return specs.map((s) => KINDS[s.kind](s.path));
}

/** Evidence files go beside the first report, else into ./shipgate-report. */
export function artifactsDirFor(specs: ReporterSpec[]): string {
  return specs.length ? resolve(dirname(specs[0].path)) : resolve('shipgate-report');
}

export function makeConsole(opts: { quiet?: boolean; verbose?: boolean }): Reporter[] {
  if (opts.quiet) return [];
  return [consoleReporter({ verbose: opts.verbose })];
}
