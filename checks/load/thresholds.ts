// Load thresholds as a small parsed language, in the spirit of k6's thresholds_parser.go:
// parsed once at profile load (a typo is a profile error with line:column), the source text kept
// for the report, and three separate steps: parse (syntax), validate (does the value fit the
// metric), evaluate (against measured stats).
//
// threshold  ::= ws* metric ws* operator ws* value ws*
// metric     ::= "avg" | "min" | "med" | "max" | "errors" | "rps" | "timeouts" | percentile
// percentile ::= "p" number | "p(" ws* number ws* ")"          (0 < number <= 100)
// operator   ::= "<=" | ">=" | "==" | "<" | ">"                 (scanned longest first)
// value      ::= number ws* unit?
// unit       ::= "us" | "µs" | "ms" | "s" | "%"
// number     ::= digit+ ( "." digit+ )?
// ws         ::= " " | "\t"
//
// Which value fits which metric (checked by validate):
//   avg min med max pN   a duration: 200ms, 1.5s, 800us
//   errors               a percentage of all requests: 1%, 0.5%
//   rps                  completed responses per second, a plain number: 500
//   timeouts             a whole count: 0
import { closest } from '../../src/profile/suggest.js';

export type Operator = '<=' | '>=' | '==' | '<' | '>';
export type MetricKind = 'latency' | 'errors' | 'rps' | 'timeouts';

/** Longest first, so "<=" is never read as "<". */
export const OPERATORS: readonly Operator[] = ['<=', '>=', '==', '<', '>'];
const OPERATOR_CHARS = /[<>=!]/;

const AGGREGATES = ['avg', 'min', 'med', 'max'] as const;
const COUNTERS = ['errors', 'rps', 'timeouts'] as const;
const KNOWN_METRICS = ['p50', 'p90', 'p95', 'p97.5', 'p99', 'p99.9', ...AGGREGATES, ...COUNTERS];

/** The syntax tree of one expression: what was written, with positions, nothing interpreted yet. */
export interface ThresholdExpr {
  source: string;
  metric: { text: string; column: number; percentile?: number };
  operator: Operator;
  value: { number: number; text: string; unit: string; column: number };
}

/** A validated threshold, ready to evaluate. Latency values are in milliseconds, errors in percent. */
export interface Threshold {
  source: string;
  /** Canonical metric name for messages and check ids: p95, p97.5, avg, errors, rps, timeouts. */
  metric: string;
  kind: MetricKind;
  percentile?: number;
  aggregate?: (typeof AGGREGATES)[number];
  operator: Operator;
  value: number;
  /** The value as written, normalised: "200ms", "1%", "500". */
  valueText: string;
}

export class ThresholdError extends Error {
  override name = 'ThresholdError';
}

const fail = (source: string, message: string): never => {
  throw new ThresholdError(`${JSON.stringify(source.trim())}: ${message}`);
};

/** Syntax only: metric, operator, number and unit, with 1-based columns for messages. */
export function parseThreshold(source: string): ThresholdExpr {
  const s = source;
  let i = 0;
  const skipWs = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  skipWs();
  if (i >= s.length) fail(s, 'empty threshold; expected something like "p95 < 200ms", "errors < 1%" or "rps > 500"');

  // metric
  const metricStart = i;
  let percentile: number | undefined;
  let metricText: string;
  if (s.startsWith('p(', i)) {
    i += 2;
    skipWs();
    const n = /^\d+(\.\d+)?/.exec(s.slice(i));
    if (!n) fail(s, `expected a number after "p(" at column ${i + 1}, e.g. p(95)`);
    percentile = Number(n![0]);
    i += n![0].length;
    skipWs();
    if (s[i] !== ')') fail(s, `expected ")" at column ${i + 1} to close "p(${n![0]}"`);
    i++;
    metricText = s.slice(metricStart, i);
  } else {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.slice(i));
    if (!m) fail(s, `expected a metric at column ${i + 1} (${KNOWN_METRICS.join(', ')})`);
    metricText = m![0];
    i += metricText.length;
    const pm = /^p(\d+(\.\d+)?)$/.exec(metricText);
    if (pm) percentile = Number(pm[1]);
  }
  skipWs();

  // operator, longest first
  const operator = OPERATORS.find((op) => s.startsWith(op, i));
  if (!operator) {
    const run = /^[<>=!]+/.exec(s.slice(i))?.[0];
    if (run) {
      const hint = closestOperator(run);
      fail(s, `unknown operator "${run}" at column ${i + 1}${hint ? `; did you mean "${hint}"?` : ''} (operators: ${OPERATORS.join(' ')})`);
    }
    fail(s, i >= s.length ? `missing operator and value after "${metricText}" (operators: ${OPERATORS.join(' ')})` : `expected an operator (${OPERATORS.join(' ')}) at column ${i + 1}, got "${s[i]}"`);
  }
  i += operator!.length;
  if (OPERATOR_CHARS.test(s[i] ?? '')) fail(s, `unknown operator "${operator}${/^[<>=!]+/.exec(s.slice(i))![0]}" at column ${i + 1 - operator!.length} (operators: ${OPERATORS.join(' ')})`);
  skipWs();

  // value
  const valueStart = i;
  const num = /^\d+(\.\d+)?/.exec(s.slice(i));
  if (!num) fail(s, i >= s.length ? `missing value after "${operator}"` : `expected a number at column ${i + 1}, got "${s.slice(i).split(/\s/)[0]}"`);
  i += num![0].length;
  const afterNumber = i;
  skipWs();
  const unitMatch = /^(us|µs|ms|s|%)(?![A-Za-z%])/.exec(s.slice(i));
  let unit = '';
  if (unitMatch) {
    unit = unitMatch[1];
    i += unit.length;
  } else {
    i = afterNumber;
    const word = /^\s*([A-Za-zµ%]+)/.exec(s.slice(i));
    if (word) fail(s, `unknown unit "${word[1]}" at column ${i + word[0].length - word[1].length + 1} (units: us, ms, s for durations; % for errors)`);
  }
  const valueEnd = i;
  skipWs();
  if (i < s.length) fail(s, `unexpected "${s.slice(i)}" at column ${i + 1} after the value "${s.slice(valueStart, valueEnd)}"`);

  return {
    source: s.trim(),
    metric: { text: metricText, column: metricStart + 1, percentile },
    operator: operator!,
    value: { number: Number(num![0]), text: s.slice(valueStart, valueEnd), unit, column: valueStart + 1 },
  };
}

function closestOperator(run: string): Operator | undefined {
  // "=<" and "=>" are the usual slips; so is a lone "=" for "==".
  const swapped = [...run].reverse().join('');
  if ((OPERATORS as readonly string[]).includes(swapped)) return swapped as Operator;
  if (run === '=' || run === '===') return '==';
  return undefined;
}

const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

/** Checks the expression fits its metric: known metric, percentile range, the right unit. */
export function validateThreshold(expr: ThresholdExpr): Threshold {
  const { source, metric, operator, value } = expr;
  const base = { source, operator };
  const name = metric.text;

  if (metric.percentile !== undefined) {
    const p = metric.percentile;
    if (!(p > 0 && p <= 100)) fail(source, `percentile ${p} is out of range; expected 0 < p <= 100, e.g. p95 or p(99.9)`);
    const canonical = `p${formatNumber(p)}`;
    return { ...base, metric: canonical, kind: 'latency', percentile: p, ...latencyValue(source, canonical, value) };
  }
  if ((AGGREGATES as readonly string[]).includes(name)) {
    return { ...base, metric: name, kind: 'latency', aggregate: name as Threshold['aggregate'], ...latencyValue(source, name, value) };
  }
  if (name === 'errors') {
    if (value.unit !== '%') fail(source, `errors is a percentage of all requests: write ${formatNumber(value.number)}%${value.unit ? ` instead of ${value.text}` : ''}`);
    if (value.number > 100) fail(source, `errors ${value.text} is more than 100%`);
    return { ...base, metric: 'errors', kind: 'errors', value: value.number, valueText: `${formatNumber(value.number)}%` };
  }
  if (name === 'rps') {
    if (value.unit) fail(source, `rps is completed responses per second, a plain number: write ${formatNumber(value.number)} instead of ${value.text}`);
    return { ...base, metric: 'rps', kind: 'rps', value: value.number, valueText: formatNumber(value.number) };
  }
  if (name === 'timeouts') {
    if (value.unit) fail(source, `timeouts is a count of timed-out requests, a plain number: write ${formatNumber(value.number)} instead of ${value.text}`);
    if (!Number.isInteger(value.number)) fail(source, `timeouts is a whole count; got ${value.text}`);
    return { ...base, metric: 'timeouts', kind: 'timeouts', value: value.number, valueText: formatNumber(value.number) };
  }
  const hint = closest(name, KNOWN_METRICS);
  return fail(source, `unknown metric "${name}"${hint ? `; did you mean "${hint}"?` : ''} (metrics: ${KNOWN_METRICS.join(', ')}, or any pN / p(N))`);
}

function latencyValue(source: string, metric: string, value: ThresholdExpr['value']): { value: number; valueText: string } {
  if (!value.unit) fail(source, `${metric} is a duration: add a unit, e.g. ${formatNumber(value.number)}ms or ${formatNumber(value.number)}s`);
  if (value.unit === '%') fail(source, `${metric} is a duration, not a percentage: write e.g. ${formatNumber(value.number)}ms`);
  return { value: value.number * UNIT_MS[value.unit], valueText: `${formatNumber(value.number)}${value.unit}` };
}

/** Parse and validate in one go, as the profile schema does. */
export function compileThreshold(source: string): Threshold {
  return validateThreshold(parseThreshold(source));
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What a threshold is evaluated against: one endpoint's stats, or the whole run's. */
export interface ThresholdStats {
  /** Responses received (any status). */
  responses: number;
  /** Responses outside 2xx/3xx plus transport errors and timeouts. */
  errors: number;
  /** Requests that got an answer or an error: responses + transport errors (timeouts included). */
  attempts: number;
  timeouts: number;
  rps: number;
  latency: {
    count: number;
    percentile(p: number): number;
    mean: number;
    min: number;
    max: number;
  };
}

export interface ThresholdOutcome {
  ok: boolean;
  /** The observed value, in the threshold's unit (ms, %, rps, count); undefined with no samples. */
  observed?: number;
  /** "p95 = 412ms, threshold < 200ms", or why nothing could be observed. */
  message: string;
  noSamples: boolean;
}

export function evaluateThreshold(t: Threshold, s: ThresholdStats): ThresholdOutcome {
  const wanted = `threshold ${t.operator} ${t.valueText}`;
  const noSamples = (why: string): ThresholdOutcome => ({ ok: false, noSamples: true, message: `no samples: ${why}, so ${t.metric} cannot be judged (${wanted}); a threshold without data fails` });

  let observed: number;
  let shown: string;
  switch (t.kind) {
    case 'latency': {
      if (s.latency.count === 0) return noSamples(`no response was received${s.attempts ? ` (${s.attempts} requests, all failed without a response)` : ''}`);
      observed = t.percentile !== undefined ? s.latency.percentile(t.percentile) : t.aggregate === 'med' ? s.latency.percentile(50) : t.aggregate === 'avg' ? s.latency.mean : t.aggregate === 'min' ? s.latency.min : s.latency.max;
      shown = formatMs(observed);
      break;
    }
    case 'errors':
      if (s.attempts === 0) return noSamples('no request completed');
      observed = (s.errors / s.attempts) * 100;
      shown = `${formatPercent(observed)} (${s.errors.toLocaleString('en-US')} of ${s.attempts.toLocaleString('en-US')} requests)`;
      break;
    case 'rps':
      if (s.responses === 0) return noSamples('no response was received');
      observed = s.rps;
      shown = formatRate(observed);
      break;
    case 'timeouts':
      if (s.attempts === 0) return noSamples('no request completed');
      observed = s.timeouts;
      shown = String(observed);
      break;
  }
  const ok = compare(observed, t.operator, t.value);
  let message = `${t.metric} = ${shown}, ${wanted}`;
  if (t.kind === 'latency' && t.value < 1) message += ' (sub-millisecond: the client measures with process.hrtime, but its own event-loop delay is in every sample)';
  return { ok, observed, message, noSamples: false };
}

export function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting shared with the summary

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

/** Milliseconds with the precision that means something at that size. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)}s`;
  if (ms >= 100) return `${Math.round(ms)}ms`;
  if (ms >= 10) return `${ms.toFixed(1)}ms`;
  return `${ms.toFixed(2)}ms`;
}

export function formatPercent(p: number): string {
  return `${p.toFixed(p !== 0 && p < 0.1 ? 3 : 2)}%`;
}

export function formatRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1);
}
