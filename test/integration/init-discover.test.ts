// shipgate init's discovery against real servers on 127.0.0.1 that are built unlike the demo: a
// single-page app whose fallback answers every path, a gateway that answers 401 to everything, a target
// whose readiness is down, a page that opens a WebSocket. Every profile written must load, and what it
// found must pass its own gate.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { LoginFindings } from '../../checks/auth/init-discover.js';
import type { HealthFindings } from '../../checks/probes/init-discover.js';
import type { RealtimeFindings } from '../../checks/realtime/init-discover.js';
import type { SecurityFindings } from '../../checks/security/init.js';
import { discover, type Findings } from '../../src/init/discover.js';
import { renderProfile } from '../../src/init/render.js';
import { parseProfile } from '../../src/profile/load.js';
import { runYaml } from '../helpers/run.js';
import { withServer } from '../helpers/servers.js';

const STAND_INS = { SHIPGATE_USERNAME: 'u', SHIPGATE_PASSWORD: 'p' };

async function init(url: string): Promise<{ findings: Findings; text: string; todos: string[] }> {
  const findings = await discover(new URL(url), { signal: AbortSignal.timeout(30_000), timeoutMs: 3_000 });
  const { text, todos } = await renderProfile(findings, {
    name: 't',
    schemaRef: '../schema/profile.schema.json',
    date: '2026-01-01',
  });
  parseProfile(text, 't.yaml', STAND_INS); // throws with file:line:column if init wrote something invalid
  return { findings, text, todos };
}

/** What each gate's init hook found. */
function g(f: Findings) {
  return f.gates as { probes: HealthFindings; security: SecurityFindings; auth: LoginFindings; realtime: RealtimeFindings };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

const INDEX = '<!doctype html><html><head><script src="/assets/app.js"></script></head><body><div id="root"></div></body></html>';

/** An SPA behind Express with no hardening: index.html for every GET, CORS that reflects any origin. */
function spa(req: IncomingMessage, res: ServerResponse) {
  const origin = req.headers.origin;
  const cors: Record<string, string> = origin
    ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
    : {};
  const h = { 'x-powered-by': 'Express', ...cors };
  if (req.method === 'OPTIONS') return send(res, 204, 'text/plain', '', h);
  if (req.method === 'POST' && req.url === '/api/login')
    return send(res, 422, 'application/json', '{"error":"email is required"}', h);
  if (req.method === 'POST') return send(res, 404, 'application/json', '{"error":"not found"}', h);
  if (req.url === '/api/health') return send(res, 200, 'application/json', '{"status":"UP"}', h);
  if (req.url === '/assets/app.js') return send(res, 200, 'text/javascript', 'fetch("/api/items")', h);
  send(res, 200, 'text/html', INDEX, h);
}

test('a single-page app: the fallback is not mistaken for endpoints; reflected CORS and weak headers are flagged', async () => {
  await withServer(spa, async (url) => {
    const { findings: f, text, todos } = await init(url);
    assert.equal(f.catchAll.spaFallback, true);
    assert.deepEqual(
      g(f).probes.found.map((x) => x.path),
      ['/api/health'],
      'no index.html counted as a health endpoint',
    );
    assert.equal(g(f).probes.liveness?.condition, 'body.status == "UP"');
    assert.equal(g(f).probes.readiness, undefined);
    assert.equal(g(f).security.cors?.behaviour, 'reflects');
    assert.equal(g(f).security.cors?.credentialsForSample, true);
    assert.deepEqual(g(f).security.headers?.leaks, ['X-Powered-By: Express']);
    assert.equal(g(f).auth.login?.path, '/api/login');
    assert.equal(g(f).auth.login?.userField, 'email');

    assert.match(text, /# WARNING: init sent Origin: https:\/\/shipgate-init\.example to \/ and it was granted/);
    assert.match(text, /notFoundPath: \/api\/shipgate-no-such-route/);
    assert.match(text, /email: "\{\{username\}\}" +# its error message asked for an email/);
    assert.match(text, /# TODO: no readiness endpoint answered/);
    assert.match(text, /# Version leaks on \/: X-Powered-By: Express/);
    assert.ok(todos.includes('probes.readiness: no readiness endpoint found; the liveness path stands in'));

    // What init found passes its own gate; the reflected CORS fails the security gate, as it should.
    const r = await runYaml(text, { env: STAND_INS, gates: ['probes', 'security'] });
    assert.equal(r.gates.find((g) => g.id === 'probes')?.status, 'pass');
    const security = r.gates.find((g) => g.id === 'security')!;
    assert.equal(security.checks.find((c) => c.id === 'security.cors.reflect-origin')?.status, 'fail');
  });
});

test('a gateway that answers 401 to everything: no login guessed, probes left TODO, the profile still loads', async () => {
  await withServer(
    (req, res) => send(res, 401, 'application/json', '{"message":"Unauthorized"}'),
    async (url) => {
      const { findings: f, text, todos } = await init(url);
      assert.equal(g(f).auth.login, undefined);
      assert.match(g(f).auth.note ?? '', /every POST answers 401, even to a path that cannot exist/);
      assert.equal(g(f).auth.protectedRoute, undefined);
      assert.equal(g(f).probes.liveness, undefined);
      assert.match(text, /^ {2}# TODO probes: no health endpoint answered/m);
      assert.match(text, /^ {2}# TODO auth: no login endpoint answered/m);
      assert.doesNotMatch(text, /^ {2}(probes|auth):/m);
      assert.deepEqual(
        todos.filter((t) => /^(probes|auth):/.test(t)),
        [
          'probes: no health or readiness endpoint found (section commented out)',
          'auth: no login endpoint found (section commented out)',
        ],
      );
    },
  );
});

test('text/plain probes and a readiness endpoint that is down: content type kept, 503 marked TODO', async () => {
  await withServer(
    (req, res) => {
      if (req.url === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok');
      if (req.url === '/readyz') return send(res, 503, 'application/json', '{"status":"degraded"}');
      send(res, 404, 'application/problem+json', '{"title":"Not Found","status":404,"detail":"no route"}');
    },
    async (url) => {
      const { findings: f, text, todos } = await init(url);
      assert.equal(g(f).probes.liveness?.path, '/healthz');
      assert.equal(g(f).probes.readiness?.path, '/readyz');
      assert.match(text, /path: \/healthz +# answered 200 text\/plain/);
      assert.match(text, /contentType: text\/plain/);
      assert.match(text, /# \/readyz answered 503 during init \(status "degraded"\): the target was not ready then\./);
      assert.ok(todos.includes('probes.readiness: /readyz answered 503 during init'));
      // The home page answers 404: headers and CORS are audited on the liveness path.
      assert.match(text, /paths: \[\/healthz\]/);
    },
  );
});

test('a page that opens a WebSocket from a computed URL: the endpoint is found in the script and its handshake confirmed', async () => {
  const wss = new WebSocketServer({ noServer: true });
  try {
    await withServer(
      (req, res) => {
        if (req.url === '/') return send(res, 200, 'text/html', '<a href="/board">board</a> <a href="/logout">sign out</a>');
        if (req.url === '/board')
          return send(
            res,
            200,
            'text/html; charset=utf-8',
            '<form><input id="note" type="text"><button id="post" type="submit">Post</button></form><ol id="notes"></ol><script>var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/socket/notes?v=2");</script>',
          );
        if (req.url === '/logout') throw new Error('init must not follow a logout link');
        send(res, 404, 'text/plain', 'not found');
      },
      async (url, server) => {
        server.on('upgrade', (req, socket, head) => {
          if (req.url?.startsWith('/socket/notes')) wss.handleUpgrade(req, socket, head, (ws) => ws.close());
          else socket.destroy();
        });
        const { findings: f, text } = await init(url);
        assert.deepEqual(g(f).realtime.pages, ['/', '/board']);
        assert.deepEqual(
          g(f).realtime.streams.map((s) => [s.kind, s.url, s.page, s.script, s.confirmed]),
          [['websocket', '/socket/notes', '/board', 'inline', true]],
        );
        assert.deepEqual(g(f).realtime.guess, { page: '/board', input: '#note', submit: '#post', list: '#notes li' });
        assert.match(
          text,
          /# TODO realtime: init found a WebSocket at \/socket\/notes \(opened by an inline script on the page \/board; its handshake succeeded\)/,
        );
      },
    );
  } finally {
    wss.close();
  }
});
