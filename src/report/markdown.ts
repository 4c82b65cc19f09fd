// Markdown summary, fit for $GITHUB_STEP_SUMMARY: verdict, a table of gates, then what needs attention.
import { dirname, isAbsolute, relative } from 'node:path';
import { formatDuration } from '../duration.js';
import type { CheckResult, RunResult, Status } from '../result.js';
import { countByStatus } from '../result.js';
import { baselineLines } from '../baseline.js';
import { evidenceText } from './evidence-text.js';
import type { Reporter } from './reporter.js';
import { writeReportFile } from './write.js';

const ICON: Record<Status, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️', error: '💥', waived: '🏳️', flaky: '🎲' };
const VERDICT: Record<RunResult['verdict'], string> = { pass: '✅ PASS', fail: '❌ FAIL', error: '💥 ERROR' };

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
}

function checkSection(c: CheckResult, linkBase: string | undefined): string {
  const lines = [`#### ${ICON[c.status]} \`${c.id}\` — ${c.title}`, '', `**${c.status.toUpperCase()}** (${c.severity}): ${c.message}`];
  if (c.waiver) lines.push('', `*Waived* (would be ${c.waiver.originalStatus}) until ${c.waiver.until}${c.waiver.owner ? `, owner ${c.waiver.owner}` : ''}: ${c.waiver.reason}`);
  if (c.attempts?.length) lines.push('', `*Attempts:* ${[...c.attempts, c.status === 'flaky' ? 'pass' : c.status].join(' → ')}`);
  const ev = evidenceText(c);
  if (ev) lines.push('', fence(ev));
  for (const a of c.evidence?.attachments ?? []) {
    const href = linkBase && isAbsolute(a) ? relative(linkBase, a) : a;
    lines.push('', `![${c.id}](${href.split('\\').join('/')})`);
  }
  if (c.rationale) lines.push('', `*Why it matters:* ${c.rationale}`);
  if (c.remediation && c.status !== 'error') lines.push('', `*How to fix:* ${c.remediation}`);
  return lines.join('\n');
}

export function summaryCounts(n: Record<Status, number>): string {
  const extra = [n.waived ? `${n.waived} waived` : '', n.flaky ? `${n.flaky} flaky` : ''].filter(Boolean);
  return [`${n.pass} passed`, `${n.fail} failed`, `${n.warn} warnings`, `${n.error} errors`, `${n.skip} skipped`, ...extra].join(', ');
}

export function renderMarkdown(result: RunResult, linkBase?: string): string {
  const all = result.gates.flatMap((g) => g.checks);
  const n = countByStatus(all);
  const out: string[] = [];
  out.push(`## shipgate ${VERDICT[result.verdict]} — ${result.profile.name}`);
  out.push('');
  out.push(`Target **${result.target.baseUrl}** · ${result.startedAt} · ${formatDuration(result.durationMs)} · ${summaryCounts(n)}${result.interrupted ? ' · **interrupted**' : ''}`);
  out.push('');
  out.push('| Gate | Status | Checks | Duration |');
  out.push('|---|---|---|---|');
  for (const g of result.gates) {
    const c = countByStatus(g.checks);
    const counts = g.checks.length ? `${c.pass}/${g.checks.length} passed${c.fail ? `, ${c.fail} failed` : ''}${c.warn ? `, ${c.warn} warn` : ''}${c.error ? `, ${c.error} error` : ''}${c.waived ? `, ${c.waived} waived` : ''}${c.flaky ? `, ${c.flaky} flaky` : ''}` : cell(g.reason ?? '—');
    out.push(`| ${cell(g.title)} (\`${g.id}\`) | ${ICON[g.status]} ${g.status} | ${counts} | ${formatDuration(g.durationMs)} |`);
  }
  if (result.baseline) {
    out.push('', `### Changes since baseline`, '', `Compared with the run of ${result.baseline.baseline.startedAt} (${result.baseline.baseline.verdict}), tolerance ${Math.round(result.baseline.tolerance * 100)} %:`, '');
    for (const l of baselineLines(result.baseline)) out.push(`- ${l}`);
  }
  const attention = result.gates.flatMap((g) => g.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip'));
  if (attention.length) {
    out.push('', '### Needs attention', '');
    out.push(attention.map((c) => checkSection(c, linkBase)).join('\n\n'));
  }
  const rest = all.filter((c) => c.status === 'pass' || c.status === 'skip');
  if (rest.length) {
    out.push('', `<details><summary>${n.pass} passed, ${n.skip} skipped</summary>`, '');
    out.push('| Check | Status | Result |', '|---|---|---|');
    for (const c of rest) out.push(`| \`${c.id}\` ${cell(c.title)} | ${ICON[c.status]} ${c.status} | ${cell(c.message)} |`);
    out.push('', '</details>');
  }
  out.push('');
  return out.join('\n');
}

export function markdownReporter(path: string): Reporter {
  return { name: `md=${path}`, onEnd: (result) => writeReportFile(path, renderMarkdown(result, dirname(path))) };
}
