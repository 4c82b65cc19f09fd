// SARIF 2.1.0 for security findings (GitHub code scanning's upload-sarif and other SARIF viewers): one rule
// per check id with its title, rationale and remediation from the catalogue (carried by the results), one
// result per failing or warning check of a gate whose results say securityFindings (its manifest decides),
// located at the profile line of its gate, with a partial fingerprint that stays the same across runs so
// alerts are tracked, not re-opened.
// Messages arrive redacted by the runner; the target is shown as its origin only (no userinfo, no query).
import { createHash } from 'node:crypto';
import type { CheckResult, RunResult, Severity } from '../result.js';
import { inert, sarifText } from './escape.js';
import type { Reporter } from './reporter.js';
import { writeReportFile } from './write.js';

const LEVEL: Partial<Record<CheckResult['status'], 'error' | 'warning'>> = { fail: 'error', warn: 'warning', flaky: 'warning' };
/** GitHub code scanning reads `security-severity` (0–10) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

function fingerprint(profile: string, checkId: string): string {
  return createHash('sha256').update(`${profile}\u0000${checkId}`).digest('hex');
}

export function renderSarif(result: RunResult): string {
  const findings = result.gates
    .filter((g) => g.securityFindings)
    .flatMap((g) => g.checks.filter((c) => LEVEL[c.status]).map((c) => ({ g, c })));
  const rules = new Map<string, object>();
  for (const { c } of findings) {
    if (rules.has(c.id)) continue;
    rules.set(c.id, {
      id: c.id,
      shortDescription: { text: inert(c.title) },
      ...(c.rationale ? { fullDescription: { text: inert(c.rationale) } } : {}),
      ...(c.remediation ? { help: { text: sarifText(c.remediation) } } : {}),
      defaultConfiguration: { level: c.severity === 'low' || c.severity === 'info' ? 'warning' : 'error' },
      properties: { tags: ['security'], 'security-severity': SECURITY_SEVERITY[c.severity] },
    });
  }
  const ruleIndex = [...rules.keys()];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'shipgate', semanticVersion: result.tool.version, rules: [...rules.values()] } },
        invocations: [{ executionSuccessful: result.verdict !== 'error', startTimeUtc: result.startedAt }],
        properties: { profile: result.profile.name, target: origin(result.target.baseUrl), verdict: result.verdict },
        results: findings.map(({ g, c }) => {
          const at = g.source ?? { file: result.profile.path, line: 1 };
          return {
            ruleId: c.id,
            ruleIndex: ruleIndex.indexOf(c.id),
            level: LEVEL[c.status],
            message: { text: sarifText(`${c.message}${g.target ? ` (${origin(g.target)})` : ''}`) },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: at.file.split('\\').join('/') },
                  region: { startLine: Math.max(1, at.line) },
                },
              },
            ],
            partialFingerprints: { 'shipgateFinding/v1': fingerprint(g.profile ?? result.profile.name, c.id) },
          };
        }),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

export function sarifReporter(path: string): Reporter {
  return { name: `sarif=${path}`, onEnd: (result) => writeReportFile(path, renderSarif(result)) };
}
