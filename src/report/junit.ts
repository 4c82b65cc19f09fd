// JUnit XML: one <testsuite> per gate, named `<profile>/<gate>` so merged runs stay apart; one <testcase>
// per check, with file/line at the profile's gate section; fail → <failure>, error → <error>,
// skip → <skipped>. A warning (or a flaky pass) has no JUnit element of its own: it is marked in the
// testcase name ("[WARN]"), which every consumer shows, and explained in <system-out>.
import { isAbsolute, relative, resolve } from 'node:path';
import type { CheckResult, GateResult, RunResult } from '../result.js';
import { countByStatus } from '../result.js';
import { evidenceText } from './evidence-text.js';
import type { Reporter } from './reporter.js';
import { writeReportFile } from './write.js';
import { serializeXml, type XmlNode } from './xml.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

const MARK: Partial<Record<CheckResult['status'], string>> = { warn: ' [WARN]', flaky: ' [FLAKY]', waived: ' [WAIVED]' };

/**
 * The folder CI consumers resolve a relative `[[ATTACHMENT|…]]` from: GitLab from $CI_PROJECT_DIR, the Jenkins
 * junit-attachments plugin from the job's workspace ($WORKSPACE); elsewhere the folder shipgate runs in (the
 * checkout, in CI). Not the report's folder: with the report in out/, GitLab looks for out/x.png, not x.png.
 */
export function attachmentBase(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CI_PROJECT_DIR || (env.JENKINS_URL && env.WORKSPACE) || process.cwd());
}

/** An attachment relative to `base`; one outside it stays absolute (Jenkins reads it, nothing would read ../). */
function attachmentPath(path: string, base: string | undefined): string {
  const rel = base && isAbsolute(path) ? relative(base, path) : path;
  const outside = isAbsolute(rel) || rel.split(/[\\/]/)[0] === '..';
  return (outside ? path : rel).split('\\').join('/');
}

function location(g: GateResult, result: RunResult): { file: string; line: number } {
  return g.source ?? { file: result.profile.path, line: 1 };
}

function testcase(g: GateResult, c: CheckResult, result: RunResult, attachmentsFrom: string | undefined): XmlNode {
  const children: XmlNode[] = [];
  const detail = [c.message, evidenceText(c), c.remediation ? `Remediation: ${c.remediation}` : ''].filter(Boolean).join('\n\n');
  if (c.status === 'fail') children.push({ name: 'failure', attributes: { message: c.message, type: c.severity }, text: detail });
  else if (c.status === 'error')
    children.push({ name: 'error', attributes: { message: c.message, type: 'shipgate' }, text: detail });
  else if (c.status === 'skip') children.push({ name: 'skipped', attributes: { message: c.message } });
  else if (c.status === 'waived' && c.waiver)
    children.push({
      name: 'skipped',
      attributes: { message: `WAIVED until ${c.waiver.until} (${c.waiver.originalStatus}): ${c.waiver.reason} — ${c.message}` },
    });
  const out: string[] = [];
  if (c.status === 'warn' || c.status === 'pass' || c.status === 'flaky') out.push(`${c.status.toUpperCase()}: ${c.message}`);
  if (c.status === 'warn') out.push(detail.slice(c.message.length).trim());
  if (c.attempts?.length) out.push(`attempts: ${[...c.attempts, c.status === 'flaky' ? 'pass' : c.status].join(' -> ')}`);
  for (const a of c.evidence?.attachments ?? []) out.push(`[[ATTACHMENT|${attachmentPath(a, attachmentsFrom)}]]`);
  if (out.filter(Boolean).length) children.push({ name: 'system-out', text: out.filter(Boolean).join('\n') });
  const at = location(g, result);
  return {
    name: 'testcase',
    attributes: {
      name: `${c.id}: ${c.title}${MARK[c.status] ?? ''}`,
      classname: `shipgate.${g.id}`,
      file: at.file,
      line: at.line,
      time: seconds(c.durationMs),
    },
    children,
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** `<profile>/<gate>`: a merged run's gate ids already carry their profile. */
function suiteName(g: GateResult, result: RunResult): string {
  return g.profile ? g.id : `${result.profile.name}/${g.id}`;
}

/** `attachmentsFrom`: the folder attachment paths are written relative to (see attachmentBase). */
export function renderJunit(result: RunResult, attachmentsFrom?: string): string {
  const all = result.gates.flatMap((g) => g.checks);
  const total = countByStatus(all);
  const suites: XmlNode[] = result.gates.map((g) => {
    const n = countByStatus(g.checks);
    const cases = g.checks.map((c) => testcase(g, c, result, attachmentsFrom));
    if (g.checks.length === 0) {
      const at = location(g, result);
      cases.push({
        name: 'testcase',
        attributes: {
          name: `${g.id}: ${g.title}`,
          classname: `shipgate.${g.id}`,
          file: at.file,
          line: at.line,
          time: seconds(g.durationMs),
        },
        children: [{ name: 'skipped', attributes: { message: g.reason ?? 'no checks ran' } }],
      });
    }
    return {
      name: 'testsuite',
      attributes: {
        name: suiteName(g, result),
        // In a merged report each suite keeps the start of the run it came from.
        timestamp: g.startedAt ?? result.startedAt,
        hostname: hostOf(g.target ?? result.target.baseUrl),
        tests: Math.max(1, g.checks.length),
        failures: n.fail,
        errors: n.error,
        skipped: g.checks.length === 0 ? 1 : n.skip + n.waived,
        time: seconds(g.durationMs),
        file: location(g, result).file,
      },
      children: [
        {
          name: 'properties',
          children: [
            { name: 'property', attributes: { name: 'target', value: g.target ?? result.target.baseUrl } },
            { name: 'property', attributes: { name: 'profile', value: g.profile ?? result.profile.path } },
            { name: 'property', attributes: { name: 'gate', value: g.title } },
            ...(n.warn ? [{ name: 'property', attributes: { name: 'warnings', value: String(n.warn) } }] : []),
          ],
        },
        ...cases,
      ],
    };
  });
  // A merged report's time is the sum of its runs' durations (each run's own), not the wall-clock span.
  const durationMs = result.runs?.length ? result.runs.reduce((a, r) => a + r.durationMs, 0) : result.durationMs;
  const root: XmlNode = {
    name: 'testsuites',
    attributes: {
      name: `shipgate ${result.profile.name}`,
      tests: result.gates.reduce((a, g) => a + Math.max(1, g.checks.length), 0),
      failures: total.fail,
      errors: total.error,
      // No `skipped` here: the Jenkins xunit JUnit schema allows it on <testsuite> only.
      time: seconds(durationMs),
    },
    children: suites,
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(root)}\n`;
}

export function junitReporter(path: string): Reporter {
  return {
    name: `junit=${path}`,
    onEnd: (result) => writeReportFile(path, renderJunit(result, attachmentBase())),
  };
}
