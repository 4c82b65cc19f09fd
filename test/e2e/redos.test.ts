// A catastrophic regex in a `matches` condition (issue 19 item 15) against a real target whose body
// feeds it: with a backtracking engine the run hangs past every deadline and ignores SIGINT.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';

// "aaaa…a!" against ^(a+)+$ takes exponential time in a backtracking engine.
const EVIL_BODY = JSON.stringify({ status: `${'a'.repeat(40)}!` });
let server: Server;
let url: string;
before(async () => {
  server = createServer((req, res) => {
    // /slow answers late, so a run is still in its probes when the test interrupts it.
    const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(EVIL_BODY);
    if (req.url === '/slow') setTimeout(send, 1_500);
    else send();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function profile(dir: string, readinessPath: string): string {
  const file = join(dir, 'redos.yaml');
  writeFileSync(
    file,
    `name: redos\ntarget:\n  baseUrl: ${url}\ntimeouts:\n  run: 20s\ngates:\n  probes:\n    samples: 2\n    interval: 10ms\n` +
      `    liveness:\n      path: /health\n      conditions: ['body.status matches "^(a+)+$"']\n` +
      `    readiness:\n      path: ${readinessPath}\n      maxLatency: 10s\n      conditions: ['body.status matches "^(a+)+$"']\n`,
  );
  return file;
}

test('a catastrophic `matches` regex is evaluated in linear time: the run finishes and fails the condition', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-redos-'));
  // The helper kills the CLI and rejects if it is still running at the deadline.
  const r = await runCli(['run', profile(dir, '/ready'), '-r', `json=${dir}/run.json`], { timeoutMs: 30_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.equal(json.verdict, 'fail');
  assert.match(JSON.stringify(json), /matches \/\^\(a\+\)\+\$\//);
});

test('SIGINT during a run with a catastrophic regex still stops it and writes the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-redos-int-'));
  const { child, exited, output } = startCli(['run', profile(dir, '/slow'), '-r', `json=${dir}/run.json`]);
  for (let i = 0; i < 300 && !output().includes('gates: '); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGINT');
  const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('hung'), 15_000))]);
  if (code === 'hung') child.kill('SIGKILL');
  assert.equal(code, 3, output());
  assert.ok(existsSync(join(dir, 'run.json')), 'run.json missing');
});
