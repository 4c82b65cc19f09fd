// Issue 19 item 1: a gate deadline and the run deadline fire under forced garbage collection. The target
// never answers /hang and the request deadline is far away, so only the gate or run deadline can end the run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, ROOT } from '../helpers/cli.js';
import { withServer } from '../helpers/servers.js';

const GC_PRESSURE = join(ROOT, 'test', 'fixtures', 'hostile', 'gc-pressure.mjs');

/** Runs the CLI under gc() every 100 ms; kills it (and fails) when it has not ended after `killAfterMs`. */
function runUnderGc(args: string[], killAfterMs: number): Promise<{ code: number | null; stdout: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', GC_PRESSURE, CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, killed });
    });
  });
}

function hangingTarget(fn: (url: string) => Promise<void>): Promise<void> {
  return withServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  }, fn);
}

function profile(dir: string, url: string, timeouts: { gate: string; run: string }): string {
  const path = join(dir, 'profile.yaml');
  writeFileSync(
    path,
    [
      'name: deadlines-under-gc',
      `target: { baseUrl: "${url}" }`,
      `timeouts: { request: 10m, gate: ${timeouts.gate}, run: ${timeouts.run} }`,
      'gates:',
      '  security:',
      '    paths: [/, /hang]',
      '    cors: { allowedOrigins: [] }',
      '    errors: { enabled: false }',
    ].join('\n'),
  );
  return path;
}

test('under forced GC, a gate deadline of 1.5s fires and the gate errors naming timeouts.gate', async () => {
  await hangingTarget(async (url) => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-gc-'));
    const r = await runUnderGc(['run', profile(dir, url, { gate: '1500ms', run: '10m' }), '-r', `json=${dir}/run.json`], 60_000);
    assert.equal(r.killed, false, `the run did not end: the gate deadline never fired\n${r.stdout}`);
    const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
    const check = json.gates[0].checks.find((c: { id: string }) => c.id === 'security.deadline');
    assert.ok(check, r.stdout);
    assert.match(check.message, /did not finish within its deadline \(1\.50?s, timeouts\.gate\)/);
  });
});

test("under forced GC, the run's deadline of 2s fires", async () => {
  await hangingTarget(async (url) => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-gc-'));
    const r = await runUnderGc(['run', profile(dir, url, { gate: '10m', run: '2s' }), '-r', `json=${dir}/run.json`], 60_000);
    assert.equal(r.killed, false, `the run did not end: the run deadline never fired\n${r.stdout}`);
    const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
    const check = json.gates[0].checks.find((c: { id: string }) => c.id === 'security.deadline');
    assert.ok(check, r.stdout);
    assert.match(check.message, /the run's deadline \(2(\.00)?s\) passed/);
  });
});
