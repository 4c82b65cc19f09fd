// The demo target as a real process (src/demo/main.ts) started by shipgate: the graceful-shutdown and
// fail-fast proofs, green and with each lifecycle flaw, and no process left behind afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { defineCheck } from '../../src/check.js';
import { GATES } from '../../src/gates/registry.js';
import type { RunResult } from '../../src/result.js';
import { check, runYaml } from '../helpers/run.js';
import { waitGone } from '../helpers/processes.js';
import { closedPort } from '../helpers/servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// A gate with deferred work that needs the target: it must run before the build gate's shutdown proof.
const late = defineCheck({
  id: 'latecomer.after',
  title: 'target still up for deferred work',
  severity: 'low',
  rationale: 'r',
  remediation: 'm',
});
GATES.push({
  id: 'latecomer',
  title: 'Latecomer',
  description: 'test only',
  phase: 2,
  schema: z.strictObject({}),
  load: async () => ({
    id: 'latecomer',
    title: 'Latecomer',
    catalogue: [late],
    run: async (ctx) =>
      ctx.afterAll(async () => {
        const res = await ctx.http.request({ url: '/health', signal: ctx.signal }).catch((err: Error) => err);
        ctx.record(res instanceof Error ? late.fail(res.message) : late.pass(`GET /health → ${res.status}`));
      }),
  }),
});

async function runDemo(flaws: string[]): Promise<{ r: RunResult; pids: number[] }> {
  const port = await closedPort();
  const yaml = `name: lifecycle
target:
  baseUrl: http://127.0.0.1:${port}
  start:
    command: '"${process.execPath}" --import tsx "${ROOT}src/demo/main.ts"'
    cwd: ${ROOT}
    env:
      PORT: ${port}
      SHIPGATE_DEMO_FLAWS: "${flaws.join(',')}"
      DEMO_SESSION_SECRET: "\${secret:TEST_SESSION_SECRET}"
    ready:
      logLine: listening on http://
    timeout: 60s
    stopTimeout: 3s
gates:
  build:
    failFast:
      requiredEnv: [DEMO_SESSION_SECRET]
      timeout: 30s
    gracefulShutdown:
      path: /slow
      shutdownTimeout: 3s
  probes:
    samples: 1
  latecomer: {}
`;
  const r = await runYaml(yaml, { env: { TEST_SESSION_SECRET: 'lifecycle-test-secret-0123456789' } });
  const pids = r.gates
    .flatMap((g) => g.checks)
    .map((c) => c.evidence?.details?.pid)
    .filter((p): p is number => typeof p === 'number');
  return { r, pids };
}

async function assertNoneLeft(pids: number[]) {
  assert.ok(pids.length > 0, 'the run named the pid it started');
  for (const pid of pids) assert.ok(await waitGone(pid), `process ${pid} is still running after the run`);
}

test('green: the app starts, serves every gate (deferred work included), then drains and exits 0 on SIGTERM', async () => {
  const { r, pids } = await runDemo([]);
  assert.equal(check(r, 'build.start').status, 'pass');
  assert.equal(check(r, 'build.fail-fast').status, 'pass', check(r, 'build.fail-fast').message);
  assert.match(
    check(r, 'build.fail-fast').message,
    /exited \(exit code 1\) .* without DEMO_SESSION_SECRET, naming it: "demo target: DEMO_SESSION_SECRET is not set/,
  );
  assert.equal(check(r, 'latecomer.after').status, 'pass', 'deferred work of other gates ran while the target was still up');
  const shutdown = check(r, 'build.graceful-shutdown');
  assert.equal(shutdown.status, 'pass', shutdown.message);
  assert.match(
    shutdown.message,
    /the request completed \(200\) .* after SIGTERM, new connections refused .* after it, exit code 0 after/,
  );
  assert.equal(r.verdict, 'pass');
  assert.ok(!JSON.stringify(r).includes('lifecycle-test-secret-0123456789'), 'the session secret is redacted');
  await assertNoneLeft(pids);
});

test('ignores-sigterm: graceful-shutdown fails, the process group is killed, nothing is left running', async () => {
  const { r, pids } = await runDemo(['ignores-sigterm']);
  const shutdown = check(r, 'build.graceful-shutdown');
  assert.equal(shutdown.status, 'fail');
  assert.match(shutdown.message, /new connections were still accepted/);
  assert.match(shutdown.message, /still running 3\.00s after SIGTERM; its process group was killed with SIGKILL/);
  assert.match(shutdown.evidence!.body!, /ignoring it \(flaw ignores-sigterm\)/);
  assert.equal(r.verdict, 'fail');
  await assertNoneLeft(pids);
});

test('drops-inflight: graceful-shutdown fails saying the in-flight request was cut', async () => {
  const { r, pids } = await runDemo(['drops-inflight']);
  const shutdown = check(r, 'build.graceful-shutdown');
  assert.equal(shutdown.status, 'fail');
  assert.match(
    shutdown.message,
    /the in-flight request \(GET \/slow\) was cut .* after SIGTERM: the connection closed before the response was complete/,
  );
  await assertNoneLeft(pids);
});

test('no-fail-fast: fail-fast fails (the copy started anyway), the other gates still run', async () => {
  const { r, pids } = await runDemo(['no-fail-fast']);
  const failFast = check(r, 'build.fail-fast');
  assert.equal(failFast.status, 'fail');
  assert.match(
    failFast.message,
    /started anyway without DEMO_SESSION_SECRET: printed "demo target listening on http:\/\/127\.0\.0\.1:\d+ with flaws: no-fail-fast"/,
  );
  assert.equal(check(r, 'probes.liveness').status, 'pass', 'a fail-fast finding does not make the target "not ready"');
  assert.equal(check(r, 'build.graceful-shutdown').status, 'pass');
  await assertNoneLeft(pids);
});
