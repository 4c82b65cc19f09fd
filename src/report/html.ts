// One self-contained HTML file (inline CSS and JS, screenshots embedded, charts as inline SVG) that opens
// from disk: the verdict and the six gates at a glance, every failing check open with its evidence.
import { readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { formatDuration } from '../duration.js';
import { countByStatus, type ChartSpec, type CheckResult, type GateResult, type RunResult, type Status } from '../result.js';
import { baselineLines } from '../baseline.js';
import { barChart, lineChart } from './charts.js';
import type { Reporter } from './reporter.js';
import { writeReportFile } from './write.js';
import { html } from './escape.js';
import { summaryCounts } from './counts.js';

const LABEL: Record<Status, string> = {
  pass: 'pass',
  fail: 'fail',
  warn: 'warn',
  skip: 'skip',
  error: 'error',
  waived: 'waived',
  flaky: 'flaky',
};
const OPEN: Status[] = ['fail', 'error', 'warn', 'flaky', 'waived'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const esc = html;

function image(path: string, baseDir: string): string {
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  const type = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' }[extname(file).toLowerCase()];
  if (!type) return `<p class="muted">attachment: ${esc(path)}</p>`;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_IMAGE_BYTES) return `<p class="muted">screenshot too large to embed: ${esc(path)}</p>`;
    return `<figure class="shot"><img alt="screenshot ${esc(path)}" src="data:${type};base64,${buf.toString('base64')}"><figcaption>${esc(path)}</figcaption></figure>`;
  } catch {
    return `<p class="muted">screenshot not found: ${esc(path)}</p>`;
  }
}

function evidence(c: CheckResult, baseDir: string): string {
  const e = c.evidence;
  if (!e) return '';
  const rows: string[] = [];
  if (e.request) rows.push(`<dt>Request</dt><dd><code>${esc(e.request)}</code></dd>`);
  if (e.status !== undefined) rows.push(`<dt>Status</dt><dd><code>${esc(e.status)}</code></dd>`);
  if (e.headers && Object.keys(e.headers).length)
    rows.push(
      `<dt>Response headers</dt><dd><pre>${esc(
        Object.entries(e.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      )}</pre></dd>`,
    );
  if (e.body) rows.push(`<dt>Body (excerpt)</dt><dd><pre>${esc(e.body)}</pre></dd>`);
  if (e.details && Object.keys(e.details).length)
    rows.push(
      `<dt>Details</dt><dd><pre>${esc(
        Object.entries(e.details)
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v, null, 1)}`)
          .join('\n'),
      )}</pre></dd>`,
    );
  const shots = (e.attachments ?? []).map((a) => image(a, baseDir)).join('');
  return `<dl class="evidence">${rows.join('')}</dl>${shots}`;
}

function checkHtml(c: CheckResult, baseDir: string, changed: Set<string>): string {
  const open = OPEN.includes(c.status) ? ' open' : '';
  const mark = changed.has(c.id) ? '<span class="changed" title="changed since the baseline">changed</span>' : '';
  const waiver = c.waiver
    ? `<p class="waiver">Waived until ${esc(c.waiver.until)}${c.waiver.owner ? ` (owner ${esc(c.waiver.owner)})` : ''}, would be <b>${esc(c.waiver.originalStatus)}</b>: ${esc(c.waiver.reason)}</p>`
    : '';
  return `<details class="check s-${c.status}" data-status="${c.status}" data-id="${esc(c.id)}"${open}>
<summary><span class="badge s-${c.status}">${LABEL[c.status]}</span> <code>${esc(c.id)}</code> <span class="title">${esc(c.title)}</span> ${mark}${c.durationMs >= 1 ? `<span class="dur">${formatDuration(c.durationMs)}</span>` : ''}</summary>
<div class="body"><p class="message">${esc(c.message)}</p>${waiver}${evidence(c, baseDir)}${c.rationale ? `<p><b>Why it matters:</b> ${esc(c.rationale)}</p>` : ''}${c.remediation && c.status !== 'pass' ? `<p><b>How to fix:</b> ${esc(c.remediation)}</p>` : ''}<p class="muted">severity ${esc(c.severity)}</p></div>
</details>`;
}

/** Line specs with one id in a gate are one chart: their series, rules and ticks drawn together. */
function combine(specs: ChartSpec[]): ChartSpec[] {
  const out: ChartSpec[] = [];
  const lines = new Map<string, Extract<ChartSpec, { kind: 'line' }>>();
  for (const spec of specs) {
    if (spec.kind !== 'line') {
      out.push(spec);
      continue;
    }
    const seen = lines.get(spec.id);
    if (!seen) {
      const copy = { ...spec, series: [...spec.series], rules: [...(spec.rules ?? [])], xTicks: [...(spec.xTicks ?? [])] };
      lines.set(spec.id, copy);
      out.push(copy);
      continue;
    }
    seen.series.push(...spec.series);
    for (const r of spec.rules ?? []) if (!seen.rules!.some((x) => x.label === r.label && x.y === r.y)) seen.rules!.push(r);
    for (const t of spec.xTicks ?? []) if (!seen.xTicks!.some((x) => x.x === t.x)) seen.xTicks!.push(t);
  }
  return out;
}

function drawChart(spec: ChartSpec): string {
  if (spec.kind === 'grade')
    return `<div class="grade s-${esc(spec.status)}" aria-label="grade ${esc(spec.grade)}"><span>${esc(spec.grade)}</span><small>score ${esc(spec.score)}</small></div>`;
  if (spec.kind === 'bars') return barChart({ title: spec.title, bars: spec.bars, kind: spec.id });
  if (!spec.series.length) return '';
  const xTicks = [...(spec.xTicks ?? [])].sort((a, b) => a.x - b.x);
  return lineChart({
    title: spec.title,
    lines: spec.series,
    rules: spec.rules,
    xLabel: spec.xLabel,
    yLabel: spec.yLabel,
    xTicks,
    kind: spec.id,
  });
}

/** The charts the gate's checks recorded, whatever the gate. */
function gateCharts(g: GateResult): string {
  return combine(g.checks.flatMap((c) => c.charts ?? []))
    .map(drawChart)
    .join('');
}

export function renderHtml(result: RunResult, baseDir = process.cwd()): string {
  const n = countByStatus(result.gates.flatMap((g) => g.checks));
  const changed = new Set([
    ...(result.baseline?.newlyFailing.map((x) => x.check) ?? []),
    ...(result.baseline?.fixed.map((x) => x.check) ?? []),
    ...(result.baseline?.regressions.map((x) => x.check) ?? []),
  ]);
  const tiles = result.gates
    .map((g) => {
      const c = countByStatus(g.checks);
      return `<a class="tile s-${g.status}" href="#gate-${esc(g.id)}" data-gate="${esc(g.id)}" data-status="${g.status}"><span class="tile-title">${esc(g.title)}</span><span class="badge s-${g.status}">${LABEL[g.status]}</span><span class="counts">${c.pass}/${g.checks.length} passed${c.fail ? ` · ${c.fail} failed` : ''}${c.error ? ` · ${c.error} error` : ''}${c.warn ? ` · ${c.warn} warn` : ''}</span><span class="dur">${formatDuration(g.durationMs)}</span></a>`;
    })
    .join('');
  const gates = result.gates
    .map((g) => {
      const chart = gateCharts(g);
      const open = g.status === 'fail' || g.status === 'error' || g.status === 'warn' ? ' open' : '';
      return `<section class="gate" id="gate-${esc(g.id)}"><details${open}><summary><h2><span class="badge s-${g.status}">${LABEL[g.status]}</span> ${esc(g.title)} <code>${esc(g.id)}</code> <span class="dur">${formatDuration(g.durationMs)}</span></h2></summary>${g.reason ? `<p class="muted">${esc(g.reason)}</p>` : ''}${chart ? `<div class="charts">${chart}</div>` : ''}${g.checks.map((c) => checkHtml(c, baseDir, changed)).join('\n')}</details></section>`;
    })
    .join('\n');
  const baseline = result.baseline
    ? `<section class="baseline" aria-labelledby="baseline-h"><h2 id="baseline-h">Changes since baseline</h2><p class="muted">Compared with the run of ${esc(result.baseline.baseline.startedAt)} (${esc(result.baseline.baseline.verdict)}).</p><ul>${baselineLines(
        result.baseline,
      )
        .map((l) => `<li>${esc(l)}</li>`)
        .join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>shipgate ${esc(result.verdict.toUpperCase())} — ${esc(result.profile.name)}</title>
<style>${CSS}</style></head>
<body><header class="top v-${result.verdict}"><h1><span class="verdict" data-verdict="${result.verdict}">${esc(result.verdict.toUpperCase())}</span> ${esc(result.profile.name)}</h1>
<p>${result.target.baseUrl ? `Target <b>${esc(result.target.baseUrl)}</b> · ` : ''}started ${esc(result.startedAt)} · took ${formatDuration(result.durationMs)} · ${summaryCounts(n)}${result.interrupted ? ' · <b>interrupted</b>' : ''}</p></header>
<main><nav class="tiles" aria-label="Gates">${tiles}</nav>
<div class="filters" role="search"><label>Status <select id="status-filter"><option value="">all</option>${(['fail', 'error', 'warn', 'flaky', 'waived', 'pass', 'skip'] as Status[]).map((s) => `<option value="${s}">${s}</option>`).join('')}</select></label> <label>Check id <input id="search" type="search" placeholder="security.cors…"></label></div>
${baseline}${gates}</main>
<footer class="muted">shipgate ${esc(result.tool.version)} · JSON report schemaVersion ${result.schemaVersion}</footer>
<script>${SCRIPT}</script></body></html>
`;
}

const SCRIPT = `(function(){var s=document.getElementById('status-filter'),q=document.getElementById('search');function apply(){var st=s.value,t=q.value.trim().toLowerCase();document.querySelectorAll('details.check').forEach(function(d){var ok=(!st||d.dataset.status===st)&&(!t||d.dataset.id.toLowerCase().indexOf(t)>=0);d.hidden=!ok;if(ok&&(st||t))d.closest('section').querySelector('details').open=true;});}s.addEventListener('change',apply);q.addEventListener('input',apply);})();`;

const CSS = `:root{--pass:#15803d;--fail:#b91c1c;--warn:#a16207;--error:#7e22ce;--skip:#4b5563;--waived:#0e7490;--flaky:#a16207;--bg:#f8fafc;--fg:#0f172a;--muted:#475569}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header.top{padding:16px 20px;color:#fff}header.top h1{margin:0;font-size:1.5rem}header.top p{margin:4px 0 0}
.v-pass{background:var(--pass)}.v-fail{background:var(--fail)}.v-error{background:var(--error)}
main{padding:16px 20px;max-width:1100px;margin:0 auto}.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;margin-bottom:16px}
.tile{display:flex;flex-direction:column;gap:2px;padding:10px;border-radius:8px;background:#fff;border:2px solid #cbd5e1;color:inherit;text-decoration:none}
.tile.s-pass{border-color:var(--pass)}.tile.s-fail{border-color:var(--fail)}.tile.s-error{border-color:var(--error)}.tile.s-warn{border-color:var(--warn)}
.tile-title{font-weight:600}.counts,.dur,.muted{color:var(--muted);font-size:.85rem}
.badge{display:inline-block;min-width:3.6em;text-align:center;padding:0 6px;border-radius:4px;color:#fff;font-size:.8rem;font-weight:700;text-transform:uppercase}
.badge.s-pass{background:var(--pass)}.badge.s-fail{background:var(--fail)}.badge.s-warn{background:var(--warn)}.badge.s-error{background:var(--error)}.badge.s-skip{background:var(--skip)}.badge.s-waived{background:var(--waived)}.badge.s-flaky{background:var(--flaky)}
.gate{background:#fff;border:1px solid #cbd5e1;border-radius:8px;margin:12px 0;padding:4px 12px}.gate h2{display:inline;font-size:1.1rem}
summary{cursor:pointer;padding:6px 0}summary:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
details.check{border-top:1px solid #e2e8f0;padding:2px 0}details.check .body{padding:0 0 8px 12px}.message{font-weight:500}
.changed{background:#fde68a;color:#713f12;border-radius:4px;padding:0 4px;font-size:.75rem}
pre{white-space:pre-wrap;word-break:break-word;background:#f1f5f9;padding:8px;border-radius:6px;font-size:.85rem;max-height:320px;overflow:auto}
dl.evidence dt{font-weight:600;font-size:.85rem}dl.evidence dd{margin:0 0 6px 0}
.filters{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}.filters input,.filters select{font:inherit;padding:4px}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{margin:0;flex:1 1 320px;max-width:600px}.chart svg{width:100%;height:auto}
.grid{stroke:#e2e8f0}.axis{stroke:#64748b}.tick,.axis-label{font-size:11px;fill:#334155}.threshold{stroke:#b91c1c;stroke-dasharray:6 4;stroke-width:1.5}.threshold-label{font-size:11px;fill:#b91c1c}
.bonus{fill:#15803d}.penalty{fill:#b91c1c}.legend .key{margin-right:12px;font-size:.85rem}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.grade{display:inline-flex;flex-direction:column;align-items:center;justify-content:center;width:84px;height:84px;border-radius:12px;color:#fff;margin:8px 12px 8px 0}.grade span{font-size:2rem;font-weight:800}.grade.s-pass{background:var(--pass)}.grade.s-fail{background:var(--fail)}.grade.s-error,.grade.s-warn,.grade.s-skip{background:var(--skip)}
.shot img{max-width:100%;border:1px solid #cbd5e1}.waiver{background:#ecfeff;padding:6px;border-radius:6px}
footer{padding:16px 20px}
@media (max-width:600px){main{padding:8px}.tiles{grid-template-columns:1fr 1fr}header.top h1{font-size:1.2rem}}`;

export function htmlReporter(path: string): Reporter {
  return { name: `html=${path}`, onEnd: (result) => writeReportFile(path, renderHtml(result, process.cwd())) };
}
