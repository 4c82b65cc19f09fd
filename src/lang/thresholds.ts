// Thresholds as a small parsed language, in the spirit of k6's thresholds_parser.go: parsed once at
// profile load (a typo is a profile error with line:column), the source text kept for the report, and
// parse (syntax) kept apart from validate (does the value fit the metric). Evaluation belongs to the gate
// that measures. One grammar for every gate: a gate picks the subset it measures (a dialect), so the
// words and the messages are the same everywhere in a profile.
//
// threshold  ::= ws* metric ws* operator ws* value ws*
// metric     ::= "avg" | "mean" | "min" | "med" | "median" | "max" | "errors" | "rps" | "timeouts" | percentile
// percentile ::= "p" number | "p(" ws* number ws* ")"          (0 < number <= 100)
// operator   ::= "<=" | ">=" | "==" | "<" | ">"                 (scanned longest first)
// value      ::= number ws* unit?
// unit       ::= "us" | "µs" | "ms" | "s" | "m" | "h" | "%"
// number     ::= digit+ ( "." digit+ )?
// ws         ::= " " | "\t"
//
// Metric names are case-insensitive; "mean" is "avg" and "median" is "med".
// Which value fits which metric (checked by validate):
//   avg min med max pN   a duration: 200ms, 1.5s, 800us (a bare number only where the dialect says ms)
//   errors               a percentage of all requests: 1%, 0.5%
//   rps                  completed responses per second, a plain number: 500
//   timeouts             a whole count: 0
import { closest } from '../profile/suggest.js';

export type Operator = '<=' | '>=' | '==' | '<' | '>';
export type MetricKind = 'latency' | 'errors' | 'rps' | 'timeouts';

/** Longest first, so "<=" is never read as "<". */
export const OPERATORS: readonly Operator[] = ['<=', '>=', '==', '<', '>'];
const OPERATOR_CHARS = /[<>=!]/;

const AGGREGATES = ['avg', 'min', 'med', 'max'] as const;
const ALIASES: Record<string, (typeof AGGREGATES)[number]> = { mean: 'avg', median: 'med' };
const COUNTERS = ['errors', 'rps', 'timeouts'] as const;
const PERCENTILE_EXAMPLES = ['p50', 'p90', 'p95', 'p97.5', 'p99', 'p99.9'];

/** The subset of the language one gate measures. */
export interface ThresholdDialect {
  kinds: readonly MetricKind[];
  operators: readonly Operator[];
  /** A bare number as a duration means milliseconds (else a duration needs its unit). */
  bareDurationIsMs?: boolean;
  /** Why only these operators, for the message when another one is written. */
  operatorsWhy?: string;
}

/** Everything: what the load gate measures. */
export const FULL_DIALECT: ThresholdDialect = { kinds: ['latency', 'errors', 'rps', 'timeouts'], operators: OPERATORS };

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

function knownMetrics(d: ThresholdDialect): string[] {
  return [
    ...(d.kinds.includes('latency') ? [...PERCENTILE_EXAMPLES, ...AGGREGATES] : []),
    ...COUNTERS.filter((c) => d.kinds.includes(c)),
  ];
}

function examples(d: ThresholdDialect): string {
  const all = [
    ['latency', '"p95 < 200ms"'],
    ['errors', '"errors < 1%"'],
    ['rps', '"rps > 500"'],
  ] as const;
  const some = all.filter(([k]) => d.kinds.includes(k)).map(([, e]) => e);
  return some.length > 1 ? `${some.slice(0, -1).join(', ')} or ${some[some.length - 1]}` : some[0];
}

/** Syntax only: metric, operator, number and unit, with 1-based columns for messages. */
export function parseThreshold(source: string, dialect: ThresholdDialect = FULL_DIALECT): ThresholdExpr {
  const c = new Cursor(source);
  c.skipWs();
  if (c.done) fail(source, `empty threshold; expected something like ${examples(dialect)}`);
  const metric = readMetric(c, dialect);
  c.skipWs();
  const operator = readOperator(c, dialect, metric.text);
  c.skipWs();
  const value = readValue(c, dialect, operator);
  c.skipWs();
  if (!c.done) fail(source, `unexpected "${c.rest}" at column ${c.i + 1} after the value "${value.text}"`);
  return { source: source.trim(), metric, operator, value };
}

/** A position in the threshold text; columns in messages are 1-based. */
class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  get rest(): string {
    return this.s.slice(this.i);
  }
  skipWs(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }
}

/** `p(95)`, `p95` or a metric name. */
function readMetric(c: Cursor, dialect: ThresholdDialect): ThresholdExpr['metric'] {
  const { s } = c;
  const metricStart = c.i;
  let percentile: number | undefined;
  let metricText: string;
  if (s.startsWith('p(', c.i) || s.startsWith('P(', c.i)) {
    c.i += 2;
    c.skipWs();
    const n = /^\d+(\.\d+)?/.exec(c.rest);
    if (!n) fail(s, `expected a number after "p(" at column ${c.i + 1}, e.g. p(95)`);
    percentile = Number(n![0]);
    c.i += n![0].length;
    c.skipWs();
    if (s[c.i] !== ')') fail(s, `expected ")" at column ${c.i + 1} to close "p(${n![0]}"`);
    c.i++;
    metricText = s.slice(metricStart, c.i);
  } else {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(c.rest);
    if (!m) fail(s, `expected a metric at column ${c.i + 1} (${knownMetrics(dialect).join(', ')})`);
    metricText = m![0];
    c.i += metricText.length;
    const pm = /^p(\d+(\.\d+)?)$/i.exec(metricText);
    if (pm) percentile = Number(pm[1]);
  }
  return { text: metricText, column: metricStart + 1, percentile };
}

/** The comparison operator, longest first, with a did-you-mean for a near miss. */
function readOperator(c: Cursor, dialect: ThresholdDialect, metricText: string): ThresholdExpr['operator'] {
  const { s } = c;
  const operator = OPERATORS.find((op) => s.startsWith(op, c.i));
  const allowed = dialect.operators.join(' ');
  if (!operator) {
    const run = /^[<>=!]+/.exec(c.rest)?.[0];
    if (run) {
      const hint = closestOperator(run);
      fail(
        s,
        `unknown operator "${run}" at column ${c.i + 1}${hint && dialect.operators.includes(hint) ? `; did you mean "${hint}"?` : ''} (operators: ${allowed})`,
      );
    }
    fail(
      s,
      c.done
        ? `missing operator and value after "${metricText}" (operators: ${allowed})`
        : `expected an operator (${allowed}) at column ${c.i + 1}, got "${s[c.i]}"`,
    );
  }
  c.i += operator!.length;
  if (OPERATOR_CHARS.test(s[c.i] ?? ''))
    fail(
      s,
      `unknown operator "${operator}${/^[<>=!]+/.exec(c.rest)![0]}" at column ${c.i + 1 - operator!.length} (operators: ${allowed})`,
    );
  if (!dialect.operators.includes(operator!))
    fail(
      s,
      `operator "${operator}" at column ${c.i + 1 - operator!.length} is not allowed here${dialect.operatorsWhy ? ` (${dialect.operatorsWhy})` : ''} (operators: ${allowed})`,
    );
  return operator!;
}

/** A number with an optional unit (durations, or % where the dialect allows error rates). */
function readValue(c: Cursor, dialect: ThresholdDialect, operator: string): ThresholdExpr['value'] {
  const { s } = c;
  const valueStart = c.i;
  const num = /^\d+(\.\d+)?/.exec(c.rest);
  if (!num)
    fail(
      s,
      c.done ? `missing value after "${operator}"` : `expected a number at column ${c.i + 1}, got "${c.rest.split(/\s/)[0]}"`,
    );
  c.i += num![0].length;
  const afterNumber = c.i;
  c.skipWs();
  const unitMatch = /^(us|µs|ms|s|m|h|%)(?![A-Za-z%])/.exec(c.rest);
  let unit = '';
  if (unitMatch) {
    unit = unitMatch[1];
    c.i += unit.length;
  } else {
    c.i = afterNumber;
    const word = /^\s*([A-Za-zµ%]+)/.exec(c.rest);
    if (word) fail(s, `unknown unit "${word[1]}" at column ${c.i + word[0].length - word[1].length + 1} (${unitsNote(dialect)})`);
  }
  return { number: Number(num![0]), text: s.slice(valueStart, c.i), unit, column: valueStart + 1 };
}

function unitsNote(d: ThresholdDialect): string {
  return `units: us, ms, s, m, h for durations${d.kinds.includes('errors') ? '; % for errors' : ''}`;
}

function closestOperator(run: string): Operator | undefined {
  // "=<" and "=>" are the usual slips; so is a lone "=" for "==".
  const swapped = [...run].reverse().join('');
  if ((OPERATORS as readonly string[]).includes(swapped)) return swapped as Operator;
  if (run === '=' || run === '===') return '==';
  return undefined;
}

const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Checks the expression fits its metric and the dialect: known metric, percentile range, the right unit. */
export function validateThreshold(expr: ThresholdExpr, dialect: ThresholdDialect = FULL_DIALECT): Threshold {
  const { source, metric, operator, value } = expr;
  const base = { source, operator };
  const lower = metric.text.toLowerCase();
  const name: string = ALIASES[lower] ?? lower;
  const known = knownMetrics(dialect);
  const measured = (kind: MetricKind) => {
    if (!dialect.kinds.includes(kind))
      fail(
        source,
        `metric "${metric.text}" is not measured here (metrics: ${known.join(', ')}${dialect.kinds.includes('latency') ? ', or any pN / p(N)' : ''})`,
      );
  };

  if (metric.percentile !== undefined) {
    measured('latency');
    const p = metric.percentile;
    if (!(p > 0 && p <= 100)) fail(source, `percentile ${p} is out of range; expected 0 < p <= 100, e.g. p95 or p(99.9)`);
    const canonical = `p${formatNumber(p)}`;
    return { ...base, metric: canonical, kind: 'latency', percentile: p, ...latencyValue(source, canonical, value, dialect) };
  }
  if ((AGGREGATES as readonly string[]).includes(name)) {
    measured('latency');
    return {
      ...base,
      metric: name,
      kind: 'latency',
      aggregate: name as Threshold['aggregate'],
      ...latencyValue(source, name, value, dialect),
    };
  }
  if (name === 'errors') {
    measured('errors');
    if (value.unit !== '%')
      fail(
        source,
        `errors is a percentage of all requests: write ${formatNumber(value.number)}%${value.unit ? ` instead of ${value.text}` : ''}`,
      );
    if (value.number > 100) fail(source, `errors ${value.text} is more than 100%`);
    return { ...base, metric: 'errors', kind: 'errors', value: value.number, valueText: `${formatNumber(value.number)}%` };
  }
  if (name === 'rps') {
    measured('rps');
    if (value.unit)
      fail(
        source,
        `rps is completed responses per second, a plain number: write ${formatNumber(value.number)} instead of ${value.text}`,
      );
    return { ...base, metric: 'rps', kind: 'rps', value: value.number, valueText: formatNumber(value.number) };
  }
  if (name === 'timeouts') {
    measured('timeouts');
    if (value.unit)
      fail(
        source,
        `timeouts is a count of timed-out requests, a plain number: write ${formatNumber(value.number)} instead of ${value.text}`,
      );
    if (!Number.isInteger(value.number)) fail(source, `timeouts is a whole count; got ${value.text}`);
    return { ...base, metric: 'timeouts', kind: 'timeouts', value: value.number, valueText: formatNumber(value.number) };
  }
  const hint = closest(metric.text, known);
  return fail(
    source,
    `unknown metric "${metric.text}"${hint ? `; did you mean "${hint}"?` : ''} (metrics: ${known.join(', ')}${dialect.kinds.includes('latency') ? ', or any pN / p(N)' : ''})`,
  );
}

function latencyValue(
  source: string,
  metric: string,
  value: ThresholdExpr['value'],
  dialect: ThresholdDialect,
): { value: number; valueText: string } {
  if (!value.unit && dialect.bareDurationIsMs) return { value: value.number, valueText: `${formatNumber(value.number)}ms` };
  if (!value.unit)
    fail(source, `${metric} is a duration: add a unit, e.g. ${formatNumber(value.number)}ms or ${formatNumber(value.number)}s`);
  if (value.unit === '%') fail(source, `${metric} is a duration, not a percentage: write e.g. ${formatNumber(value.number)}ms`);
  return { value: value.number * UNIT_MS[value.unit], valueText: `${formatNumber(value.number)}${value.unit}` };
}

/** Parse and validate in one go, as the profile schemas do. */
export function compileThreshold(source: string, dialect: ThresholdDialect = FULL_DIALECT): Threshold {
  return validateThreshold(parseThreshold(source, dialect), dialect);
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

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}
