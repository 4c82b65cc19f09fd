// A profile error (exit 2) as CI shows it (issue 18 items 3, 5 and 6): the JUnit case and the GitHub annotation
// sit on the profile line that is wrong (not line 1), and the Markdown and HTML reports show no empty target in bold.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const PROFILE = [
  'name: staging',
  'target:',
  '  baseUrl: http://127.0.0.1:9',
  '  headers:',
  '    Authorization: Bearer ${secret:SHIPGATE_TEST_UNSET_SECRET}',
  'gates:',
  '  probes: { samples: 1 }',
  '',
].join('\n');

test('an unset secret under GitHub Actions: exit 2, an ::error on its line, JUnit at that line, Markdown and HTML without an empty target', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-startup-error-'));
  writeFileSync(join(dir, 'staging.yaml'), PROFILE);
  const r = await runCli(
    ['run', 'staging.yaml', '-r', 'junit=out/junit.xml', '-r', 'md=out/summary.md', '-r', 'html=out/report.html'],
    {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', SHIPGATE_TEST_UNSET_SECRET: undefined },
    },
  );
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /^::error file=staging\.yaml,line=5,title=shipgate\.profile::ERROR: staging\.yaml:5:\d+: /m);
  assert.match(r.stdout, /SHIPGATE_TEST_UNSET_SECRET is not set/);
  assert.doesNotMatch(r.stderr, /wrote github/);
  const junit = readFileSync(join(dir, 'out/junit.xml'), 'utf8');
  assert.match(
    junit,
    /<testcase name="shipgate\.profile: The profile loads" classname="shipgate\.shipgate" file="staging\.yaml" line="5"/,
  );
  const md = readFileSync(join(dir, 'out/summary.md'), 'utf8');
  assert.doesNotMatch(md, /\*\*\*\*/);
  assert.doesNotMatch(md, /```text\n\n/, 'evidence starts with a blank line');
  assert.match(md, /staging\.yaml:5:\d+/);
  assert.doesNotMatch(readFileSync(join(dir, 'out/report.html'), 'utf8'), /<b><\/b>/, 'an empty target in bold');
});

test('under GitHub Actions a profile error is an ::error annotation on its line even with no --reporter, and no file is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-startup-error-'));
  writeFileSync(join(dir, 'staging.yaml'), PROFILE);
  const r = await runCli(['run', 'staging.yaml'], {
    cwd: dir,
    env: { GITHUB_ACTIONS: 'true', SHIPGATE_TEST_UNSET_SECRET: undefined },
  });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /^::error file=staging\.yaml,line=5,title=shipgate\.profile::ERROR: staging\.yaml:5:\d+: /m);
  assert.deepEqual(readdirSync(dir), ['staging.yaml']);
  // Outside GitHub Actions nothing but the error on stderr.
  const plain = await runCli(['run', 'staging.yaml'], {
    cwd: dir,
    env: { GITHUB_ACTIONS: '', SHIPGATE_TEST_UNSET_SECRET: undefined },
  });
  assert.equal(plain.code, 2);
  assert.doesNotMatch(plain.stdout, /::error/);
});
