// The console groups each gate's checks under one heading (issue 18 item 7): concurrent gates do not
// interleave, groups come in plan order, and a gate with deferred checks is printed once, whole.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { consoleReporter } from '../../src/report/console.js';
import type { CheckResult, GateResult } from '../../src/result.js';

const check = (id: string): CheckResult => ({
  id,
  title: id,
  status: 'pass',
  severity: 'low',
  message: `${id} ok`,
  durationMs: 0,
});
const gate = (id: string, checks: CheckResult[]): GateResult => ({
  id,
  title: `Gate ${id}`,
  status: 'pass',
  durationMs: 1,
  checks,
});

/** A piped (not live) console reporter that began a run of these gates, and what it has printed so far. */
function begun(ids: string[]) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const r = consoleReporter({ out, err: new PassThrough(), live: false, color: false });
  r.onBegin!({
    profile: { name: 'p', path: 'p.yaml' },
    target: { baseUrl: 'http://x' },
    gates: ids.map((id) => ({ id, title: `Gate ${id}` })),
    startedAt: '',
  });
  return { r, printed: () => text };
}

test('interleaved and deferred checks print as one group per gate, in plan order', () => {
  const { r, printed } = begun(['build', 'security', 'auth']);
  r.onCheck!('build', check('build.steps'));
  r.onGateEnd!(gate('build', [check('build.steps')]), { pending: true });
  // security and auth run concurrently: their checks interleave.
  r.onCheck!('auth', check('auth.login'));
  r.onCheck!('security', check('security.cors'));
  r.onCheck!('auth', check('auth.refresh'));
  r.onCheck!('security', check('security.hsts'));
  r.onGateEnd!(gate('auth', []));
  r.onGateEnd!(gate('security', []));
  // build's deferred check (graceful shutdown) arrives at the end.
  r.onCheck!('build', check('build.graceful-shutdown'));
  r.onGateEnd!(gate('build', []));
  for (const id of ['build', 'security', 'auth'])
    assert.equal(printed().match(new RegExp(`^Gate ${id} \\(${id}\\)$`, 'gm'))?.length, 1, `${id} heading once\n${printed()}`);
  const lines = printed()
    .split('\n')
    .filter((l) => l.trim());
  const at = (s: string) => lines.findIndex((l) => l.includes(s));
  // build first (plan order), its deferred check filled in under its own heading; then security, then auth.
  assert.ok(
    at('Gate build') < at('build.steps ok') &&
      at('build.steps ok') < at('pending') &&
      at('pending') < at('build.graceful-shutdown ok'),
    printed(),
  );
  assert.ok(at('build.graceful-shutdown ok') < at('Gate security') && at('security.hsts ok') < at('Gate auth'), printed());
  assert.ok(at('Gate auth') < at('auth.login ok') && at('auth.login ok') < at('auth.refresh ok'), printed());
});

test('a group waits for the groups before it (plan order), and an interrupted run prints what it has', () => {
  const { r, printed } = begun(['security', 'auth']);
  r.onCheck!('auth', check('auth.login'));
  r.onGateEnd!(gate('auth', []));
  assert.doesNotMatch(printed(), /auth\.login/, 'auth waits for security');
  r.onCheck!('security', check('security.cors'));
  r.onEnd!({
    schemaVersion: 1,
    tool: { name: 'shipgate', version: 't' },
    profile: { name: 'p', path: 'p.yaml' },
    target: { baseUrl: 'http://x' },
    startedAt: '',
    durationMs: 1,
    verdict: 'error',
    failOn: 'fail',
    interrupted: true,
    gates: [],
  });
  assert.ok(printed().indexOf('security.cors') < printed().indexOf('auth.login'), printed());
});

test('a real demo run with deferred checks (graceful shutdown, cookie audit) shows each gate heading once', async () => {
  const { runCli } = await import('../helpers/cli.js');
  const r = await runCli(['demo', '--gates', 'build,probes,security']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const id of ['build', 'probes', 'security'])
    assert.equal(r.stdout.match(new RegExp(`^\\S.*\\(${id}\\)$`, 'gm'))?.length, 1, `${id}\n${r.stdout}`);
  assert.match(r.stdout, /build\.graceful-shutdown/);
});
