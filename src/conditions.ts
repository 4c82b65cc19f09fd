// Readable response conditions, in the spirit of Gatus: `body.status == "ok"`, `status < 500`,
// `header.content-type contains "json"`. Parsed once at profile load; a failure shows the resolved value:
//   body.status ("degraded") == "ok"
//
// condition := subject SP operator SP literal
// subject   := "status" | "body" | "body." path | "header." name
// path      := a JSON path (src/lang/json-path.ts), the same as the auth gate's token path
// operator  := "==" | "!=" | "<=" | ">=" | "<" | ">" | "contains" | "matches"
// literal   := JSON string | number | true | false | null | bare word

import { lookup, parseJsonPath } from './lang/json-path.js';
import { RE2JS } from 're2js';

export type Operator = '==' | '!=' | '<=' | '>=' | '<' | '>' | 'contains' | 'matches';

export interface Condition {
  source: string;
  subject: { kind: 'status' } | { kind: 'body'; path: (string | number)[] } | { kind: 'header'; name: string };
  operator: Operator;
  expected: unknown;
}

export interface ConditionSubjectValues {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ConditionOutcome {
  ok: boolean;
  /** Gatus-style: `body.status ("degraded") == "ok"`. */
  display: string;
}

// Longest operators first so "<=" is not read as "<".
const OPERATORS: Operator[] = ['contains', 'matches', '==', '!=', '<=', '>=', '<', '>'];

export class ConditionSyntaxError extends Error {}

export function parseCondition(source: string): Condition {
  const text = source.trim();
  let found: { op: Operator; index: number } | undefined;
  for (const op of OPERATORS) {
    const re = new RegExp(`\\s${op.replace(/[<>=!]/g, (c) => `\\${c}`)}\\s`);
    const m = re.exec(text);
    if (m && (!found || m.index < found.index)) found = { op, index: m.index };
  }
  if (!found)
    throw new ConditionSyntaxError(
      `expected a condition like 'body.status == "ok"' (operators: ${OPERATORS.join(' ')}), got ${JSON.stringify(source)}`,
    );
  const left = text.slice(0, found.index).trim();
  const right = text.slice(found.index + found.op.length + 2).trim();
  if (!right) throw new ConditionSyntaxError(`missing value after "${found.op}" in ${JSON.stringify(source)}`);
  return {
    source: text,
    subject: parseSubject(left, source),
    operator: found.op,
    expected: parseLiteral(right, found.op, source),
  };
}

function parseSubject(left: string, source: string): Condition['subject'] {
  if (left === 'status') return { kind: 'status' };
  if (left.startsWith('header.') && left.length > 7) return { kind: 'header', name: left.slice(7).toLowerCase() };
  if (left === 'body') return { kind: 'body', path: [] };
  if (left.startsWith('body.') || left.startsWith('body[')) {
    try {
      return { kind: 'body', path: parseJsonPath(left.startsWith('body[') ? left.slice(4) : left).segments };
    } catch (err) {
      throw new ConditionSyntaxError(
        `cannot read the body path "${left}" in ${JSON.stringify(source)}: ${(err as Error).message}`,
      );
    }
  }
  throw new ConditionSyntaxError(
    `unknown subject "${left}" in ${JSON.stringify(source)}; expected status, body.<path> or header.<name>`,
  );
}

function parseLiteral(right: string, op: Operator, source: string): unknown {
  if (op === 'matches') {
    const pattern = right.startsWith('"') ? safeJson(right, source) : right;
    // RE2 semantics (re2js, a pure-JS port of RE2/J): matching time is linear in the input, so a
    // pattern like ^(a+)+$ against a hostile body cannot hang the run past its deadlines or Ctrl-C.
    // The price: no backreferences or lookaround, refused here at load with RE2's reason.
    try {
      return RE2JS.compile(String(pattern));
    } catch (err) {
      if (!isJsRegex(String(pattern)))
        throw new ConditionSyntaxError(`invalid regular expression ${right} in ${JSON.stringify(source)}`);
      throw new ConditionSyntaxError(
        `regular expression ${right} in ${JSON.stringify(source)} needs backtracking (backreferences or lookaround), which the linear-time engine refuses: ${(err as Error).message.replace(/^error parsing regexp: /, '')}`,
      );
    }
  }
  if (/^(-?\d+(\.\d+)?|true|false|null)$/.test(right) || right.startsWith('"')) return safeJson(right, source);
  return right;
}

/** Compiling (not running) a JS regex is safe: it only tells a typo from RE2-unsupported syntax. */
function isJsRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function safeJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConditionSyntaxError(`cannot read the value ${text} in ${JSON.stringify(source)}`);
  }
}

export function evaluateCondition(c: Condition, v: ConditionSubjectValues): ConditionOutcome {
  let actual: unknown;
  let resolved = true;
  if (c.subject.kind === 'status') actual = v.status;
  else if (c.subject.kind === 'header') {
    actual = v.headers[c.subject.name];
    resolved = actual !== undefined;
  } else {
    let json: unknown;
    try {
      json = JSON.parse(v.body);
    } catch {
      return { ok: false, display: `${c.source} (body is not JSON)` };
    }
    const found = lookup(json, c.subject.path);
    resolved = found.found;
    actual = found.found ? found.value : undefined;
  }
  const left = leftText(c);
  const shown = resolved ? JSON.stringify(actual) : 'missing';
  const right = c.expected instanceof RE2JS ? `/${c.expected.pattern()}/` : JSON.stringify(c.expected);
  const display = `${left} (${shown}) ${c.operator} ${right}`;
  if (!resolved) return { ok: c.operator === '!=', display };
  return { ok: compare(actual, c.operator, c.expected), display };
}

function leftText(c: Condition): string {
  if (c.subject.kind === 'status') return 'status';
  if (c.subject.kind === 'header') return `header.${c.subject.name}`;
  return 'body' + c.subject.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

function compare(actual: unknown, op: Operator, expected: unknown): boolean {
  switch (op) {
    case '==':
      return looseEqual(actual, expected);
    case '!=':
      return !looseEqual(actual, expected);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((x) => looseEqual(x, expected));
      return typeof actual === 'string' && actual.includes(String(expected));
    case 'matches':
      return typeof actual === 'string' && (expected as RE2JS).test(actual);
    default: {
      const a = Number(actual);
      const b = Number(expected);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
  }
}

function looseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  // A bare word on the right compares with the string form of numbers and booleans.
  return a === b || String(a) === String(b);
}
