// Issue 19 item 21: `init` against a 250 KB hostile home page (unclosed tags and script literals built to
// make backtracking regexes quadratic or worse) must finish, and Ctrl-C must stop it, instead of
// burning CPU for tens of seconds with the event loop blocked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, ROOT, runCli } from '../helpers/cli.js';

const HOSTILE =
  '<html><body>' +
  '<a '.repeat(60_000) + // never closed: each "<a" makes a [^>]*? scan to the end of the page
  // An unterminated literal full of "/ws": cubic for a backtracking search of WebSocket-looking strings.
  "<script>new WebSocket(url); '/" +
  '/ws'.repeat(3_000) +
  '</script>' +
  '<ul '.repeat(16_000); // never closed either

let server: Server;
let url: string;
let homeServed = 0;
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/') homeServed++;
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(HOSTILE);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('the hostile page is over 250 KB (fixture check)', () => assert.ok(HOSTILE.length > 250_000, String(HOSTILE.length)));

test('init against a hostile home page finishes and writes a profile', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'shipgate-init-hostile-')), 'p.yaml');
  // runCli rejects (and kills the CLI) if it is still running at the deadline.
  const r = await runCli(['init', url, '-o', out, '-q'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(existsSync(out));
});

test('Ctrl-C stops init while it reads a hostile page', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'shipgate-init-hostile-int-')), 'p.yaml');
  const served = homeServed;
  const child = spawn(process.execPath, [CLI, 'init', url, '-o', out], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.stderr.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  for (let i = 0; i < 300 && homeServed === served; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('hung'), 10_000))]);
  if (code === 'hung') child.kill('SIGKILL');
  assert.notEqual(code, 'hung', `init ignored SIGINT\n${text}`);
  // Interrupted (3), or already done (0) if the page was read that fast.
  assert.ok(code === 3 || code === 0, `exit ${code}\n${text}`);
});
