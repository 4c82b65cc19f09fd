// Protocol mode against the demo: two real SSE / WebSocket subscribers, a real publish request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { gate } from '../../checks/realtime/index.js';
import type { RealtimeConfig } from '../../checks/realtime/schema.js';
import type { GateContext } from '../../src/gates/contract.js';
import { HttpClient } from '../../src/http/client.js';
import { parseProfile } from '../../src/profile/load.js';
import { Redactor } from '../../src/redact.js';
import type { CheckResult } from '../../src/result.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { withDemo, withServer } from '../helpers/servers.js';

const profile = (url: string, mode: 'sse' | 'websocket', extra = '') => `name: t
target:
  baseUrl: ${url}
timeouts:
  request: 2s
  gate: 30s
gates:
  realtime:
    mode: ${mode}
    stream: ${mode === 'sse' ? '/api/live/events' : '/api/live/ws'}?client={clientId}
    publish:
      url: /api/live/items
      headers: { X-Client-Id: '{clientId}' }
      json: { text: 'item {marker}' }
    rounds: 3
    latency: p95 < 1s
    timeouts:
      round: 1s
      step: 3s
${extra}`;

for (const mode of ['sse', 'websocket'] as const) {
  test(`${mode}: the demo passes sync and latency, with p50/p95 in the message and metrics`, async () => {
    await withDemo([], async (demo) => {
      const r = await runYaml(profile(demo.url, mode));
      assert.deepEqual(statuses(r, 'realtime'), {
        'realtime.sync': 'pass',
        'realtime.latency': 'pass',
        'realtime.burst': 'pass',
      });
      const lat = check(r, 'realtime.latency');
      assert.match(
        lat.message,
        /^p50 \S+ · p95 \S+ · max \S+ over 3 rounds \(threshold p95 < 1s\) · (SSE|WebSocket) \/api\/live\/(events|ws)$/,
      );
      assert.equal(lat.metrics?.rounds, 3);
      assert.equal(lat.metrics?.observed, 3);
      assert.ok(lat.metrics!.p50Ms <= lat.metrics!.p95Ms && lat.metrics!.p95Ms <= lat.metrics!.maxMs);
      assert.match(
        check(r, 'realtime.sync').message,
        /^both subscribers received the event in 3 of 3 rounds \(an event containing the marker\) · (SSE|WebSocket)/,
      );
    });
  });

  test(`${mode}: realtime-no-broadcast fails realtime.sync, naming the subscriber that got nothing`, async () => {
    await withDemo(['realtime-no-broadcast'], async (demo) => {
      const r = await runYaml(profile(demo.url, mode));
      const sync = check(r, 'realtime.sync');
      assert.equal(sync.status, 'fail');
      assert.match(
        sync.message,
        /^not every subscriber received the event within 1s in 1 of 1 rounds \(first: round 1, marker sg-[0-9a-f]{12}; an event containing the marker\); the remaining 2 rounds were not run after the first one got nothing to B$/,
      );
      const d = sync.evidence!.details!;
      assert.match(String(d['did not receive it']), /^B \(/);
      assert.equal(d['B received this round'], 'nothing');
      assert.match(JSON.stringify(d['A received this round']), /item sg-/, 'A, the sender, got its own event');
      assert.equal(check(r, 'realtime.latency').status, 'fail');
      assert.equal(r.verdict, 'fail');
    });
  });
}

test('sse: a stream endpoint that does not exist fails with the status it answered', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url, 'sse').replace('/api/live/events?', '/api/nope?'));
    const sync = check(r, 'realtime.sync');
    assert.equal(sync.status, 'fail');
    assert.match(
      sync.message,
      /subscriber [AB] could not open http:\/\/127\.0\.0\.1:\d+\/api\/nope\?client=shipgate-[ab]-[0-9a-f]+: the stream was refused .*GET .* → 404/,
    );
    assert.equal(check(r, 'realtime.latency').status, 'skip');
  });
});

test('websocket: an endpoint that refuses the upgrade fails with its HTTP status', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url, 'websocket').replace('/api/live/ws?', '/api/nope?'));
    assert.match(check(r, 'realtime.sync').message, /the WebSocket upgrade was answered with HTTP 404/);
  });
});

test('a publish request the target rejects fails realtime.sync with the response', async () => {
  await withDemo([], async (demo) => {
    const tooLong = `json: { text: 'x{marker}${'y'.repeat(200)}' }`;
    const r = await runYaml(profile(demo.url, 'sse').replace("json: { text: 'item {marker}' }", () => tooLong));
    const sync = check(r, 'realtime.sync');
    assert.equal(sync.status, 'fail');
    assert.match(sync.message, /round 1: the publish request POST \/api\/live\/items was answered 422/);
    assert.equal(sync.evidence?.status, 422);
  });
});

test("the auth gate's access token, when present, goes with the publish request and both streams (and is redacted)", async () => {
  const auth: string[] = [];
  const streams = new Set<import('node:http').ServerResponse>();
  await withServer(
    async (req, res) => {
      auth.push(`${req.method} ${req.url?.split('?')[0]} ${req.headers.authorization ?? '-'}`);
      if (req.url?.startsWith('/events')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      for (const s of streams) s.write(`data: ${body}\n\n`);
      res.statusCode = 204;
      res.end();
    },
    async (url) => {
      const loaded = parseProfile(
        `name: t
target:
  baseUrl: ${url}
gates:
  realtime:
    mode: sse
    stream: /events
    publish: { url: /items, body: 'changed {marker}' }
    rounds: 2
    timeouts: { round: 2s, step: 3s }
`,
        't.yaml',
        {},
      );
      const results: CheckResult[] = [];
      const cleanups: (() => unknown)[] = [];
      const redactor = new Redactor();
      const http = new HttpClient({ baseUrl: new URL(url), timeoutMs: 2_000 });
      const ctx: GateContext = {
        baseUrl: new URL(url),
        profile: loaded.profile,
        http,
        signal: AbortSignal.timeout(20_000),
        deadline: Date.now() + 20_000,
        requestTimeoutMs: 2_000,
        redactor,
        shared: { accessToken: 'tok-abcdef123' },
        artifactsDir: tmpdir(),
        record: (r) => results.push(r),
        progress: () => {},
        onCleanup: (fn) => cleanups.push(fn),
        afterAll: () => {},
      };
      try {
        await gate.run(ctx, loaded.profile.gates.realtime as RealtimeConfig);
      } finally {
        for (const fn of cleanups) await fn();
        await http.close();
      }
      assert.deepEqual(
        results.map((r) => `${r.id}=${r.status}`),
        ['realtime.sync=pass', 'realtime.latency=pass', 'realtime.burst=pass'],
      );
      assert.deepEqual([...new Set(auth)].sort(), ['GET /events Bearer tok-abcdef123', 'POST /items Bearer tok-abcdef123']);
      assert.equal(auth.filter((a) => a.startsWith('GET')).length, 2, 'two independent subscribers');
      assert.equal(redactor.text('x tok-abcdef123 y'), 'x *** y');
    },
  );
});

test('sse: listening to the wrong event type names the types that did arrive, instead of "nothing"', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(profile(demo.url, 'sse', '    event: item\n'));
    const sync = check(r, 'realtime.sync');
    assert.equal(sync.status, 'fail');
    assert.match(
      sync.message,
      /; no "item" event arrived, but events of type "message" did: set gates\.realtime\.event to the type the server sends$/,
    );
    assert.deepEqual(sync.evidence!.details!['B received other SSE event types'], ['message ×1']);
  });
});

for (const mode of ['sse', 'websocket'] as const) {
  test(`${mode}: a throttle that drops quick changes (drops-burst) fails exactly realtime.burst; the spaced rounds pass`, async () => {
    await withDemo(['drops-burst'], async (demo) => {
      const r = await runYaml(profile(demo.url, mode));
      assert.deepEqual(statuses(r, 'realtime'), {
        'realtime.sync': 'pass',
        'realtime.latency': 'pass',
        'realtime.burst': 'fail',
      });
      assert.match(
        check(r, 'realtime.burst').message,
        /^of 3 changes published back to back \(5 ms apart\), not every subscriber received every one within 1s; missing: sg-[0-9a-f]+ \(A\), sg-[0-9a-f]+ \(B\), sg-[0-9a-f]+ \(A\), sg-[0-9a-f]+ \(B\) · /,
      );
    });
  });
}
