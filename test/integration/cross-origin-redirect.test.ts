// Issue 19 item 3: on a redirect to another origin, none of the profile's headers or cookies are sent —
// by the HTTP client, the SSE and WebSocket subscribers and the load gate — against a hostile target.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient } from '../../src/http/client.js';
import { leaked, PROFILE_SECRETS, withCrossOriginRedirect } from '../fixtures/hostile/cross-origin-redirect.js';
import { runYaml } from '../helpers/run.js';

const headersYaml = `  headers:\n${Object.entries(PROFILE_SECRETS)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join('\n')}`;

test('HTTP client: a followed cross-origin redirect carries none of the profile headers; a 307 body is not resent', async () => {
  await withCrossOriginRedirect(async (target, seen) => {
    const http = new HttpClient({ baseUrl: new URL(target), timeoutMs: 3000, defaultHeaders: PROFILE_SECRETS });
    try {
      const res = await http.request({
        url: '/page',
        headers: { accept: 'application/json', 'x-request-token': 'SECRET-4' },
        maxRedirects: 3,
      });
      assert.equal(res.status, 200);
      assert.equal(seen.length, 1, 'the redirect was followed to the other origin');
      assert.equal(seen[0].headers.accept, 'application/json', 'content negotiation still goes along');
      const login = await http.request({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/json' },
        body: '{"password":"SECRET-5"}',
        maxRedirects: 3,
      });
      assert.equal(login.status, 307, 'the 307 to another origin is returned, not followed with the body');
    } finally {
      await http.close();
    }
    assert.deepEqual(leaked(seen), []);
    assert.equal(seen.length, 1);
  });
});

for (const mode of ['sse', 'websocket'] as const) {
  test(`realtime ${mode}: the stream's redirect to another origin carries none of the profile headers`, async () => {
    await withCrossOriginRedirect(async (target, seen) => {
      await runYaml(`name: t
target:
  baseUrl: ${target}
${headersYaml}
timeouts: { request: 2s, gate: 20s }
gates:
  realtime:
    mode: ${mode}
    stream: /events?client={clientId}
    publish: { url: /publish, json: { text: 'item {marker}' } }
    rounds: 1
    latency: p95 < 1s
    timeouts: { round: 500ms, step: 2s }
`);
      if (mode === 'sse')
        assert.ok(
          seen.some((s) => s.path.startsWith('/events')),
          'the SSE subscribers followed the redirect',
        );
      assert.deepEqual(
        leaked(seen).map((s) => `${s.method} ${s.path}`),
        [],
      );
    });
  });
}

test('load: a redirect to another origin is counted, never followed with the profile headers', async () => {
  await withCrossOriginRedirect(async (target, seen) => {
    await runYaml(`name: t
target:
  baseUrl: ${target}
${headersYaml}
gates:
  load:
    endpoints: [{ path: /, thresholds: ['errors < 100%'] }]
    warmup: 0s
    duration: 1s
    connections: 2
`);
    assert.deepEqual(
      leaked(seen).map((s) => `${s.method} ${s.path}`),
      [],
    );
  });
});
