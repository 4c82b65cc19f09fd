// Every fault of the faulty target, met by the probes gate: each ends in fail or error with a precise
// reason within its deadline; nothing crashes or hangs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FAULTS, startFaultyTarget, type FaultyTarget } from '../fixtures/faulty-target.js';
import { check, runYaml } from '../helpers/run.js';
import { closedPort } from '../helpers/servers.js';

let target: FaultyTarget;
before(async () => {
  target = await startFaultyTarget();
});
after(async () => {
  await target.close();
});

const profile = (baseUrl: string, path: string) => `name: faults
target:
  baseUrl: ${baseUrl}
timeouts:
  request: 1s
  gate: 10s
gates:
  probes:
    liveness: { path: "${path}", conditions: ['body.status == "ok"'] }
    readiness: { path: "/not-here" }
    samples: 2
    interval: 10ms
`;

const expected: Record<string, RegExp> = {
  '/reset': /connection reset by 127\.0\.0\.1:\d+ \(\/reset\)/,
  '/hang': /no complete response from 127\.0\.0\.1:\d+ within 1000ms/,
  '/stall-body': /no complete response from 127\.0\.0\.1:\d+ within 1000ms/,
  '/huge': /body larger than the 64 KiB a probe may send \(Content-Length 52428800\)/,
  '/infinite': /body larger than the 64 KiB a probe may send/,
  '/redirect-loop': /status 302, expected 200/,
  '/redirect-other-host': /status 302, expected 200/,
  '/malformed-status': /malformed HTTP response from 127\.0\.0\.1:\d+: .*Invalid status code/,
  '/contradictory-headers': /malformed HTTP response from 127\.0\.0\.1:\d+/,
  '/invalid-json': /body\.status == "ok" \(body is not JSON\)/,
  '/html': /content type "text\/html; charset=utf-8", expected application\/json/,
  '/sse-silent': /no complete response from 127\.0\.0\.1:\d+ within 1000ms/,
  '/ws-close': /connection reset by 127\.0\.0\.1:\d+/,
  '/drip': /no complete response from 127\.0\.0\.1:\d+ within 1000ms/,
  '/flaky': /status 503, expected 200; body\.status \("down"\) == "ok" \(1 of 2 samples failed\)/,
  '/invalid-utf8': /body\.status \(missing\) == "ok"/,
  '/empty-reply': /connection reset by 127\.0\.0\.1:\d+/,
  '/short-body': /connection reset by 127\.0\.0\.1:\d+|the body length does not match Content-Length/,
  '/garbage': /malformed HTTP response from 127\.0\.0\.1:\d+: .*Expected HTTP\//,
  '/huge-headers': /response headers from 127\.0\.0\.1:\d+ are larger than the client accepts/,
  '/tls-port': /malformed HTTP response from 127\.0\.0\.1:\d+/,
  '/500-stack': /status 500, expected 200/,
};

test('the fixture has at least 20 distinct faults and every one is covered here', () => {
  assert.ok(Object.keys(FAULTS).length >= 20);
  assert.deepEqual(Object.keys(expected).sort(), Object.keys(FAULTS).sort());
});

for (const [path, reason] of Object.entries(expected)) {
  test(`probes meet ${path} (${FAULTS[path].what})`, async () => {
    const started = Date.now();
    const r = await runYaml(profile(target.url, path));
    const c = check(r, 'probes.liveness');
    assert.ok(c.status === 'fail' || c.status === 'error', `${path}: ${c.status} ${c.message}`);
    assert.match(c.message, reason);
    assert.ok(Date.now() - started < 15_000, `${path} took ${Date.now() - started}ms`);
    assert.notEqual(r.verdict, 'pass');
  });
}

test('connection refused', async () => {
  const port = await closedPort();
  const r = await runYaml(profile(`http://127.0.0.1:${port}`, '/health'));
  assert.match(check(r, 'probes.liveness').message, new RegExp(`connection refused to 127\\.0\\.0\\.1:${port}`));
});

test('TLS spoken to a plain-HTTP port', async () => {
  const r = await runYaml(profile(target.url.replace('http:', 'https:'), '/health'));
  const c = check(r, 'probes.liveness');
  assert.equal(c.status, 'fail');
  assert.match(c.message, /TLS handshake with 127\.0\.0\.1:\d+ failed/);
});
