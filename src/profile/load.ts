// profile.yaml → parse with positions → ${VAR} interpolation (secrets marked) → zod validation.
// Every problem becomes a ProfileError naming file:line:column and the field.
import { readFile, stat } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Scalar } from 'yaml';
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

/** Keys whose values are secret even without ${secret:…}. */
const SECRET_KEY = /(password|passwd|secret|token|api[-_]?key|authorization|credential|cookie)/i;

export async function loadProfile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedProfile> {
  let info;
  try {
    info = await stat(file);
  } catch (err: any) {
    throw new ProfileError(file, [{ message: err?.code === 'ENOENT' ? 'no such file' : `cannot read the profile (${err?.code ?? err})` }]);
  }
  if (info.isDirectory()) throw new ProfileError(file, [{ message: 'is a directory; expected a YAML profile file' }]);
  if (info.size > MAX_PROFILE_BYTES) throw new ProfileError(file, [{ message: `is ${Math.round(info.size / 1024)} KiB; a profile may be at most ${MAX_PROFILE_BYTES / 1024} KiB` }]);
  const buf = await readFile(file);
  if (buf.includes(0)) throw new ProfileError(file, [{ message: 'is a binary file (contains NUL bytes); expected a YAML profile' }]);
  return parseProfile(buf.toString('utf8'), file, env);
}

export function parseProfile(source: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedProfile {
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
    throw new ProfileError(file, [{ line: 1, column: 1, message: 'the profile is empty; expected a mapping with at least "name", "target" and "gates"' }]);
  }
  if (!isMap(doc.contents)) {
    const pos = positionOf(doc, lc, []);
    throw new ProfileError(file, [{ ...pos, message: `expected a mapping (key: value) at the top level, got ${describe(doc.toJS())}` }]);
  }

  const shellVars: ShellVars[] = [];
  const secrets = interpolateDocument(doc, lc, file, env, shellVars);
  const data = addShellVars(toJs(doc, lc, file), shellVars);
  const schema = profileSchema();
  const parsed = schema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new ProfileError(file, issuesToProblems(parsed.error.issues, doc, lc, schema));
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

function interpolateDocument(doc: Document, lc: LineCounter, file: string, env: NodeJS.ProcessEnv, shellVars: ShellVars[]): string[] {
  const secrets: string[] = [];
  // Commands run through a shell get their values as environment variables, never pasted into the text.
  const shellCommands = shellCommandNodes(doc);
  const problems: ProfileProblem[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value;
      if (SECRET_KEY.test(key) && isScalar(value) && typeof value.value === 'string' && value.value) {
        // Literal secrets are redacted too, though they belong in the environment.
        if (!value.value.includes('${')) secrets.push(value.value);
      }
    },
    Scalar(_, node: Scalar) {
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
        problems.push({ line, column: col, message: err.message });
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
  return [...new Set(secrets.filter((s) => s.length >= 4))];
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
        problems.push({ ...pos, field: formatPath([...path, key]), message: hint ? `unknown key; did you mean "${hint}"?` : `unknown key${expected}` });
      }
      continue;
    }
    const pos = positionOf(doc, lc, path);
    const missing = !hasPath(doc, path);
    let message = issue.message;
    if (missing && issue.code === 'invalid_type') message = `is required (${issue.message.startsWith('Invalid input') ? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}` : issue.message.replace(/, got nothing$/, '')})`;
    else message = humanMessage(issue);
    problems.push({ ...pos, field: formatPath(path) || '(top level)', message });
  }
  // One problem per position and field is enough; union branches can repeat themselves.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.column}:${p.field}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || rank(a) - rank(b)).slice(0, 10);
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
  object: 'a mapping', record: 'a mapping', array: 'a list', string: 'a string', number: 'a number',
  int: 'a whole number', boolean: 'true or false', undefined: 'nothing',
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
      if (issue.origin === 'string') return `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} character${bound === 1 ? '' : 's'}${got}`;
      if (issue.origin === 'array') return `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}${got}`;
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
