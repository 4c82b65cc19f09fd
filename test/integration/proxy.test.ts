// Issue 17: HTTPS_PROXY / NO_PROXY are honoured by every client. A CONNECT proxy on 127.0.0.1 records the
// tunnels it opened; the HTTPS target records who connected. With HTTPS_PROXY set, every connection the
// target accepted (probes, security incl. TLS checks, SSE, WebSocket, load, and the auth gate's HTTP flow and
// browser login against the demo over HTTPS) came through the proxy; with NO_PROXY matching, the proxy saw nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/auth.js';
import { startDemoServer } from '../../src/demo/server.js';
import { ThrowawayCa } from '../../src/demo/throwaway-ca.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { runYaml, statuses } from '../helpers/run.js';
import { startTlsTarget, tlsTargetProfile, type RealtimeMode } from '../helpers/tls-target.js';

let ca: ThrowawayCa;
before(() => {
  ca = ThrowawayCa.create();
});
after(() => ca.remove());

const profile = (url: string, mode: RealtimeMode) =>
  tlsTargetProfile(url, { target: `  tls: { ca: ${JSON.stringify(ca.certPath)} }`, mode, security: true });

async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

for (const mode of ['sse', 'websocket', 'browser'] as const) {
  test(`HTTPS_PROXY: every connection of probes, security, ${mode} and load goes through the CONNECT proxy`, async () => {
    const proxy = await startConnectProxy();
    const t = await startTlsTarget(ca.issue({ hosts: ['127.0.0.1'] }));
    try {
      const r = await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: undefined, no_proxy: undefined, https_proxy: undefined }, () =>
        runYaml(profile(t.url, mode)),
      );
      const s = statuses(r);
      for (const id of ['probes.liveness', 'realtime.sync', 'security.tls.certificate'])
        assert.equal(s[id], 'pass', `${id}: ${JSON.stringify(s)}`);
      const load = r.gates.find((g) => g.id === 'load')!.checks.find((c) => c.id.startsWith('load.summary'));
      assert.equal(load?.status, 'pass', JSON.stringify(load));
      assert.ok(t.clientPorts.length > 0);
      const tunnelled = new Set(proxy.tunnels.map((x) => x.upstreamPort));
      const direct = t.clientPorts.filter((p) => !tunnelled.has(p));
      assert.deepEqual(direct, [], `${direct.length} of ${t.clientPorts.length} connections bypassed the proxy`);
      assert.ok(proxy.tunnels.every((x) => x.authority === `127.0.0.1:${t.port}`));
    } finally {
      await t.close();
      await proxy.close();
    }
  });
}

test('NO_PROXY matching the target: the proxy sees nothing', async () => {
  const proxy = await startConnectProxy();
  const t = await startTlsTarget(ca.issue({ hosts: ['127.0.0.1'] }));
  try {
    const r = await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1', no_proxy: undefined, https_proxy: undefined }, () =>
      runYaml(profile(t.url, 'websocket')),
    );
    assert.equal(statuses(r)['probes.liveness'], 'pass');
    assert.ok(t.clientPorts.length > 0);
    assert.deepEqual(proxy.tunnels, []);
  } finally {
    await t.close();
    await proxy.close();
  }
});

test("HTTPS_PROXY: the auth gate's login, refresh, logout and browser login go through the CONNECT proxy", async () => {
  const proxy = await startConnectProxy();
  const demo = await startDemoServer({ tls: ca.issue({ hosts: ['127.0.0.1'] }) });
  const clientPorts: number[] = [];
  demo.server.on('connection', (socket) => clientPorts.push(socket.remotePort ?? 0));
  const yaml = `name: t
target:
  baseUrl: ${demo.url}
  tls: { ca: ${JSON.stringify(ca.certPath)} }
gates:
  auth:
    login:
      username: demo
      password: \${secret:TEST_DEMO_PASSWORD}
    rateLimit: { enabled: false }
    browser:
      page: /login
      loggedIn: "#signed-in"
`;
  try {
    const r = await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: undefined, no_proxy: undefined, https_proxy: undefined }, () =>
      runYaml(yaml, { env: { TEST_DEMO_PASSWORD: DEMO_PASSWORD }, gates: ['auth'] }),
    );
    const s = statuses(r);
    for (const id of ['auth.login', 'auth.refresh-rotates', 'auth.logout-revokes', 'auth.browser-storage'])
      assert.equal(s[id], 'pass', `${id}: ${JSON.stringify(s)}`);
    assert.ok(clientPorts.length > 0);
    const tunnelled = new Set(proxy.tunnels.map((x) => x.upstreamPort));
    const direct = clientPorts.filter((p) => !tunnelled.has(p));
    assert.deepEqual(direct, [], `${direct.length} of ${clientPorts.length} connections bypassed the proxy`);
  } finally {
    await demo.close();
    await proxy.close();
  }
});
