// Issue 19 item 14: a report never overwrites an input, two reporters never share a path, and a report
// that cannot be written is an error (exit 3) naming the path, never announced as written.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli } from '../helpers/cli.js';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-paths-'));
  copyFileSync(join(ROOT, 'profiles/demo.yaml'), join(dir, 'demo.yaml'));
  return dir;
}

test('a report path equal to the profile is refused before any traffic, and the profile is untouched', async () => {
  const dir = scratch();
  const before = readFileSync(join(dir, 'demo.yaml'), 'utf8');
  const r = await runCli(['run', join(dir, 'demo.yaml'), '--gates', 'probes', '-r', `md=${dir}/./demo.yaml`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /md=.*demo\.yaml: that is the profile/);
  assert.equal(readFileSync(join(dir, 'demo.yaml'), 'utf8'), before);
  assert.doesNotMatch(r.stdout, /probes\.liveness/, 'no gate ran');
});

test('a report path equal to the --baseline is refused', async () => {
  const dir = scratch();
  writeFileSync(join(dir, 'base.json'), '{}');
  const r = await runCli(['demo', '--gates', 'probes', '--baseline', join(dir, 'base.json'), '-r', `json=${dir}/base.json`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /json=.*base\.json: that is the --baseline report/);
  assert.equal(readFileSync(join(dir, 'base.json'), 'utf8'), '{}');
});

test('two reporters on one path are refused', async () => {
  const dir = scratch();
  const r = await runCli(['demo', '--gates', 'probes', '-r', `md=${dir}/out.txt`, '-r', `json=${dir}/out.txt`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /json=.*out\.txt: the md report already writes to/);
});

test('merge refuses to write over a report it reads', async () => {
  const dir = scratch();
  writeFileSync(join(dir, 'a.json'), '{}');
  const r = await runCli(['merge', join(dir, 'a.json'), '-r', `json=${dir}/a.json`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /that is the report being merged/);
});

test('a report that cannot be written exits 3 naming the path, and is not announced as written', async () => {
  const dir = scratch();
  // A file where a directory is needed: mkdir -p fails whoever runs the test (root included).
  writeFileSync(join(dir, 'blocker'), 'x');
  mkdirSync(join(dir, 'ok'));
  const r = await runCli(['demo', '--gates', 'probes', '-r', `md=${dir}/blocker/summary.md`, '-r', `json=${dir}/ok/run.json`]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, /md=.*blocker\/summary\.md failed/);
  assert.doesNotMatch(r.stderr, /wrote md report/);
  assert.match(r.stderr, /wrote json report to .*ok\/run\.json/);
});

test('-r json=- writes the JSON report alone to stdout (the console goes to stderr); md=- likewise', async () => {
  const json = await runCli(['demo', '--gates', 'probes', '-r', 'json=-']);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).verdict, 'pass');
  assert.match(json.stderr, /probes\.liveness/);
  assert.match(json.stderr, /wrote json report to standard output/);
  const md = await runCli(['demo', '--gates', 'probes', '-r', 'md=-']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^## shipgate ✅ PASS — demo/);
});
