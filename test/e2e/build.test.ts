// The build gate and the managed target through the CLI, the way a user runs them: `shipgate demo` starts the
// demo target as its own process; each lifecycle flaw fails the right check; no demo process outlives the run.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunResult } from '../../src/result.js';
import { runCli } from '../helpers/cli.js';
import { waitGone } from '../helpers/processes.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'shipgate-e2e-build-'));

function byId(run: RunResult): Record<string, { status: string; message: string }> {
  return Object.fromEntries(run.gates.flatMap((g) => g.checks).map((c) => [c.id, c]));
}

/** Every pid the run reports (the managed target, the fail-fast copies) must be gone. */
async function assertNoProcessLeft(run: RunResult) {
  const pids = run.gates
    .flatMap((g) => g.checks)
    .map((c) => c.evidence?.details?.pid)
    .filter((p): p is number => typeof p === 'number');
  assert.ok(pids.length >= 2, `expected the target's and the fail-fast copy's pids, got ${pids.join(', ')}`);
  for (const pid of pids) assert.ok(await waitGone(pid), `demo process ${pid} is still running after shipgate exited`);
}

async function demo(flaws: string[]) {
  const dir = tmp();
  const r = await runCli([
    'demo',
    '--gates',
    'build,probes',
    ...(flaws.length ? ['--flaws', flaws.join(',')] : []),
    '--reporter',
    `json=${dir}/run.json`,
    '--reporter',
    `md=${dir}/summary.md`,
  ]);
  const run = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')) as RunResult;
  return { r, run, checks: byId(run), md: readFileSync(`${dir}/summary.md`, 'utf8') };
}

test('shipgate demo --gates build,probes: build.steps, build.graceful-shutdown and build.fail-fast pass (exit 0)', async () => {
  const { r, run, checks } = await demo([]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const build = run.gates.find((g) => g.id === 'build')!;
  assert.equal(build.status, 'pass');
  for (const id of [
    'build.steps',
    'build.artifacts',
    'build.env-example',
    'build.fail-fast',
    'build.start',
    'build.graceful-shutdown',
  ]) {
    assert.equal(checks[id]?.status, 'pass', `${id}: ${checks[id]?.message}`);
  }
  assert.equal(run.gates.find((g) => g.id === 'probes')!.status, 'pass');
  assert.match(r.stdout, /pass\s+build\.graceful-shutdown — SIGTERM with GET \/slow in flight/);
  await assertNoProcessLeft(run);
});

const flawed: [string, string, RegExp][] = [
  ['ignores-sigterm', 'build.graceful-shutdown', /still running 3\.00s after SIGTERM; its process group was killed with SIGKILL/],
  ['drops-inflight', 'build.graceful-shutdown', /the in-flight request \(GET \/slow\) was cut/],
  ['no-fail-fast', 'build.fail-fast', /started anyway without DEMO_SESSION_SECRET/],
];
for (const [flaw, id, message] of flawed) {
  test(`shipgate demo --flaws ${flaw}: ${id} fails (exit 1), no demo process left`, async () => {
    const { r, run, checks, md } = await demo([flaw]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(checks[id].status, 'fail');
    assert.match(checks[id].message, message);
    assert.match(md, new RegExp(`❌ \`${id.replace('.', '\\.')}\``));
    // Only the flawed proof fails.
    const failed = Object.entries(checks)
      .filter(([, c]) => c.status !== 'pass')
      .map(([k]) => k);
    assert.deepEqual(failed, [id]);
    await assertNoProcessLeft(run);
  });
}

test('shipgate run: a failing build step shows its exit code and output tail in the Markdown report (exit 1)', async () => {
  const dir = tmp();
  const profile = join(dir, 'build.yaml');
  writeFileSync(
    profile,
    `name: ci
target:
  baseUrl: http://127.0.0.1:9
gates:
  build:
    steps:
      - name: typecheck
        run: 'echo "src/a.ts(1,1): error TS1005: ; expected" >&2; exit 2'
      - name: slow
        run: sleep 30
`,
  );
  const r = await runCli(['run', profile, '--gates', 'build', '-r', `md=${dir}/summary.md`]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const md = readFileSync(`${dir}/summary.md`, 'utf8');
  assert.match(md, /`build\.steps` — Build step "typecheck" succeeds/);
  assert.match(md, /typecheck: exit code 2 after/);
  assert.match(md, /src\/a\.ts\(1,1\): error TS1005: ; expected/);
  assert.match(r.stdout, /skip\s+build\.steps — not run: step "typecheck" failed/);
});

/** Starts `shipgate demo`, waits until the managed target is up (its pid printed), then sends SIGINT `times` times. */
async function interruptDemo(
  times: number,
  dir: string,
  flaws: string[] = [],
): Promise<{ code: number | null; pid: number; stdout: string }> {
  const { spawn } = await import('node:child_process');
  const { CLI, ROOT } = await import('../helpers/cli.js');
  const child = spawn(
    process.execPath,
    [CLI, 'demo', '--gates', 'build,probes', ...(flaws.length ? ['--flaws', flaws.join(',')] : []), '-r', `json=${dir}/run.json`],
    { cwd: ROOT, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  let stdout = '';
  const pid = await new Promise<number>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`the demo target did not start:\n${stdout}`)), 60_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /build\.start — started \(pid (\d+)\)/.exec(stdout);
      if (m) {
        clearTimeout(guard);
        resolve(Number(m[1]));
      }
    });
  });
  for (let i = 0; i < times; i++) {
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
  }
  const code = await exited;
  return { code, pid, stdout };
}

test('Ctrl-C during the run: exit 3, reports written, the demo target stopped', async () => {
  const dir = tmp();
  const { code, pid } = await interruptDemo(1, dir);
  assert.equal(code, 3);
  assert.equal(JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')).interrupted, true);
  assert.ok(await waitGone(pid), `demo target ${pid} outlived an interrupted run`);
});

test('Ctrl-C twice (quit at once): even a target that ignores SIGTERM is killed on the way out', async () => {
  // The first Ctrl-C starts a graceful stop the target ignores; the second exits shipgate at once.
  const { code, pid } = await interruptDemo(2, tmp(), ['ignores-sigterm']);
  assert.equal(code, 3);
  assert.ok(await waitGone(pid), `demo target ${pid} outlived shipgate`);
});
