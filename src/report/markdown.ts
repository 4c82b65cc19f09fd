// Markdown summary, fit for $GITHUB_STEP_SUMMARY: verdict, a table of gates, then what needs attention.
import { summaryCounts } from './counts.js';
import { dirname, isAbsolute, relative } from 'node:path';
import { formatDuration } from '../duration.js';
import type { CheckResult, RunResult, Status } from '../result.js';
import { countByStatus } from '../result.js';
import { baselineLines } from '../baseline.js';
import { evidenceText } from './evidence-text.js';
import type { Reporter } from './reporter.js';
import { codeSpan, fence, html, markdown as md } from './escape.js';
import { writeReportFile } from './write.js';

const ICON: Record<Status, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️', error: '💥', waived: '🏳️', flaky: '🎲' };
const VERDICT: Record<RunResult['verdict'], string> = { pass: '✅ PASS', fail: '❌ FAIL', error: '💥 ERROR' };

/** A table cell: inert, every Markdown character escaped (a pipe too), on one line. */
const cell = md;

/** Evidence longer than this many lines is collapsed under <details>. */
const OPEN_EVIDENCE_LINES = 8;

function evidenceBlock(text: string, summary: string): string {
  const lines = text.split('\n').length;
  if (lines <= OPEN_EVIDENCE_LINES) return fence(text);
  // Inside an HTML block Markdown escapes do not apply: the summary is HTML-escaped.
  return `<details><summary>${html(summary)} (${lines} lines)</summary>\n\n${fence(text)}\n\n</details>`;
}

function attachmentLines(c: CheckResult, linkBase: string | undefined): string[] {
  return (c.evidence?.attachments ?? []).map((a) => {
    const href = (linkBase && isAbsolute(a) ? relative(linkBase, a) : a).split('\\').join('/');
    return `![${md(c.id)}](${encodeURI(href).replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16)}`)})`;
  });
}

/** The lines of one finding, without its evidence. */
function findingLines(c: CheckResult, linkBase: string | undefined): string[] {
  const lines = [`**${c.status.toUpperCase()}** (${md(c.severity)}): ${md(c.message)}`];
  if (c.waiver)
    lines.push(
      '',
      `*Waived* (would be ${c.waiver.originalStatus}) until ${md(c.waiver.until)}${c.waiver.owner ? `, owner ${md(c.waiver.owner)}` : ''}: ${md(c.waiver.reason)}`,
    );
  if (c.attempts?.length) lines.push('', `*Attempts:* ${[...c.attempts, c.status === 'flaky' ? 'pass' : c.status].join(' → ')}`);
  for (const a of attachmentLines(c, linkBase)) lines.push('', a);
  if (c.rationale) lines.push('', `*Why it matters:* ${md(c.rationale)}`);
  if (c.remediation && c.status !== 'error') lines.push('', `*How to fix:* ${md(c.remediation)}`);
  return lines;
}

function checkSection(c: CheckResult, linkBase: string | undefined): string {
  const lines = [`#### ${ICON[c.status]} ${codeSpan(c.id)} — ${md(c.title)}`, '', ...findingLines(c, linkBase)];
  const ev = evidenceText(c);
  // Evidence goes right after the message, as before; long evidence folds away.
  if (ev) lines.splice(3, 0, '', evidenceBlock(ev, 'Evidence'));
  return lines.join('\n');
}

/** Findings from one response (same request, status, headers and body) share one cause: one section. */
function groupSection(group: CheckResult[], linkBase: string | undefined): string {
  const request = group[0].evidence?.request ?? '';
  const lines = [`#### ${ICON[group[0].status]} ${group.length} findings on ${codeSpan(request)} (one response)`];
  for (const c of group)
    lines.push('', `##### ${ICON[c.status]} ${codeSpan(c.id)} — ${md(c.title)}`, '', ...findingLines(c, linkBase));
  lines.push('', evidenceBlock(evidenceText(group[0]), `The response they share: ${request}`));
  return lines.join('\n');
}

/** Same request, status, headers, body and details: one response, shown once. */
function evidenceKey(c: CheckResult): string | undefined {
  const e = c.evidence;
  if (!e?.request || e.attachments?.length) return undefined;
  return JSON.stringify([e.request, e.status, e.headers ?? {}, e.body ?? '', e.details ?? {}]);
}

/** Attention sections in report order, findings that share one response folded into one group. */
function attentionSections(checks: CheckResult[], linkBase: string | undefined): string[] {
  const groups = new Map<string, CheckResult[]>();
  for (const c of checks) {
    const key = evidenceKey(c);
    if (key) groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const done = new Set<CheckResult>();
  const out: string[] = [];
  for (const c of checks) {
    if (done.has(c)) continue;
    const key = evidenceKey(c);
    const group = key ? groups.get(key)! : [c];
    for (const g of group) done.add(g);
    out.push(group.length > 1 ? groupSection(group, linkBase) : checkSection(c, linkBase));
  }
  return out;
}

export function renderMarkdown(result: RunResult, linkBase?: string): string {
  const all = result.gates.flatMap((g) => g.checks);
  const n = countByStatus(all);
  const out: string[] = [];
  out.push(`## shipgate ${VERDICT[result.verdict]} — ${md(result.profile.name)}`);
  out.push('');
  out.push(
    `${result.target.baseUrl ? `Target **${md(result.target.baseUrl)}** · ` : ''}${result.startedAt} · ${formatDuration(result.durationMs)} · ${summaryCounts(n)}${result.interrupted ? ' · **interrupted**' : ''}`,
  );
  out.push('');
  out.push('| Gate | Status | Checks | Duration |');
  out.push('|---|---|---|---|');
  for (const g of result.gates) {
    const c = countByStatus(g.checks);
    const counts = g.checks.length
      ? `${c.pass}/${g.checks.length} passed${c.fail ? `, ${c.fail} failed` : ''}${c.warn ? `, ${c.warn} warn` : ''}${c.error ? `, ${c.error} error` : ''}${c.waived ? `, ${c.waived} waived` : ''}${c.flaky ? `, ${c.flaky} flaky` : ''}`
      : cell(g.reason ?? '—');
    out.push(
      `| ${cell(g.title)} (${codeSpan(g.id)}) | ${ICON[g.status]} ${g.status} | ${counts} | ${formatDuration(g.durationMs)} |`,
    );
  }
  if (result.baseline) {
    out.push(
      '',
      `### Changes since baseline`,
      '',
      `Compared with the run of ${md(result.baseline.baseline.startedAt)} (${md(result.baseline.baseline.verdict)}), tolerance ${Math.round(result.baseline.tolerance * 100)} %:`,
      '',
    );
    for (const l of baselineLines(result.baseline)) out.push(`- ${md(l)}`);
  }
  const attention = result.gates.flatMap((g) => g.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip'));
  if (attention.length) {
    out.push('', '### Needs attention', '');
    out.push(attentionSections(attention, linkBase).join('\n\n'));
  }
  const rest = all.filter((c) => c.status === 'pass' || c.status === 'skip');
  if (rest.length) {
    out.push('', `<details><summary>${n.pass} passed, ${n.skip} skipped</summary>`, '');
    out.push('| Check | Status | Result |', '|---|---|---|');
    for (const c of rest) out.push(`| ${codeSpan(c.id)} ${cell(c.title)} | ${ICON[c.status]} ${c.status} | ${cell(c.message)} |`);
    out.push('', '</details>');
  }
  out.push('');
  return out.join('\n');
}

export function markdownReporter(path: string): Reporter {
  return { name: `md=${path}`, onEnd: (result) => writeReportFile(path, renderMarkdown(result, dirname(path))) };
}
