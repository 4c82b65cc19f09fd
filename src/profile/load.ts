// profile.yaml → parse with positions → ${VAR} interpolation (secrets marked) → zod validation.
// Every problem becomes a ProfileError naming file:line:column and the field.
import { InputFileError, readInputFile } from '../read-input.js';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Scalar } from 'yaml';
import type { z } from 'zod';
import { ProfileError, formatPath, type ProfileProblem } from './errors.js';
import { InterpolationError, interpolate, interpolateForShell } from './interpolate.js';
import { addShellVars, shellCommandNodes, type ShellVars } from './shell-commands.js';
import { hasPath, keyPositionOf, positionOf } from './positions.js';
import { profileSchema, type Profile } from './schema.js';
import { knownKeys } from './known-keys.js';
import { closest } from './suggest.js';
import { describe } from './fields.js';

export interface LoadedProfile {
  profile: Profile;
  /** The file as given on the command line. */
  path: string;
  /** Values to redact from every output. */
  secrets: string[];
}

export const MAX_PROFILE_BYTES = 1024 * 1024;

/** Which gates this invocation runs (--gates, --suite): variables of other gates' sections may stay unset. */
export interface GateSelection {
  gates?: string[];
  suite?: string;
}

/** Keys whose values are secret even without ${secret:…}. */
const SECRET_KEY = /(password|passwd|secret|token|api[-_]?key|authorization|credential|cookie)/i;

export async function loadProfile(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  selection?: GateSelection,
): Promise<LoadedProfile> {
  let buf: Buffer;
  try {
    buf = await readInputFile(file, MAX_PROFILE_BYTES);
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    const size = err.tooLargeBytes;
    const message =
      size === undefined
        ? err.message
            .replace(/; expected a file$/, '; expected a YAML profile file')
            .replace(/^cannot read/, 'cannot read the profile')
        : `is ${size === 'unknown' ? `larger than ${MAX_PROFILE_BYTES / 1024}` : Math.round(size / 1024)} KiB; a profile may be at most ${MAX_PROFILE_BYTES / 1024} KiB`;
    throw new ProfileError(file, [{ message }]);
  }
  if (buf.includes(0))
    throw new ProfileError(file, [{ message: 'is a binary file (contains NUL bytes); expected a YAML profile' }]);
  return parseProfile(buf.toString('utf8'), file, env, selection);
}

export function parseProfile(
  source: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  selection?: GateSelection,
): LoadedProfile {
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ProfileError(
      file,
      doc.errors.slice(0, 5).map((e) => {
        const { line, col } = lc.linePos(e.pos[0]);
        return { line, column: col, message: yamlMessage(e.code, e.message) };
      }),
    );
  }
  if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))) {
    throw new ProfileError(file, [
      { line: 1, column: 1, message: 'the profile is empty; expected a mapping with at least "name", "target" and "gates"' },
    ]);
  }
  if (!isMap(doc.contents)) {
    const pos = positionOf(doc, lc, []);
    throw new ProfileError(file, [
      { ...pos, message: `expected a mapping (key: value) at the top level, got ${describe(doc.toJS())}` },
    ]);
  }

  const shellVars: ShellVars[] = [];
  const { secrets, deferred } = interpolateDocument(doc, lc, file, ownEnv(env), shellVars, unselectedGates(doc, selection));
  const data = addShellVars(toJs(doc, lc, file), shellVars);
  const schema = profileSchema();
  const parsed = schema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    // A shape problem caused by a value left unset in an unselected gate needs that value after all:
    // report the unset variable, as an eager load would have.
    const needed = deferred.filter((d) => parsed.error.issues.some((i) => samePath(i.path, d.path)));
    throw new ProfileError(
      file,
      needed.length ? needed.map((d) => d.problem) : issuesToProblems(parsed.error.issues, doc, lc, schema),
    );
  }
  return { profile: parsed.data, path: file, secrets };
}

/** Converts to plain data; unresolved aliases and alias bombs become profile errors at the alias. */
function toJs(doc: Document, lc: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    let offset = 0;
    visit(doc, {
      Alias(_, node) {
        if (offset) return visit.BREAK;
        if (!node.resolve(doc) || /alias count/i.test((err as Error).message)) offset = node.range?.[0] ?? 0;
      },
    });
    const { line, col } = lc.linePos(offset);
    const alias = /: (\S+)$/.exec((err as Error).message)?.[1];
    const reason = /Unresolved alias/.test((err as Error).message)
      ? `YAML error: alias *${alias ?? '?'} refers to no anchor (&${alias ?? '?'}) defined before it`
      : /alias count/i.test((err as Error).message)
        ? 'YAML error: too many aliases (more than 100 expansions); profiles do not need alias bombs'
        : `YAML error: ${(err as Error).message}`;
    throw new ProfileError(file, [{ line, column: col, message: reason }]);
  }
}

/** The variables are looked up as own properties only: ${constructor} is unset, not Object's. */
function ownEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.assign(Object.create(null), env);
}

/**
 * Gates the invocation does not run. Their sections are still validated for shape, but an unset variable
 * in them is no error: a probes-only run must not fail on the auth section's missing password.
 */
function unselectedGates(doc: Document, selection?: GateSelection): Set<string> {
  const configured = doc.getIn(['gates']);
  if (!selection || !isMap(configured)) return new Set();
  const ids = configured.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean);
  let selected = new Set(ids);
  if (selection.suite) {
    const suites = doc.getIn(['suites']);
    const suite = isMap(suites) ? suites.items.find((p) => isScalar(p.key) && p.key.value === selection.suite)?.value : undefined;
    const raw = suite ? (doc.createNode(suite) as { toJSON(): unknown }).toJSON() : undefined;
    const gates = Array.isArray(raw) || raw === 'all' ? raw : (raw as { gates?: unknown } | undefined)?.gates;
    if (Array.isArray(gates)) selected = new Set(ids.filter((id) => gates.includes(id)));
  }
  if (selection.gates?.length) selected = new Set([...selected].filter((id) => selection.gates!.includes(id)));
  return new Set(ids.filter((id) => !selected.has(id)));
}

interface Deferred {
  path: (string | number)[];
  problem: ProfileProblem;
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((k, i) => String(k) === String(b[i]));
}

/** The key path of a node from the visitor's ancestors: ["gates", "auth", "login", "password"]. */
function keyPath(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i] as { items?: unknown[]; key?: unknown };
    const child = chain[i + 1];
    if (isPair(parent)) continue;
    if (isSeq(parent)) path.push(parent.items.indexOf(child as never));
    else if (isMap(parent) && isPair(child) && isScalar(child.key)) path.push(String(child.key.value));
  }
  return path;
}

function interpolateDocument(
  doc: Document,
  lc: LineCounter,
  file: string,
  env: NodeJS.ProcessEnv,
  shellVars: ShellVars[],
  unselected: Set<string>,
): { secrets: string[]; deferred: Deferred[] } {
  const secrets: string[] = [];
  // Commands run through a shell get their values as environment variables, never pasted into the text.
  const shellCommands = shellCommandNodes(doc);
  const problems: ProfileProblem[] = [];
  const deferred: Deferred[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value;
      if (SECRET_KEY.test(key) && isScalar(value) && typeof value.value === 'string' && value.value) {
        // Literal secrets are redacted too, though they belong in the environment.
        if (!value.value.includes('${')) secrets.push(value.value);
      }
    },
    Scalar(_, node: Scalar, ancestors) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      try {
        const envPath = shellCommands.get(node);
        const r = envPath ? interpolateForShell(node.value, env) : interpolate(node.value, env);
        if (envPath && 'vars' in r) shellVars.push({ envPath, vars: r.vars as Record<string, string> });
        secrets.push(...r.secrets);
        node.value = r.value;
      } catch (err) {
        if (!(err instanceof InterpolationError)) throw err;
        const offset = (node.range?.[0] ?? 0) + (node.type === 'PLAIN' ? err.offset : err.offset + 1);
        const { line, col } = lc.linePos(offset);
        const problem = { line, column: col, message: err.message };
        const path = keyPath(ancestors, node);
        // Left as written in a gate this run skips; the text stays a string for the shape check.
        if (path[0] === 'gates' && unselected.has(String(path[1]))) deferred.push({ path, problem });
        else problems.push(problem);
      }
    },
  });
  // Values of secret-looking keys that came through ${VAR} are secret as well.
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (SECRET_KEY.test(key) && isScalar(pair.value) && typeof pair.value.value === 'string') secrets.push(pair.value.value);
    },
  });
  if (problems.length) throw new ProfileError(file, problems);
  return { secrets: [...new Set(secrets.filter((s) => s.length >= 4))], deferred };
}

function issuesToProblems(issues: z.core.$ZodIssue[], doc: Document, lc: LineCounter, schema: z.ZodType): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  for (const issue of flattenIssues(issues)) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        const pos = keyPositionOf(doc, lc, path, key);
        const hint = closest(key, known);
        const expected = known.length ? ` (expected one of: ${known.join(', ')})` : '';
        problems.push({
          ...pos,
          field: formatPath([...path, key]),
          message: hint ? `unknown key; did you mean "${hint}"?` : `unknown key${expected}`,
        });
      }
      continue;
    }
    const pos = positionOf(doc, lc, path);
    const missing = !hasPath(doc, path);
    let message = issue.message;
    if (missing && issue.code === 'invalid_type')
      message = `is required (${issue.message.startsWith('Invalid input') ? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}` : issue.message.replace(/, got nothing$/, '')})`;
    else message = humanMessage(issue);
    problems.push({ ...pos, field: formatPath(path) || '(top level)', message });
  }
  // One problem per position and field is enough; union branches can repeat themselves.
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const k = `${p.line}:${p.column}:${p.field}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || rank(a) - rank(b))
    .slice(0, 10);
}

/** At one position, an unknown key (the cause) reads better before the "is required" it leads to. */
function rank(p: ProfileProblem): number {
  return p.message.startsWith('unknown key') ? 0 : 1;
}

/** Unions report every branch; keep the branch that got furthest, or the union's own message. */
function flattenIssues(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors?.length && !issue.message.startsWith('expected')) {
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      out.push(...flattenIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
    } else out.push(issue);
  }
  return out;
}

function deepest(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 0.5)));
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  undefined: 'nothing',
};

function humanMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const got = input !== undefined ? `, got ${describe(input)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.message.startsWith('Invalid input')) return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}${got}`;
      return issue.message;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'too_small':
    case 'too_big': {
      if (!/^Too (small|big)/.test(issue.message)) return issue.message; // a message the schema chose
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      if (issue.origin === 'number' || issue.origin === 'int') return `expected a number ${op} ${bound}${got}`;
      if (issue.origin === 'string')
        return `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} character${bound === 1 ? '' : 's'}${got}`;
      if (issue.origin === 'array')
        return `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}${got}`;
      return issue.message;
    }
    default:
      return issue.message;
  }
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return `YAML error: duplicate key (${first})`;
  if (code === 'MULTIPLE_DOCS') return 'YAML error: a profile is one YAML document, but a second one starts here (---)';
  return `YAML syntax error: ${first}`;
}
