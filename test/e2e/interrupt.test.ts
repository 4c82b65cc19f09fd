// Ctrl-C and SIGTERM in the middle of a gate: reports written with what finished, interrupted gates
// marked, exit code 3, and no process left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startFaultyTarget, type FaultyTarget } from '../fixtures/faulty-target.js';
import { CLI, ROOT, startCli } from '../helpers/cli.js';

let target: FaultyTarget;
before(async () => {
  target = await startFaultyTarget();
});
after(async () => {
  await target.close();
});

function startRun(profile: string, dir: string) {
  return startCli(['run', profile, '-r', `json=${dir}/run.json`, '-r', `junit=${dir}/junit.xml`, '-r', `md=${dir}/summary.md`]);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during the probes gate writes every report and exits 3`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-int-'));
    const profile = join(dir, 'p.yaml');
    writeFileSync(
      profile,
      `name: interrupted\ntarget:\n  baseUrl: ${target.url}\ntimeouts:\n  request: 60s\ngates:\n  probes:\n    liveness: { path: /hang }\n    readiness: { path: /hang }\n`,
    );
    const run = startRun(profile, dir);
    // Wait until the gate is running before interrupting.
    for (let i = 0; i < 300 && !run.output().includes('gates: '); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill(signal);
    const code = await Promise.race([run.exited, new Promise<string>((r) => setTimeout(() => r('hung'), 15_000))]);
    if (code === 'hung') run.child.kill('SIGKILL');
    assert.equal(code, 3, run.output());
    for (const f of ['run.json', 'junit.xml', 'summary.md']) assert.ok(existsSync(join(dir, f)), `${f} missing`);
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    assert.equal(json.interrupted, true);
    assert.equal(json.verdict, 'error');
    assert.match(json.gates[0].checks.at(-1).message, /^interrupted/);
    assert.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /interrupted/);
  });
}

test('--timeout bounds the whole run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-int-'));
  const profile = join(dir, 'p.yaml');
  writeFileSync(
    profile,
    `name: slow\ntarget:\n  baseUrl: ${target.url}\ntimeouts:\n  request: 60s\ngates:\n  probes:\n    liveness: { path: /hang }\n    readiness: { path: /hang }\n`,
  );
  const started = Date.now();
  const run = spawn(process.execPath, [CLI, 'run', profile, '--timeout', '1s', '-r', `json=${dir}/run.json`], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: 'ignore',
  });
  const code = await new Promise((r) => run.on('exit', r));
  assert.ok(Date.now() - started < 10_000);
  assert.equal(code, 3);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.match(json.gates[0].checks.at(-1).message, /the run's deadline \(1\.00s\) passed/);
});
