// Who may import what, in the spirit of Playwright's DEPS.list: the core and the reporters never import a
// gate, undici or Playwright; a gate never imports the runner, the CLI, a reporter, the registry or another
// gate. Only the registry (src/gates/registry.ts) names the gates: no string in src/ equals a gate id. A
// failure names the file, the line and the import or string.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { GATE_IDS } from '../../src/gates/registry.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Import {
  file: string;
  line: number;
  spec: string;
  /** The imported file relative to the repo (for relative specifiers), else the package name. */
  target: string;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const line = text.slice(0, m.index).split('\n').length;
    const target = spec.startsWith('.')
      ? relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).replace(/\.js$/, '.ts')
      : spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/');
    out.push({ file, line, spec, target });
  }
  return out;
}

const ALL = [...sources('src'), ...sources('checks')].map(importsOf).flat();
const under = (dir: string) => (path: string) => path === dir || path.startsWith(`${dir}/`);

/** The core: the result model, contracts, small languages, the runner and the reporters. */
const CORE = [
  'src/result.ts',
  'src/check.ts',
  'src/errors.ts',
  'src/baseline.ts',
  'src/catalogue.ts',
  'src/redact.ts',
  'src/duration.ts',
];
const isCore = (f: string) => CORE.includes(f) || ['src/gates', 'src/lang', 'src/runner', 'src/report'].some((d) => under(d)(f));
const HEAVY = ['undici', 'playwright', 'playwright-core', '@playwright/test'];

/**
 * Known exceptions, each with its reason; an entry that no longer matches fails the test, so the list
 * only shrinks. Type-only imports load nothing at run time.
 */
const EXCEPTIONS: { file: string; target: string; why: string }[] = [];

function excepted(i: Import): boolean {
  return EXCEPTIONS.some((e) => e.file === i.file && e.target === i.target);
}

const show = (i: Import, rule: string) => `${i.file}:${i.line} imports '${i.spec}': ${rule}`;

test('only the registry imports a gate: src/ never reaches into checks/', () => {
  const bad = ALL.filter((i) => under('src')(i.file) && i.file !== 'src/gates/registry.ts' && under('checks')(i.target));
  assert.deepEqual(
    bad.map((i) => show(i, 'the core names no gate; go through a manifest (src/gates/registry.ts)')),
    [],
  );
});

test('the core and the reporters never import undici or Playwright', () => {
  const bad = ALL.filter((i) => isCore(i.file) && HEAVY.includes(i.target) && !excepted(i));
  assert.deepEqual(
    bad.map((i) =>
      show(i, 'the core and the reporters read results, never HTTP or browser types; use a service (src/http, src/browser)'),
    ),
    [],
  );
});

test('a gate never imports the runner, the CLI, a reporter, the registry or another gate', () => {
  const forbidden = [
    under('src/runner'),
    under('src/commands'),
    under('src/report'),
    (t: string) => t === 'src/cli.ts' || t === 'src/gates/registry.ts',
  ];
  const bad = ALL.filter((i) => {
    if (!under('checks')(i.file)) return false;
    const gate = i.file.split('/')[1];
    if (under('checks')(i.target)) return i.target.split('/')[1] !== gate;
    return forbidden.some((f) => f(i.target));
  });
  assert.deepEqual(
    bad.map((i) => show(i, 'a gate depends on the contract and shared services only')),
    [],
  );
});

test('every listed exception still exists (the list only shrinks)', () => {
  const stale = EXCEPTIONS.filter((e) => !ALL.some((i) => i.file === e.file && i.target === e.target));
  assert.deepEqual(stale, []);
});

/** String literals (and plain template literals) of a file that equal a registered gate id. */
function gateIdStrings(
  file: string,
  text = readFileSync(join(ROOT, file), 'utf8'),
): { file: string; line: number; text: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { file: string; line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && GATE_IDS.includes(node.text))
      found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Strings that equal a gate id but are not one, or known leaks still to move into a manifest; only shrinks. */
const GATE_ID_EXCEPTIONS: { file: string; text: string; why: string }[] = [
  { file: 'src/report/sarif.ts', text: 'security', why: "SARIF's rule tag that code scanning filters on, not the gate" },
];

const NAMED = sources('src')
  .filter((f) => f !== 'src/gates/registry.ts' && !under('src/demo')(f))
  .flatMap((f) => gateIdStrings(f));

test('no string in the runner, the reporters, init, export or the rest of src/ is a gate id (only the registry names gates)', () => {
  const bad = NAMED.filter((n) => !GATE_ID_EXCEPTIONS.some((e) => e.file === n.file && e.text === n.text));
  assert.deepEqual(
    bad.map((n) => `${n.file}:${n.line} names the gate '${n.text}': read it from a manifest (src/gates/registry.ts)`),
    [],
  );
});

test('every listed gate-id exception still exists (the list only shrinks)', () => {
  const stale = GATE_ID_EXCEPTIONS.filter((e) => !NAMED.some((n) => n.file === e.file && n.text === e.text));
  assert.deepEqual(stale, []);
});

test('the gate-id scanner sees string and template literals with their lines, and the runner, reporters, init and export are scanned', () => {
  assert.ok(
    NAMED.some((n) => n.file === 'src/report/sarif.ts' && n.text === 'security'),
    'string literal',
  );
  const scanned = sources('src').filter((f) => f !== 'src/gates/registry.ts' && !under('src/demo')(f));
  for (const must of ['src/runner/run.ts', 'src/report/console.ts', 'src/init/render.ts', 'src/commands/export.ts'])
    assert.ok(scanned.includes(must), must);
  const probe = `const a = \`${GATE_IDS[0]}\`;\nconst b = ['x', '${GATE_IDS[1]}'];`;
  assert.deepEqual(
    gateIdStrings('probe.ts', probe).map((n) => `${n.line} ${n.text}`),
    [`1 ${GATE_IDS[0]}`, `2 ${GATE_IDS[1]}`],
  );
});

test('the import scanner sees static, type-only, re-export and dynamic imports', () => {
  const seen = (file: string, target: string) => ALL.some((i) => i.file === file && i.target === target);
  assert.ok(seen('src/gates/registry.ts', 'checks/load/manifest.ts'), 'static import');
  assert.ok(seen('src/browser/pool.ts', 'playwright-core'), 'type-only import');
  assert.ok(seen('checks/load/manifest.ts', 'checks/load/index.ts'), 'dynamic import()');
  assert.ok(seen('src/runner/plan.ts', 'src/errors.ts'), 're-export');
});
