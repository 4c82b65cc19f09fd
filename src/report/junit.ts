// JUnit XML: one <testsuite> per gate, one <testcase> per check; fail → <failure>, error → <error>, skip → <skipped>.
import type { CheckResult, RunResult } from '../result.js';
import { countByStatus } from '../result.js';
import { evidenceText } from './evidence-text.js';
import type { Reporter } from './reporter.js';
import { writeReportFile } from './write.js';
import { serializeXml, type XmlNode } from './xml.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(gateId: string, c: CheckResult): XmlNode {
  const children: XmlNode[] = [];
  const detail = [c.message, evidenceText(c), c.remediation ? `Remediation: ${c.remediation}` : ''].filter(Boolean).join('\n\n');
  if (c.status === 'fail') children.push({ name: 'failure', attributes: { message: c.message, type: c.severity }, text: detail });
  else if (c.status === 'error') children.push({ name: 'error', attributes: { message: c.message, type: 'shipgate' }, text: detail });
  else if (c.status === 'skip') children.push({ name: 'skipped', attributes: { message: c.message } });
  else if (c.status === 'waived' && c.waiver) children.push({ name: 'skipped', attributes: { message: `WAIVED until ${c.waiver.until} (${c.waiver.originalStatus}): ${c.waiver.reason} — ${c.message}` } });
  const out: string[] = [];
  if (c.status === 'warn' || c.status === 'pass' || c.status === 'flaky') out.push(`${c.status.toUpperCase()}: ${c.message}`);
  if (c.attempts?.length) out.push(`attempts: ${[...c.attempts, c.status === 'flaky' ? 'pass' : c.status].join(' -> ')}`);
  for (const a of c.evidence?.attachments ?? []) out.push(`[[ATTACHMENT|${a}]]`);
  if (out.length) children.push({ name: 'system-out', text: out.join('\n') });
  return { name: 'testcase', attributes: { name: `${c.id}: ${c.title}`, classname: `shipgate.${gateId}`, time: seconds(c.durationMs) }, children };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function renderJunit(result: RunResult): string {
  const all = result.gates.flatMap((g) => g.checks);
  const total = countByStatus(all);
  const suites: XmlNode[] = result.gates.map((g) => {
    const n = countByStatus(g.checks);
    const cases = g.checks.map((c) => testcase(g.id, c));
    if (g.checks.length === 0) {
      cases.push({ name: 'testcase', attributes: { name: `${g.id}: ${g.title}`, classname: `shipgate.${g.id}`, time: seconds(g.durationMs) }, children: [{ name: 'skipped', attributes: { message: g.reason ?? 'no checks ran' } }] });
    }
    return {
      name: 'testsuite',
      attributes: {
        name: g.id,
        timestamp: result.startedAt,
        hostname: hostOf(g.target ?? result.target.baseUrl),
        tests: Math.max(1, g.checks.length),
        failures: n.fail,
        errors: n.error,
        skipped: g.checks.length === 0 ? 1 : n.skip + n.waived,
        time: seconds(g.durationMs),
      },
      children: [
        { name: 'properties', children: [
          { name: 'property', attributes: { name: 'target', value: g.target ?? result.target.baseUrl } },
          { name: 'property', attributes: { name: 'profile', value: g.profile ?? result.profile.path } },
          { name: 'property', attributes: { name: 'gate', value: g.title } },
        ] },
        ...cases,
      ],
    };
  });
  const root: XmlNode = {
    name: 'testsuites',
    attributes: {
      name: `shipgate ${result.profile.name}`,
      tests: result.gates.reduce((a, g) => a + Math.max(1, g.checks.length), 0),
      failures: total.fail,
      errors: total.error,
      // No `skipped` here: the Jenkins/Ant JUnit schema allows it on <testsuite> only.
      time: seconds(result.durationMs),
    },
    children: suites,
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(root)}\n`;
}

export function junitReporter(path: string): Reporter {
  return { name: `junit=${path}`, onEnd: (result) => writeReportFile(path, renderJunit(result)) };
}
