// `shipgate demo --gates probes,security` as a user runs it: exit codes, the grade in console and Markdown.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace, runCli } from '../helpers/cli.js';

test('shipgate demo --gates probes,security passes and shows the grade in the console and the Markdown report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-security-'));
  const r = await runCli(['demo', '--gates', 'probes,security', '-r', `md=${dir}/summary.md`, '-r', `json=${dir}/run.json`]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /pass\s+security\.headers\.grade — grade A\+ \(score \d+, minimum B\)/);
  assert.match(r.stdout, /PASS/);
  const md = readFileSync(`${dir}/summary.md`, 'utf8');
  assert.match(md, /`security\.headers\.grade` .*grade A\+ \\\(score \d+, minimum B\\\)/);
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
  const grade = json.gates
    .find((g: { id: string }) => g.id === 'security')
    .checks.find((c: { id: string }) => c.id === 'security.headers.grade');
  assert.ok(grade.metrics.score >= 100);
});

test('shipgate demo --flaws cors-reflect-origin exits 1 naming the check, with evidence and no stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-security-'));
  const r = await runCli(['demo', '--gates', 'probes,security', '--flaws', 'cors-reflect-origin', '-r', `md=${dir}/summary.md`]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /fail\s+security\.cors\.reflect-origin — https:\/\/evil\.test allowed with credentials/);
  assert.match(r.stdout, /GET http:\/\/127\.0\.0\.1:\d+\/ \(Origin: https:\/\/evil\.test\) → 200/);
  assert.ok(!hasStackTrace(r.stdout + r.stderr));
  const md = readFileSync(`${dir}/summary.md`, 'utf8');
  assert.match(md, /< access-control-allow-origin: https:\/\/evil\.test/);
  assert.match(md, /\*How to fix:\* .*cors\\\(\{ origin: true \}\\\)/);
});
