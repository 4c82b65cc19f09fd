// Running the demo, then again with a flaw and --baseline: the regression is printed, and
// --fail-on regression exits 1.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('a baseline run, then a slower one: the change is reported and --fail-on regression fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-baseline-'));
  const first = await runCli(['demo', '--gates', 'probes', '-r', `json=${dir}/first.json`]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const second = await runCli([
    'demo',
    '--gates',
    'probes',
    '--flaws',
    'health-slow',
    '--baseline',
    `${dir}/first.json`,
    '-r',
    `md=${dir}/second.md`,
  ]);
  assert.equal(second.code, 1);
  assert.match(second.stdout, /Changes since baseline/);
  assert.match(second.stdout, /newly fail: probes\.latency \(was pass\)/);
  assert.match(second.stdout, /regressed: probes\.latency maxMs: [\d.]+ → 1[5-9]\d\d/);
  assert.match(readFileSync(`${dir}/second.md`, 'utf8'), /### Changes since baseline/);
  const gated = await runCli([
    'demo',
    '--gates',
    'probes',
    '--baseline',
    `${dir}/first.json`,
    '--fail-on',
    'regression',
    '--tolerance',
    '1000000',
  ]);
  assert.equal(gated.code, 0, 'no regression when nothing got worse beyond the tolerance');
});

test('--fail-on regression without --baseline is a usage error', async () => {
  const r = await runCli(['demo', '--fail-on', 'regression']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--fail-on regression needs --baseline PATH/);
});
