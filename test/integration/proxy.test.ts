// Issue 17: HTTPS_PROXY / NO_PROXY are honoured by every client. A CONNECT proxy on 127.0.0.1 records the
// tunnels it opened; the HTTPS target records who connected. With HTTPS_PROXY set, every connection the
// target accepted (probes, security incl. TLS checks, SSE, WebSocket, load) came through the proxy; with
// NO_PROXY matching, the proxy saw nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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
