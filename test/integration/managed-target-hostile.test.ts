// Hostile managed targets (issue 19 items 9 and 12): an app that floods its output without newlines, a port
// already taken by another process, and readiness that must come from the started process itself.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, runYaml } from '../helpers/run.js';
import { waitGone } from '../helpers/processes.js';
import { closedPort } from '../helpers/servers.js';
import { OutputTail } from '../../src/target/process-group.js';

const NOISY = fileURLToPath(new URL('../fixtures/apps/noisy-app.mjs', import.meta.url));

function profile(
  port: number,
  command: string,
  env: Record<string, string>,
  gates = '  probes: { samples: 3, interval: 100ms }',
): string {
  return `name: hostile-app
target:
  baseUrl: http://127.0.0.1:${port}
  start:
    command: '${command}'
    env:
${Object.entries(env)
  .map(([k, v]) => `      ${k}: "${v}"`)
  .join('\n')}
    ready:
      url: /health
    timeout: 30s
    stopTimeout: 5s
timeouts:
  request: 3s
gates:
${gates}
`;
}

test(
  'a managed app printing 40 MB without a newline stays healthy: probes pass, its output is kept as a bounded tail',
  { timeout: 120_000 },
  async () => {
    const port = await closedPort();
    const pidfile = join(mkdtempSync(join(tmpdir(), 'shipgate-noisy-')), 'pid');
    const r = await runYaml(
      profile(port, `"${process.execPath}" "${NOISY}"`, { PORT: String(port), PIDFILE: pidfile, FLOOD_MB: '20' }),
      { gates: ['probes'] },
    );
    assert.equal(check(r, 'probes.liveness').status, 'pass', check(r, 'probes.liveness').message);
    assert.equal(check(r, 'probes.latency').status, 'pass', check(r, 'probes.latency').message);
    assert.ok(existsSync(pidfile));
    assert.ok(await waitGone(Number(readFileSync(pidfile, 'utf8'))));
  },
);

test('OutputTail: a 20 MB line without a newline is kept as its last 64 KiB, and the lines after it still arrive', () => {
  const tail = new OutputTail();
  const seen: string[] = [];
  tail.onLine((l) => seen.push(l));
  const chunk = 'A'.repeat(64 * 1024);
  for (let i = 0; i < 320; i++) tail.push(chunk);
  tail.push('END\nlistening on 3000\n');
  assert.equal(seen.length, 2);
  assert.ok(seen[0].length <= 64 * 1024 + 'END'.length, `the endless line kept ${seen[0].length} characters`);
  assert.ok(seen[0].endsWith('AEND'));
  assert.equal(seen[1], 'listening on 3000');
  assert.ok(tail.text().length <= 64 * 1024);
});

const APP = fileURLToPath(new URL('../fixtures/apps/server.mjs', import.meta.url));

/** A stale server on the port, answering 200 to everything: what a leftover copy of the app looks like. */
async function staleServer(port: number): Promise<Server> {
  const server = createServer((_, res) => res.end('{"status":"ok"}'));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

test(
  'a port already taken before the start is refused: build.start fails naming the listener, the app is never started',
  { timeout: 60_000 },
  async () => {
    const port = await closedPort();
    const stale = await staleServer(port);
    try {
      const pidfile = join(mkdtempSync(join(tmpdir(), 'shipgate-taken-')), 'pid');
      const r = await runYaml(profile(port, `"${process.execPath}" "${APP}"`, { PORT: String(port), PIDFILE: pidfile }), {
        gates: ['probes'],
      });
      const start = check(r, 'build.start');
      assert.equal(start.status, 'fail', start.message);
      assert.match(
        start.message,
        new RegExp(`refusing to start .*127\\.0\\.0\\.1:${port} is already taken by pid ${process.pid} \\(node\\)`),
      );
      assert.equal(existsSync(pidfile), false, 'the app was started anyway');
      assert.equal(r.gates.find((g) => g.id === 'probes')!.status, 'skip');
    } finally {
      stale.close();
    }
  },
);

test(
  'readiness is tied to the started process: a server that takes the port after the start does not make the app ready',
  { timeout: 60_000 },
  async () => {
    const port = await closedPort();
    const pidfile = join(mkdtempSync(join(tmpdir(), 'shipgate-foreign-')), 'pid');
    // The app waits a minute before listening; meanwhile another process takes its port.
    const yaml = profile(port, `"${process.execPath}" "${APP}"`, {
      PORT: String(port),
      PIDFILE: pidfile,
      DELAY_MS: '60000',
    }).replace('timeout: 30s', 'timeout: 3s');
    const running = runYaml(yaml, { gates: ['probes'] });
    while (!existsSync(pidfile)) await sleep(20);
    const foreign = await staleServer(port);
    try {
      const r = await running;
      const start = check(r, 'build.start');
      assert.equal(start.status, 'fail', start.message);
      assert.match(
        start.message,
        new RegExp(
          `not ready within 3(\\.00)?s \\(last: GET http://127\\.0\\.0\\.1:${port}/health was answered by pid ${process.pid} \\(node\\), not by the started process\\)`,
        ),
      );
      assert.ok(await waitGone(Number(readFileSync(pidfile, 'utf8'))));
    } finally {
      foreign.close();
    }
  },
);
