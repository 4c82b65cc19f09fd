// Every way a run can be ended from outside (issue 19 item 8): SIGHUP (terminal closed), SIGQUIT (a CI
// runner's cancel), SIGINT and SIGTERM write every report and exit 3; kill -9 of shipgate writes nothing
// but still leaves nothing running. Each run has a managed target that started a child of its own.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startCli } from '../helpers/cli.js';
import { isGone, waitGone } from '../helpers/processes.js';
import { closedPort } from '../helpers/servers.js';

const APP = fileURLToPath(new URL('../fixtures/apps/server.mjs', import.meta.url));

async function startRun() {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-sig-'));
  const port = await closedPort();
  const profile = join(dir, 'p.yaml');
  // The app's shell starts a child (sleep) in the app's process group, then becomes the app.
  writeFileSync(
    profile,
    `name: signals
target:
  baseUrl: http://127.0.0.1:${port}
  start:
    command: sleep 600 & echo $! > "$CHILDFILE"; exec "${process.execPath}" "${APP}"
    env: { PORT: "${port}", PIDFILE: "${dir}/app.pid", CHILDFILE: "${dir}/child.pid" }
    ready: { url: /health }
    timeout: 20s
    stopTimeout: 5s
gates:
  probes: { samples: 100, interval: 500ms }
`,
  );
  const { child, exited, output } = startCli([
    'run',
    profile,
    '-r',
    `json=${dir}/run.json`,
    '-r',
    `junit=${dir}/junit.xml`,
    '-r',
    `md=${dir}/summary.md`,
  ]);
  // Ready: both pids written and the app answering.
  const pids: number[] = [];
  for (let i = 0; i < 400 && pids.length === 0; i++) {
    await sleep(50);
    if (existsSync(`${dir}/app.pid`) && existsSync(`${dir}/child.pid`)) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) pids.push(Number(readFileSync(`${dir}/app.pid`, 'utf8')), Number(readFileSync(`${dir}/child.pid`, 'utf8')));
    }
  }
  assert.equal(pids.length, 2, `the managed target never became ready\n${output()}`);
  await sleep(300); // the probes gate is running
  return { dir, child, exited, pids, output };
}

function killLeftovers(pids: number[]): void {
  for (const pid of pids) if (!isGone(pid)) process.kill(pid, 'SIGKILL');
}

for (const signal of ['SIGHUP', 'SIGQUIT', 'SIGINT', 'SIGTERM'] as const) {
  test(
    `${signal} to shipgate writes every report, exits 3 and stops the managed target and its child`,
    { timeout: 60_000 },
    async () => {
      const run = await startRun();
      try {
        run.child.kill(signal);
        const code = await Promise.race([run.exited, sleep(20_000).then(() => 'hung')]);
        if (code === 'hung') run.child.kill('SIGKILL');
        assert.equal(code, 3, run.output());
        for (const f of ['run.json', 'junit.xml', 'summary.md']) assert.ok(existsSync(join(run.dir, f)), `${f} missing`);
        const json = JSON.parse(readFileSync(join(run.dir, 'run.json'), 'utf8'));
        assert.equal(json.interrupted, true);
        for (const pid of run.pids) assert.ok(await waitGone(pid), `pid ${pid} still running after ${signal}`);
      } finally {
        killLeftovers(run.pids);
      }
    },
  );
}

test('kill -9 of shipgate leaves neither the managed target nor its child running', { timeout: 60_000 }, async () => {
  const run = await startRun();
  try {
    run.child.kill('SIGKILL');
    await run.exited;
    // The guard gives the group SIGTERM, then SIGKILL after 5 s; allow for both on a busy machine.
    for (const pid of run.pids) assert.ok(await waitGone(pid, 15_000), `pid ${pid} outlived shipgate`);
  } finally {
    killLeftovers(run.pids);
  }
});
