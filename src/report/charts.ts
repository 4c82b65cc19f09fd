// Small inline SVG charts drawn from the result tree: no library, no network, accessible text alternatives.
import { html } from './escape.js';

export interface Line {
  label: string;
  points: { x: number; y: number }[];
}

export interface Rule {
  label: string;
  y: number;
}

const W = 560;
const H = 220;
const PAD = { l: 52, r: 16, t: 16, b: 36 };
const COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2'];

const esc = html;

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? v;
}

function fmt(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n >= 10 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2).replace(/\.?0+$/, '');
}

/** A line chart with optional horizontal threshold rules; x and y units label the axes. */
export function lineChart(opts: {
  title: string;
  lines: Line[];
  rules?: Rule[];
  xLabel: string;
  yLabel: string;
  xTicks?: { x: number; label: string }[];
  kind?: string;
}): string {
  const all = opts.lines.flatMap((l) => l.points);
  const rules = opts.rules ?? [];
  const xs = all.map((p) => p.x);
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, 1);
  const yMax = niceMax(Math.max(...all.map((p) => p.y), ...rules.map((r) => r.y), 0) * 1.05);
  const sx = (x: number) => PAD.l + ((x - xMin) / (xMax - xMin || 1)) * (W - PAD.l - PAD.r);
  const sy = (y: number) => H - PAD.b - (y / yMax) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax / 4) * i;
    parts.push(
      `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${sy(y)}" y2="${sy(y)}" class="grid"/><text x="${PAD.l - 6}" y="${sy(y) + 4}" text-anchor="end" class="tick">${fmt(y)}</text>`,
    );
  }
  for (const t of opts.xTicks ?? [])
    parts.push(`<text x="${sx(t.x)}" y="${H - PAD.b + 16}" text-anchor="middle" class="tick">${esc(t.label)}</text>`);
  opts.lines.forEach((l, i) => {
    const c = COLORS[i % COLORS.length];
    const d = l.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2" class="series"><title>${esc(l.label)}</title></path>`);
    for (const p of l.points)
      parts.push(
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${c}"><title>${esc(`${l.label}: ${fmt(p.y)} ${opts.yLabel}`)}</title></circle>`,
      );
  });
  for (const r of rules) {
    parts.push(
      `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${sy(r.y)}" y2="${sy(r.y)}" class="threshold" data-threshold="${esc(r.label)}"><title>${esc(r.label)}</title></line><text x="${W - PAD.r}" y="${sy(r.y) - 4}" text-anchor="end" class="threshold-label">${esc(r.label)}</text>`,
    );
  }
  const legend = opts.lines
    .map((l, i) => `<span class="key"><i style="background:${COLORS[i % COLORS.length]}"></i>${esc(l.label)}</span>`)
    .join('');
  const alt = `${opts.title}: ${opts.lines.map((l) => `${l.label} ${l.points.map((p) => fmt(p.y)).join(', ')} ${opts.yLabel}`).join('; ')}${rules.length ? `; thresholds ${rules.map((r) => r.label).join(', ')}` : ''}`;
  return `<figure class="chart"${opts.kind ? ` data-chart="${opts.kind}"` : ''}><figcaption>${esc(opts.title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(alt)}"><line x1="${PAD.l}" x2="${PAD.l}" y1="${PAD.t}" y2="${H - PAD.b}" class="axis"/><line x1="${PAD.l}" x2="${W - PAD.r}" y1="${H - PAD.b}" y2="${H - PAD.b}" class="axis"/>${parts.join('')}<text x="${(W + PAD.l) / 2}" y="${H - 4}" text-anchor="middle" class="axis-label">${esc(opts.xLabel)}</text><text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle" class="axis-label">${esc(opts.yLabel)}</text></svg><div class="legend">${legend}</div></figure>`;
}

/** Horizontal bars (a score breakdown): labels on the left, contributions either side of zero. */
export function barChart(opts: { title: string; bars: { label: string; value: number }[]; kind?: string }): string {
  const rowH = 24;
  const h = opts.bars.length * rowH + 8;
  const left = 300;
  const right = W - 44;
  const neg = Math.max(0, ...opts.bars.map((b) => -b.value));
  const pos = Math.max(0, ...opts.bars.map((b) => b.value));
  const scale = (right - left) / Math.max(1, neg + pos);
  const zero = left + neg * scale;
  const rows = opts.bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = Math.abs(b.value) * scale;
    const x = b.value >= 0 ? zero : zero - w;
    const label = b.label.length > 46 ? `${b.label.slice(0, 45)}…` : b.label;
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end" class="tick">${esc(label)}<title>${esc(b.label)}</title></text><rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 8}" class="${b.value >= 0 ? 'bonus' : 'penalty'}"><title>${esc(`${b.label}: ${b.value > 0 ? '+' : ''}${b.value}`)}</title></rect><text x="${(b.value >= 0 ? x + w + 4 : x - 4).toFixed(1)}" y="${y + 15}" text-anchor="${b.value >= 0 ? 'start' : 'end'}" class="tick">${b.value > 0 ? '+' : ''}${b.value}</text>`;
  });
  return `<figure class="chart"${opts.kind ? ` data-chart="${opts.kind}"` : ''}><figcaption>${esc(opts.title)}</figcaption><svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(`${opts.title}: ${opts.bars.map((b) => `${b.label} ${b.value}`).join(', ')}`)}"><line x1="${zero.toFixed(1)}" x2="${zero.toFixed(1)}" y1="0" y2="${h}" class="axis"/>${rows.join('')}</svg></figure>`;
}
