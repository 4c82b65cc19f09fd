// retries: {<gate>: N} re-runs a gate with a failing check; a check that passed only on a retry is
// `flaky` (a warning), with its attempts recorded: never silently green.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { consoleReporter } from '../../src/report/console.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { Multiplexer } from '../../src/report/reporter.js';
import { check, runYaml } from '../helpers/run.js';
import { DEMO_PASSWORD, DEMO_USERNAME } from '../../src/demo/auth.js';
import { withDemo, withServer } from '../helpers/servers.js';

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** /ready answers 503 to its 1st, 3rd, 5th … request and 200 to the others; `always503` never recovers. */
function target(opts: { always503?: boolean } = {}) {
  let readyRequests = 0;
  return (req: { url?: string }, res: ServerResponse) => {
    if (req.url === '/health') return json(res, 200, { status: 'ok' });
    if (req.url === '/ready') {
      readyRequests++;
      const down = opts.always503 || readyRequests % 2 === 1;
      return json(res, down ? 503 : 200, { status: down ? 'degraded' : 'ok' });
    }
    json(res, 404, { title: 'Not Found' });
  };
}

const profile = (url: string, retries?: number) =>
  `name: flaky\ntarget:\n  baseUrl: ${url}\ngates:\n  probes:\n    readiness:\n      conditions: ['body.status == "ok"']\n    samples: 1\n${retries === undefined ? '' : `retries:\n  probes: ${retries}\n`}`;

test('without retries, a target that fails every second time fails the run', async () => {
  await withServer(target(), async (url) => {
    const r = await runYaml(profile(url));
    const c = check(r, 'probes.readiness');
    assert.equal(c.status, 'fail');
    assert.equal(c.attempts, undefined);
    assert.equal(r.verdict, 'fail');
  });
});

test('with retries, a check that passed only on the retry is flaky with its attempts; a warning, not green', async () => {
  await withServer(target(), async (url) => {
    const progress: { gate: string; message: string; persistent?: boolean }[] = [];
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d) => (printed += d));
    const reporter = new Multiplexer(
      [
        { name: 'capture', onProgress: (gate, message, o) => progress.push({ gate, message, persistent: o?.persistent }) },
        consoleReporter({ out, err: new PassThrough(), live: false, color: false }),
      ],
      (_n, err) => assert.fail(String(err)),
    );
    const r = await runYaml(profile(url, 2), { reporter });

    const c = check(r, 'probes.readiness');
    assert.equal(c.status, 'flaky');
    assert.deepEqual(c.attempts, ['fail']);
    assert.match(
      c.message,
      /^flaky: failed on attempt 1 of 3 \(GET \/ready: status 503, expected 200; body\.status \("degraded"\) == "ok"\), passed on attempt 2: /,
    );
    assert.deepEqual(
      (c.evidence?.details?.earlierAttempts as { attempt: number; status: string; httpStatus: number }[]).map((a) => [
        a.attempt,
        a.status,
        a.httpStatus,
      ]),
      [[1, 'fail', 503]],
    );
    // Checks that passed every time carry no attempts; the gate is flaky; the run passes unless --fail-on warn.
    assert.equal(check(r, 'probes.liveness').status, 'pass');
    assert.equal(check(r, 'probes.liveness').attempts, undefined);
    assert.equal(check(r, 'probes.flapping').attempts, undefined, 'a check skipped every time carries no attempts');
    assert.equal(r.gates.find((g) => g.id === 'probes')?.status, 'flaky');
    assert.equal(r.verdict, 'pass');

    assert.deepEqual(
      progress.filter((p) => p.persistent),
      [{ gate: 'probes', message: 'retrying probes (attempt 2 of 3): probes.readiness failed', persistent: true }],
    );
    assert.match(
      printed,
      /✗ fail {2}probes\.readiness — GET \/ready: status 503[^\n]*\n(.*\n)*  ↻ retrying probes \(attempt 2 of 3\): probes\.readiness failed\n(.*\n)*  \? flaky probes\.readiness — flaky: failed on attempt 1/,
    );
    await reporter.onEnd(r);
    assert.match(printed, /\? probes +flaky/);
    assert.match(printed, /PASS · .*1 flaky/);

    // JUnit and Markdown show the attempts.
    assert.match(renderJunit(r), /attempts: fail -&gt; pass|attempts: fail -> pass/);
    assert.match(renderMarkdown(r), /\*Attempts:\* fail → pass/);
  });
});

test('with --fail-on warn, a flaky check fails the run', async () => {
  await withServer(target(), async (url) => {
    const r = await runYaml(profile(url, 1), { failOn: 'warn' });
    assert.equal(check(r, 'probes.readiness').status, 'flaky');
    assert.equal(r.verdict, 'fail');
  });
});

test('a check that fails in every attempt stays fail, with every attempt recorded', async () => {
  await withServer(target({ always503: true }), async (url) => {
    const r = await runYaml(profile(url, 2));
    const c = check(r, 'probes.readiness');
    assert.equal(c.status, 'fail');
    assert.deepEqual(c.attempts, ['fail', 'fail']);
    assert.match(c.message, /^GET \/ready: status 503/);
    assert.equal(r.verdict, 'fail');
    assert.match(renderMarkdown(r), /\*Attempts:\* fail → fail → fail/);
  });
});

test('a gate that passes at once is not retried', async () => {
  let readyRequests = 0;
  await withServer(
    (req, res) => {
      if (req.url === '/ready') readyRequests++;
      json(res, 200, { status: 'ok' });
    },
    async (url) => {
      const r = await runYaml(profile(url, 3));
      assert.equal(r.verdict, 'pass', JSON.stringify(r.gates[0].checks.map((c) => [c.id, c.status, c.message])));
      assert.equal(readyRequests, 1);
      assert.ok(r.gates[0].checks.every((c) => (c.status === 'pass' || c.status === 'skip') && c.attempts === undefined));
    },
  );
});

test('a retried gate with deferred work runs it once, for the last attempt', async () => {
  // auth-me-no-auth fails auth.protected-requires-token in every attempt; the login burst is deferred work.
  await withDemo(['auth-me-no-auth'], async (demo) => {
    const yaml = `name: t\ntarget:\n  baseUrl: ${demo.url}\ngates:\n  auth:\n    login:\n      username: ${DEMO_USERNAME}\n      password: \${secret:TEST_DEMO_PASSWORD}\nretries:\n  auth: 1\n`;
    const r = await runYaml(yaml, { env: { TEST_DEMO_PASSWORD: DEMO_PASSWORD } });
    const auth = r.gates.find((g) => g.id === 'auth')!;
    assert.equal(check(r, 'auth.protected-requires-token').status, 'fail');
    assert.deepEqual(check(r, 'auth.protected-requires-token').attempts, ['fail']);
    assert.equal(auth.checks.filter((c) => c.id === 'auth.login-rate-limit').length, 1);
    assert.equal(check(r, 'auth.login-rate-limit').status, 'pass');
    assert.equal(check(r, 'auth.login-rate-limit').attempts, undefined);
  });
});
