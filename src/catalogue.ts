// The check catalogue of every gate, and docs/checks.md rendered from it (so the docs cannot drift).
import type { CheckDef } from './check.js';
import { GATES } from './gates/registry.js';

export interface GateCatalogue {
  id: string;
  title: string;
  description: string;
  checks: CheckDef[];
}

export async function loadCatalogue(): Promise<GateCatalogue[]> {
  return GATES.map((g) => ({
    id: g.id,
    title: g.title,
    description: g.description,
    checks: g.catalogue.map(({ id, title, severity, rationale, remediation, tunedBy }) => ({
      id,
      title,
      severity,
      rationale,
      remediation,
      tunedBy,
    })),
  }));
}

export function renderChecksMarkdown(gates: GateCatalogue[]): string {
  const out: string[] = [
    '# Check catalogue',
    '',
    '<!-- Generated from the code by `npm run docs`; do not edit by hand. A test fails when this file is stale. -->',
    '',
    'Every check shipgate can report, by gate. Ids are stable: use them in waivers, dashboards and alerts.',
    'Runner-level results that any gate can produce: `<gate>.internal` (shipgate could not finish the gate: error) and',
    '`<gate>.deadline` (the gate did not finish within `timeouts.gate` or the run was interrupted: error), and',
    '`waivers.expired` (a profile waiver is past its `until` date: fail), and `target.tls.insecure` (the profile sets',
    '`target.tls.insecure: true`, so no certificate was verified: warn, in every report of such a run).',
    '',
  ];
  for (const g of gates) {
    out.push(`## ${g.title} (\`${g.id}\`)`, '', g.description + '.', '', '| id | severity | check |', '|---|---|---|');
    for (const c of g.checks) out.push(`| [\`${c.id}\`](#${anchor(c.id)}) | ${c.severity} | ${c.title} |`);
    out.push('');
    for (const c of g.checks) {
      out.push(
        `### ${c.id}`,
        '',
        `**${c.title}** — severity ${c.severity}`,
        '',
        `*Why:* ${c.rationale}`,
        '',
        `*Fix:* ${c.remediation}`,
        '',
      );
      if (c.tunedBy?.length) out.push(`*Tuned by:* ${c.tunedBy.map((k) => `\`${k}\``).join(', ')}`, '');
    }
  }
  return out.join('\n');
}

function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 -]/g, '');
}
