// The probes gate against the real demo target and against misbehaving servers on 127.0.0.1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, runYaml, statuses } from '../helpers/run.js';
import { closedPort, withDemo, withServer } from '../helpers/servers.js';

const profile = (url: string, extra = '') => `name: t
target:
  baseUrl: ${url}
timeouts:
  request: 2s
gates:
  probes:
    liveness:
      conditions: ['body.status == "ok"']
    readiness:
      conditions: ['body.status == "ok"']
    samples: 2
    interval: 10ms
${extra}`;

test('the healthy demo target passes every probe check', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url));
    assert.deepEqual(statuses(r), {
      'probes.liveness': 'pass',
      'probes.readiness': 'pass',
      'probes.latency': 'pass',
      'probes.flapping': 'pass',
    });
    assert.equal(r.verdict, 'pass');
  });
});

test('ready-fails: readiness fails with the status and the resolved condition', async () => {
  await withDemo(['ready-fails'], async (demo) => {
    const r = await runYaml(profile(demo.url));
    const c = check(r, 'probes.readiness');
    assert.equal(c.status, 'fail');
    assert.match(c.message, /status 503, expected 200/);
    assert.match(c.message, /body\.status \("degraded"\) == "ok"/);
    assert.equal(check(r, 'probes.liveness').status, 'pass');
    assert.equal(r.verdict, 'fail');
  });
});

test('health-slow: the latency budget fails, naming the slow sample', async () => {
  await withDemo(['health-slow'], async (demo) => {
    const r = await runYaml(profile(demo.url));
    const c = check(r, 'probes.latency');
    assert.equal(c.status, 'fail');
    assert.match(c.message, /\/health: slowest sample 1\.\d+s > budget 500ms/);
    assert.equal(check(r, 'probes.liveness').status, 'pass');
  });
});

test('a refused connection fails the probes with the reason, not a crash', async () => {
  const port = await closedPort();
  const r = await runYaml(profile(`http://127.0.0.1:${port}`));
  const c = check(r, 'probes.liveness');
  assert.equal(c.status, 'fail');
  assert.match(c.message, new RegExp(`connection refused to 127\\.0\\.0\\.1:${port}`));
  assert.equal(check(r, 'probes.latency').status, 'skip');
});

test('a server that never answers fails within the request deadline', async () => {
  await withServer(
    () => {},
    async (url) => {
      const started = Date.now();
      const r = await runYaml(profile(url).replace('request: 2s', 'request: 300ms'));
      assert.ok(Date.now() - started < 5_000);
      assert.match(check(r, 'probes.liveness').message, /no complete response from 127\.0\.0\.1:\d+ within 300ms/);
    },
  );
});

test('HTML where JSON is expected fails the content type and the condition', async () => {
  await withServer(
    (_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<h1>ok</h1>');
    },
    async (url) => {
      const r = await runYaml(profile(url));
      const msg = check(r, 'probes.liveness').message;
      assert.match(msg, /content type "text\/html", expected application\/json/);
      assert.match(msg, /body is not JSON/);
    },
  );
});

test('a flapping readiness endpoint fails probes.flapping', async () => {
  let n = 0;
  await withServer(
    (req, res) => {
      const ok = req.url === '/health' || n++ % 2 === 0;
      res.statusCode = ok ? 200 : 503;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: ok ? 'ok' : 'down' }));
    },
    async (url) => {
      const r = await runYaml(profile(url));
      assert.equal(check(r, 'probes.flapping').status, 'fail');
      assert.match(check(r, 'probes.flapping').message, /200 → 503/);
    },
  );
});

test('when probes fail, later gates would be skipped: the run stays decided and reports', async () => {
  const port = await closedPort();
  const r = await runYaml(profile(`http://127.0.0.1:${port}`));
  assert.equal(r.gates[0].status, 'fail');
  assert.equal(r.schemaVersion, 1);
});
