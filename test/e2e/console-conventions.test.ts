// Issue 18 item 8: -q still prints failures; NO_COLOR / FORCE_COLOR honoured in and out of a terminal.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, ROOT, runCli } from '../helpers/cli.js';

const ANSI = /\u001b\[\d+(;\d+)*m/;
let server: Server;
let failing: string;
before(async () => {
  // Liveness answers 500: the probes gate fails.
  server = createServer((req, res) =>
    res.writeHead(req.url === '/health' ? 500 : 200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-console-'));
  failing = join(dir, 'failing.yaml');
  writeFileSync(
    failing,
    `name: failing\ntarget:\n  baseUrl: http://127.0.0.1:${(server.address() as { port: number }).port}\ngates:\n  probes:\n    samples: 1\n`,
  );
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('-q prints nothing but the failing checks and the verdict', async () => {
  const r = await runCli(['run', failing, '-q']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✗ probes\.liveness — .*500/);
  assert.match(r.stdout, /^FAIL$/m);
  assert.doesNotMatch(r.stdout, /probes\.readiness/, 'passing checks stay quiet');
});

test('FORCE_COLOR=1 colours output that is not a terminal (an empty NO_COLOR does not count)', async () => {
  const r = await runCli(['run', failing], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
  assert.match(r.stdout, ANSI);
});

test('FORCE_COLOR=3 wins over NO_COLOR, as in Node.js', async () => {
  const r = await runCli(['run', failing], { env: { FORCE_COLOR: '3', NO_COLOR: '1' } });
  assert.match(r.stdout, ANSI);
});

/** Runs the CLI in a pseudo-terminal (util-linux `script`), returning everything it printed. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, CI: '', TERM: 'xterm', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', () => resolve(out));
  });
}

test('in a terminal, colour is on by default (control for the two tests below)', async () => {
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...env } = process.env;
  assert.match(
    await inTerminal(['run', failing], { ...env, NO_COLOR: undefined, FORCE_COLOR: undefined } as NodeJS.ProcessEnv),
    ANSI,
  );
});

test('FORCE_COLOR=0 turns colour off in a terminal', async () => {
  assert.doesNotMatch(
    await inTerminal(['run', failing], { FORCE_COLOR: '0', NO_COLOR: undefined } as unknown as NodeJS.ProcessEnv),
    ANSI,
  );
});

test('NO_COLOR turns colour off in a terminal', async () => {
  assert.doesNotMatch(
    await inTerminal(['run', failing], { NO_COLOR: '1', FORCE_COLOR: undefined } as unknown as NodeJS.ProcessEnv),
    ANSI,
  );
});
