// Issue 17 / issue 19 item 4: one trust decision, applied by every client. A CA generated in the test
// (openssl CLI, src/demo/throwaway-ca.ts) signs the target's certificate: trusted through target.tls.ca,
// every client gets through; self-signed and untrusted, every client (HTTP, load, SSE, WebSocket) refuses
// it the same way and no request reaches the app; with insecure: true all pass and a warning check says so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ThrowawayCa } from '../../src/demo/throwaway-ca.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { startTlsTarget, tlsTargetProfile, type RealtimeMode, type TlsTarget } from '../helpers/tls-target.js';

let ca: ThrowawayCa;
before(() => {
  ca = ThrowawayCa.create();
});
after(() => ca.remove());

async function withTarget(leaf: { cert: string; key: string }, fn: (t: TlsTarget) => Promise<void>): Promise<void> {
  const t = await startTlsTarget({ cert: leaf.cert, key: leaf.key });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const profile = (url: string, tls: string, mode: RealtimeMode = 'sse') =>
  tlsTargetProfile(url, { target: `  headers: { Authorization: "Bearer SECRET-TOKEN" }\n${tls}`, mode });

for (const mode of ['sse', 'websocket', 'browser'] as const) {
  test(`a leaf signed by target.tls.ca: probes, ${mode} and load all get through`, async () => {
    await withTarget(ca.issue({ hosts: ['127.0.0.1', 'localhost'] }), async (t) => {
      const r = await runYaml(profile(t.url, `  tls: { ca: ${JSON.stringify(ca.certPath)} }`, mode));
      const s = statuses(r);
      assert.equal(s['probes.liveness'], 'pass', JSON.stringify(s));
      assert.equal(s['realtime.sync'], 'pass', JSON.stringify(check(r, 'realtime.sync')));
      assert.equal(s['load.summary.health'] ?? s['load.summary'], 'pass', JSON.stringify(s));
      assert.equal(
        r.gates.find((g) => g.id === 'target'),
        undefined,
        'no insecure warning when certificates are checked',
      );
    });
  });
}

test('a self-signed certificate: every client (HTTP, load, SSE, WebSocket, Chromium) refuses it in the same words, and no request reaches the app', async () => {
  for (const mode of ['sse', 'websocket', 'browser'] as const) {
    await withTarget(ca.selfSigned(['127.0.0.1']), async (t) => {
      // Probes that fail would skip the later gates: they run on their own.
      const probes = await runYaml(profile(t.url, '', mode), { gates: ['probes'] });
      const r = await runYaml(profile(t.url, '', mode), { gates: ['realtime', 'load'] });
      const refusal = /TLS handshake with 127\.0\.0\.1:\d+ failed: self[- ]signed certificate/;
      const messages = r.gates.flatMap((g) => g.checks).filter((c) => c.status !== 'pass' && c.status !== 'skip');
      assert.match(check(probes, 'probes.liveness').message, refusal);
      assert.match(check(r, 'realtime.sync').message, refusal, `${mode}: ${check(r, 'realtime.sync').message}`);
      const load = r.gates.find((g) => g.id === 'load')!;
      assert.ok(
        load.checks.some((c) => refusal.test(c.message)),
        JSON.stringify(load.checks.map((c) => c.message)),
      );
      assert.deepEqual(
        t.requests,
        [],
        `requests reached an untrusted target: ${JSON.stringify(t.requests.map((q) => q.path))}; ${messages.length} findings`,
      );
    });
  }
});

test('insecure: true gets through an untrusted certificate, and the report opens with a warning check', async () => {
  await withTarget(ca.selfSigned(['127.0.0.1']), async (t) => {
    const r = await runYaml(profile(t.url, '  tls: { insecure: true }'));
    const s = statuses(r);
    assert.equal(s['probes.liveness'], 'pass');
    assert.equal(s['realtime.sync'], 'pass');
    assert.equal(r.gates[0].id, 'target');
    assert.equal(s['target.tls.insecure'], 'warn');
    assert.match(check(r, 'target.tls.insecure').message, /no client checked the certificate of 127\.0\.0\.1:\d+/);
  });
});

test('serverName: a leaf for api.internal is verified when the target is reached by IP', async () => {
  await withTarget(ca.issue({ hosts: ['api.internal'] }), async (t) => {
    const wrong = await runYaml(profile(t.url, `  tls: { ca: ${JSON.stringify(ca.certPath)} }`), { gates: ['probes'] });
    assert.match(
      check(wrong, 'probes.liveness').message,
      /TLS handshake with 127\.0\.0\.1:\d+ failed: .*(IP: 127\.0\.0\.1 is not in the cert's list|does not match)/,
    );
    const right = await runYaml(profile(t.url, `  tls: { ca: ${JSON.stringify(ca.certPath)}, serverName: api.internal }`), {
      gates: ['probes', 'realtime'],
    });
    assert.equal(statuses(right)['probes.liveness'], 'pass');
    assert.equal(statuses(right)['realtime.sync'], 'pass');
  });
});

test('mutual TLS: target.tls.cert and a key read through ${secret:…} get through; without them the handshake is refused; the key never appears in the result', async () => {
  const leaf = ca.issue({ hosts: ['127.0.0.1'] });
  const client = ca.issue({ hosts: ['shipgate-client'], client: true });
  const t = await startTlsTarget({ cert: leaf.cert, key: leaf.key, requestCert: true, rejectUnauthorized: true, ca: ca.cert });
  try {
    const base = `  tls:\n    ca: ${JSON.stringify(ca.certPath)}\n`;
    const withCert = await runYaml(
      profile(t.url, `${base}    cert: ${JSON.stringify(client.certPath)}\n    key: "\${secret:CLIENT_KEY}"`),
      { gates: ['probes', 'realtime'], env: { CLIENT_KEY: client.key } },
    );
    assert.equal(statuses(withCert)['probes.liveness'], 'pass', check(withCert, 'probes.liveness').message);
    assert.equal(statuses(withCert)['realtime.sync'], 'pass', check(withCert, 'realtime.sync').message);
    assert.ok(!JSON.stringify(withCert).includes('PRIVATE KEY'));
    const without = await runYaml(profile(t.url, base), { gates: ['probes'] });
    assert.equal(statuses(without)['probes.liveness'], 'fail');
  } finally {
    await t.close();
  }
});
