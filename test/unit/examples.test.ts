// The CI recipes in examples/ are valid YAML and call shipgate with options that exist.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';

const dir = join(ROOT, 'examples');
const files = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
const all = files(dir);
const KNOWN = new Set(['--gates', '--reporter', '-r', '--fail-on', '--timeout', '--quiet', '--verbose', '--parallel', '--suite', '--allow-load']);

for (const f of all.filter((x) => /\.ya?ml$/.test(x))) {
  test(`${f.slice(ROOT.length)} is valid YAML`, () => assert.doesNotThrow(() => parse(readFileSync(f, 'utf8'))));
}

test('every shipgate invocation in examples/ uses real commands, options and reporter kinds', () => {
  let n = 0;
  for (const f of all) {
    const text = readFileSync(f, 'utf8').replace(/\\\n\s*/g, ' ').replace(/\n\s+--/g, ' --');
    for (const m of text.matchAll(/shipgate (run|validate|merge|demo)\b([^\n'"\]]*)/g)) {
      n++;
      for (const opt of m[2].match(/(^|\s)(--?[a-z-]+)/g) ?? []) assert.ok(KNOWN.has(opt.trim()), `${f}: unknown option ${opt.trim()}`);
      for (const rep of m[2].matchAll(/--reporter (\w+)=/g)) assert.ok(['junit', 'md', 'json'].includes(rep[1]), `${f}: reporter ${rep[1]}`);
    }
  }
  assert.ok(n >= 5, `only ${n} invocations found`);
});

test('the Kubernetes CronJob runs non-destructive gates only', () => {
  const job = parse(readFileSync(join(dir, 'kubernetes/cronjob.yaml'), 'utf8'));
  const args: string[] = job.spec.jobTemplate.spec.template.spec.containers[0].args;
  const gates = args[args.indexOf('--gates') + 1].split(',');
  assert.ok(gates.every((g) => ['probes', 'security'].includes(g)), gates.join(','));
});
