// Hostile or mistyped command-line input (issue 19 items 10, 16–20; issue 18 items 3 and 8): each is a
// clear usage error with exit 2 before any traffic, never a stack trace or a silently ignored value,
// and the reports asked for are still written.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hasStackTrace, runCli } from '../helpers/cli.js';

let server: Server;
let requests = 0;
let profile: string;
let dir: string;
before(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  dir = mkdtempSync(join(tmpdir(), 'shipgate-cli-input-'));
  profile = join(dir, 'p.yaml');
  writeFileSync(
    profile,
    `name: cli-input\ntarget:\n  baseUrl: http://127.0.0.1:${(server.address() as { port: number }).port}\nsuites:\n  smoke: [probes]\ngates:\n  probes:\n    samples: 1\n`,
  );
});
after(() => new Promise<void>((r) => server.close(() => r())));

function assertUsage(r: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, message);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
}

for (const name of ['toString', '__proto__', 'valueOf', 'constructor']) {
  test(`--suite ${name} is "no such suite", not an internal error`, async () => {
    assertUsage(
      await runCli(['run', profile, '--suite', name]),
      new RegExp(`no suite "${name}" in the profile \\(suites: smoke\\)`),
    );
  });
}

test('--flaws toString is an unknown flaw', async () => {
  assertUsage(await runCli(['demo', '--flaws', 'toString']), /unknown flaw "toString"/);
});

test('--parallel abc is a usage error and the requested reports say so', async () => {
  const out = mkdtempSync(join(tmpdir(), 'shipgate-parallel-'));
  const before = requests;
  const r = await runCli([
    'run',
    profile,
    profile,
    '--parallel',
    'abc',
    '-r',
    `json=${out}/run.json`,
    '-r',
    `junit=${out}/junit.xml`,
    '-r',
    `md=${out}/summary.md`,
  ]);
  assertUsage(r, /--parallel "abc": expected a whole number ≥ 1/);
  assert.equal(requests, before, 'no traffic');
  const json = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(json.verdict, 'error');
  assert.match(json.gates[0].checks[0].message, /--parallel "abc"/);
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<error[^>]*>|<error /);
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /ERROR/);
});

for (const [flag, value, message] of [
  ['--parallel', '0', /--parallel "0": expected a whole number ≥ 1/],
  ['--parallel', '1.5', /--parallel "1.5": expected a whole number ≥ 1/],
  ['--tolerance', 'abc', /--tolerance "abc": expected a number ≥ 0/],
  ['--tolerance', '-5', /--tolerance "-5": expected a number ≥ 0/],
  ['--timeout', '1000h', /--timeout "1000h": .*at most 576h/],
] as const) {
  test(`${flag} ${value} is refused`, async () => {
    assertUsage(await runCli(['run', profile, flag, value]), message);
  });
}

test('a duration in the profile beyond what a timer holds (600h) is refused, naming the maximum', async () => {
  const p = join(dir, 'long.yaml');
  writeFileSync(p, readFileSync(profile, 'utf8') + 'timeouts:\n  run: 600h\n');
  const r = await runCli(['validate', p]);
  assertUsage(r, /long\.yaml:\d+:\d+ timeouts\.run: expected a duration of at most 576h/);
});

test('compound durations (1m30s) are accepted on the command line and in the profile', async () => {
  const p = join(dir, 'compound.yaml');
  writeFileSync(p, readFileSync(profile, 'utf8') + 'timeouts:\n  run: 1m30s\n');
  const r = await runCli(['run', p, '--gates', 'probes', '--timeout', '2m30s']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('validate /dev/zero refuses a non-regular file with a message instead of reading forever', async () => {
  assertUsage(await runCli(['validate', '/dev/zero'], { timeoutMs: 30_000 }), /\/dev\/zero: is not a regular file/);
});

test('a bad --baseline is exit 2 before any traffic, and the reports say why', async () => {
  const out = mkdtempSync(join(tmpdir(), 'shipgate-baseline-'));
  const baseline = join(out, 'old.json');
  writeFileSync(baseline, '{"not": "a report"}');
  const before = requests;
  const r = await runCli(['run', profile, '--baseline', baseline, '-r', `json=${out}/run.json`]);
  assertUsage(r, /--baseline .*old\.json.*not a shipgate JSON report/);
  assert.equal(requests, before, 'the target got traffic before the baseline was checked');
  assert.equal(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).verdict, 'error');
});

test('a --baseline that is a device is refused before any traffic', async () => {
  const before = requests;
  assertUsage(
    await runCli(['run', profile, '--baseline', '/dev/zero'], { timeoutMs: 30_000 }),
    /--baseline \/dev\/zero: is not a regular file/,
  );
  assert.equal(requests, before);
});

test('a mistyped command gets a did-you-mean', async () => {
  assertUsage(await runCli(['valdate', profile]), /unknown command "valdate". Did you mean validate\?/);
});

test('a mistyped flag gets a did-you-mean', async () => {
  assertUsage(await runCli(['run', profile, '--paralel', '2']), /Unknown argument: paralel.*did you mean --parallel\?/);
});

test('an unknown command with no close match lists the commands', async () => {
  assertUsage(await runCli(['nonsense']), /unknown command "nonsense"; commands: run, validate/);
});

test('a realtime step named toString is an unknown step, not an internal error', async () => {
  const p = join(dir, 'step.yaml');
  writeFileSync(
    p,
    `${readFileSync(profile, 'utf8')}  realtime:\n    page: /live\n    action:\n      - toString: '#add'\n    observe:\n      selector: '#items li'\n`,
  );
  assertUsage(await runCli(['validate', p]), /step\.yaml:\d+:\d+ gates\.realtime\.action\[0\]: expected a step with one of/);
});
