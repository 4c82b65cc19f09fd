// Issue 19 item 11: a hostile stream cannot fill shipgate's memory. An SSE line or event is cut at 1 MiB, a
// compressed SSE body is refused (shipgate asks for identity), a WebSocket message is capped after inflation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withEndlessStreams } from '../fixtures/hostile/endless-stream.js';
import { check, runYaml } from '../helpers/run.js';

const profile = (url: string, mode: 'sse' | 'websocket', stream: string) => `name: t
target:
  baseUrl: ${url}
timeouts: { request: 2s, gate: 20s }
gates:
  realtime:
    mode: ${mode}
    stream: ${stream}
    publish: { url: /publish, json: { text: 'item {marker}' } }
    rounds: 1
    latency: p95 < 1s
    timeouts: { round: 1s, step: 2s }
`;

/** Sockets buffer a few MB between server and client; a client that kept reading would take far more. */
const MAX_POURED = 24 * 1024 * 1024;

for (const kind of ['line', 'event'] as const) {
  test(`sse: an ${kind === 'line' ? 'endless line' : 'event that never ends'} is cut at 1 MiB and named in the evidence`, async () => {
    await withEndlessStreams(async (url, sent) => {
      const r = await runYaml(profile(url, 'sse', `/events?kind=${kind}&client={clientId}`));
      const sync = check(r, 'realtime.sync');
      assert.equal(sync.status, 'fail');
      assert.match(
        JSON.stringify(sync.evidence),
        /an event of the stream is longer than 1 MiB \(no end of line or blank line\); the stream was cut/,
      );
      assert.ok(sent.bytes < MAX_POURED * sent.streams, `the client read ${sent.bytes} bytes over ${sent.streams} streams`);
    });
  });
}

test('sse: a gzip bomb is refused before inflation, and the failure says why', async () => {
  await withEndlessStreams(async (url) => {
    const r = await runYaml(profile(url, 'sse', '/events?kind=gzip&client={clientId}'));
    const sync = check(r, 'realtime.sync');
    assert.equal(sync.status, 'fail');
    assert.match(sync.message, /the stream arrived gzip-compressed although shipgate asked for identity; refused/);
  });
});

test('websocket: a deflated 64 MiB message is refused at maxPayload (1 MiB) after inflation', async () => {
  await withEndlessStreams(async (url) => {
    const r = await runYaml(profile(url, 'websocket', '/ws?client={clientId}'));
    const sync = check(r, 'realtime.sync');
    assert.equal(sync.status, 'fail');
    assert.match(JSON.stringify(sync.evidence), /Max payload size exceeded|closed by the server \(code 1009\)/);
  });
});
