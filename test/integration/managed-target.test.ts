// target.start with real child processes: ready by URL and by log line, an app that exits or never becomes
// ready (the run still gives a result), the runner starting it without the build gate, and no orphans.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withExec } from '../../src/target/process-group.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { isGone, waitGone } from '../helpers/processes.js';
import { closedPort } from '../helpers/servers.js';

const APP = fileURLToPath(new URL('../fixtures/apps/server.mjs', import.meta.url));

interface AppOptions {
  ready?: string;
  env?: Record<string, string>;
  timeout?: string;
  gates?: string;
}

async function appProfile(o: AppOptions = {}) {
  const port = await closedPort();
  const pidfile = join(mkdtempSync(join(tmpdir(), 'shipgate-mt-')), 'pid');
  const env = { PORT: String(port), PIDFILE: pidfile, ...o.env };
  const yaml = `name: t
target:
  baseUrl: http://127.0.0.1:${port}
  start:
    command: '"${process.execPath}" "${APP}"'
    env:
${Object.entries(env)
  .map(([k, v]) => `      ${k}: "${v}"`)
  .join('\n')}
${o.ready ?? '    ready:\n      url: /health'}
    timeout: ${o.timeout ?? '20s'}
    stopTimeout: 5s
timeouts:
  request: 3s
gates:
${o.gates ?? '  build: {}\n  probes: { samples: 1 }'}
`;
  const pid = () => (existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8')) : undefined);
  return { yaml, port, pid };
}

test('ready by URL: the build gate starts the app, probes run against it, it is stopped at the end', async () => {
  const app = await appProfile();
  const r = await runYaml(app.yaml);
  assert.deepEqual(statuses(r), {
    'build.start': 'pass',
    'probes.liveness': 'pass',
    'probes.readiness': 'fail',
    'probes.latency': 'pass',
    'probes.flapping': 'skip',
  });
  assert.match(check(r, 'build.start').message, new RegExp(`ready after .*GET http://127\\.0\\.0\\.1:${app.port}/health → 200`));
  assert.ok(app.pid(), 'the app wrote its pid');
  assert.ok(await waitGone(app.pid()!), 'the app is gone after the run');
});

test('ready by log line: the line is named in the result', async () => {
  const app = await appProfile({ ready: '    ready:\n      logLine: "app ready on port \\\\d+"', env: { DELAY_MS: '300' } });
  const r = await runYaml(app.yaml);
  assert.equal(check(r, 'build.start').status, 'pass');
  assert.match(check(r, 'build.start').message, /printed "app ready on port \d+"/);
  assert.ok(await waitGone(app.pid()!));
});

test('an app that exits at startup: build.start fails with its output; the other gates are skipped with the reason', async () => {
  const app = await appProfile({ env: { REQUIRE: 'DATABASE_URL' } });
  const r = await runYaml(app.yaml);
  const start = check(r, 'build.start');
  assert.equal(start.status, 'fail');
  assert.match(start.message, /exited \(exit code 3\) before it was ready/);
  assert.match(start.evidence!.body!, /config error: DATABASE_URL is required/);
  const probes = r.gates.find((g) => g.id === 'probes')!;
  assert.equal(probes.status, 'skip');
  assert.match(probes.reason!, /^target not ready: build\.start failed/);
  assert.equal(r.verdict, 'fail');
});

test('an app that never becomes ready is killed at target.start.timeout and the run goes on to a result', async () => {
  const app = await appProfile({ env: { DELAY_MS: '60000' }, timeout: '800ms' });
  const r = await runYaml(app.yaml);
  const start = check(r, 'build.start');
  assert.equal(start.status, 'fail');
  assert.match(
    start.message,
    /not ready within 800ms \(last: GET http:\/\/127\.0\.0\.1:\d+\/health: connection refused to 127\.0\.0\.1:\d+\)/,
  );
  assert.ok(await waitGone(app.pid()!), 'the app that never became ready is gone');
});

test('without the build gate (--gates probes), the runner starts and stops the target', async () => {
  const app = await appProfile();
  const r = await runYaml(app.yaml, { gates: ['probes'] });
  assert.deepEqual(
    r.gates.map((g) => g.id),
    ['probes'],
  );
  assert.equal(check(r, 'probes.liveness').status, 'pass');
  assert.ok(await waitGone(app.pid()!));
});

test('without the build gate, a target that cannot start still gives a result: build.start fails, probes skipped', async () => {
  const app = await appProfile({ env: { REQUIRE: 'DATABASE_URL' } });
  const r = await runYaml(app.yaml, { gates: ['probes'] });
  assert.deepEqual(
    r.gates.map((g) => `${g.id}:${g.status}`),
    ['build:fail', 'probes:skip'],
  );
  assert.match(check(r, 'build.start').message, /exit code 3/);
  assert.match(r.gates[1].reason!, /target not ready: build\.start failed/);
});

test('a target that ignores SIGTERM is killed with its group at the end (stopTimeout)', async () => {
  const app = await appProfile({ env: { IGNORE_TERM: '1' }, gates: '  probes: { samples: 1 }' });
  const r = await runYaml(app.yaml.replace('stopTimeout: 5s', 'stopTimeout: 300ms'));
  assert.equal(check(r, 'probes.liveness').status, 'pass');
  assert.ok(await waitGone(app.pid()!));
});

test('an interrupted run stops the target too', async () => {
  const app = await appProfile({ gates: '  probes: { samples: 100, interval: 100ms }' });
  const controller = new AbortController();
  const running = runYaml(app.yaml, { signal: controller.signal });
  while (!app.pid()) await sleep(20);
  await sleep(300);
  controller.abort();
  const r = await running;
  assert.equal(r.interrupted, true);
  assert.ok(await waitGone(app.pid()!), 'no process left after Ctrl-C');
});

test('profile errors in target.start name the field', async () => {
  const { parseProfile } = await import('../../src/profile/load.js');
  const base = 'name: t\ntarget:\n  baseUrl: http://127.0.0.1:1\n  start:\n';
  const cases: [string, RegExp][] = [
    ['    command: x\n    ready: {}\n', /target\.start\.ready: give ready\.url or ready\.logLine/],
    ['    command: x\n    ready: { logLine: "(" }\n', /target\.start\.ready\.logLine: not a valid regular expression/],
    ['    command: x\n    ready: { url: health }\n', /target\.start\.ready\.url: expected a path like "\/health"/],
    ['    command: x\n    timeout: soon\n', /target\.start\.timeout: expected a duration/],
    ['    cwd: .\n', /target\.start\.command: /],
  ];
  for (const [yaml, expected] of cases) {
    assert.throws(
      () => parseProfile(`${base}${yaml}gates:\n  probes: {}\n`, 't.yaml', {}),
      (err: Error) => expected.test(err.message),
      yaml,
    );
  }
});

test('withExec: simple commands replace the shell under sh, compound ones are left alone', () => {
  const cases: [string, string][] = [
    ['node server.js', 'exec node server.js'],
    ['PORT=3 FOO="a b" node server.js', 'PORT=3 FOO="a b" exec node server.js'],
    ['"/usr/bin/node" "/x/main.js"', 'exec "/usr/bin/node" "/x/main.js"'],
    ['exec node server.js', 'exec node server.js'],
    ['cd app && node server.js', 'cd app && node server.js'],
    ['node a.js | tee log', 'node a.js | tee log'],
    ['echo "a;b"', 'exec echo "a;b"'],
  ];
  for (const [input, expected] of cases) assert.equal(withExec(input, '/bin/sh'), expected, input);
  assert.equal(withExec('node server.js', '/bin/bash'), 'node server.js');
});

test('isGone sees a live process as alive (the helper itself is sound)', () => {
  assert.equal(isGone(process.pid), false);
});

test('graceful shutdown: a request in flight whose connection is reset at SIGTERM is named by the one transport-error mapper', async () => {
  const app = await appProfile({
    env: { RESET_ON_TERM: '1' },
    gates: '  build:\n    gracefulShutdown: { path: /slow, signalAfter: 100ms, shutdownTimeout: 5s }',
  });
  const r = await runYaml(app.yaml);
  const shutdown = check(r, 'build.graceful-shutdown');
  assert.equal(shutdown.status, 'fail', shutdown.message);
  assert.match(
    shutdown.message,
    new RegExp(
      `the in-flight request \\(GET /slow\\) was cut .* after SIGTERM: connection reset by 127\\.0\\.0\\.1:${app.port} \\(/slow\\)`,
    ),
  );
});
