// Issue 18 item 3: interpolation is lazy per selected gate and suite (an unset auth secret does not fail
// a probes-only run), and a profile error still writes every requested report naming the variable and
// its file:line:column, exit 2.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hasStackTrace, runCli } from '../helpers/cli.js';

let server: Server;
let dir: string;
let profile: string;
const env = { SHIPGATE_TEST_UNSET_PASSWORD: undefined as unknown as string };
before(async () => {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  dir = mkdtempSync(join(tmpdir(), 'shipgate-lazy-'));
  profile = join(dir, 'staging.yaml');
  writeFileSync(
    profile,
    [
      'name: staging',
      'target:',
      `  baseUrl: http://127.0.0.1:${(server.address() as { port: number }).port}`,
      'suites:',
      '  smoke: [probes]',
      'gates:',
      '  probes:',
      '    samples: 1',
      '  auth:',
      '    login:',
      '      username: ci',
      '      password: ${secret:SHIPGATE_TEST_UNSET_PASSWORD}',
      '',
    ].join('\n'),
  );
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('an unset secret in the auth section does not fail `run --gates probes`', async () => {
  const r = await runCli(['run', profile, '--gates', 'probes'], { env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('an unset secret in the auth section does not fail `run --suite smoke`', async () => {
  const r = await runCli(['run', profile, '--suite', 'smoke'], { env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('unselected sections are still validated for shape', async () => {
  const p = join(dir, 'bad-shape.yaml');
  writeFileSync(p, readFileSync(profile, 'utf8').replace('      username: ci\n', '      username: ci\n      retries: nope\n'));
  const r = await runCli(['run', p, '--gates', 'probes'], { env });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /bad-shape\.yaml:\d+:\d+ gates\.auth\.login\.retries: unknown key/);
});

test('`run` of every gate with reporters: exit 2 and JUnit, Markdown and JSON name the variable and its line', async () => {
  const out = mkdtempSync(join(tmpdir(), 'shipgate-lazy-out-'));
  const r = await runCli(
    ['run', profile, '-r', `junit=${out}/junit.xml`, '-r', `md=${out}/summary.md`, '-r', `json=${out}/run.json`],
    { env },
  );
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(hasStackTrace(r.stderr), false);
  const where = /staging\.yaml:12:\d+: environment variable SHIPGATE_TEST_UNSET_PASSWORD is not set/;
  assert.match(r.stderr, where);
  const json = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(json.verdict, 'error');
  assert.match(json.gates[0].checks[0].message, where);
  assert.equal(json.gates[0].checks[0].evidence.details.line, 12);
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  assert.match(junit, /<error[\s>]/);
  assert.match(junit, /SHIPGATE_TEST_UNSET_PASSWORD/);
  const md = readFileSync(join(out, 'summary.md'), 'utf8');
  assert.match(md, /^#+ .*ERROR/m);
  assert.match(md, /staging\.yaml:12:\d+/);
});

test("`export k6` needs only the load section's variables", async () => {
  const p = join(dir, 'export.yaml');
  writeFileSync(p, `${readFileSync(profile, 'utf8')}  load:\n    endpoints: [{path: /items}]\n    thresholds: [rps > 100]\n`);
  const r = await runCli(['export', 'k6', p], { env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\/items/);
});
