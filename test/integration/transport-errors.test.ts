// Issue 20: one transport-error mapper (src/http/errors.ts). The shared HTTP client, the managed target's
// readiness probe and the security gate's plain-http probe word the same fault the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient } from '../../src/http/client.js';
import { HttpError } from '../../src/http/errors.js';
import { probeUrl } from '../../src/target/managed-target.js';
import { closedPort, withServer } from '../helpers/servers.js';

async function viaClient(url: URL): Promise<string> {
  const http = new HttpClient({ baseUrl: url, timeoutMs: 2000 });
  try {
    await http.request({ url });
    return 'answered';
  } catch (err) {
    assert.ok(err instanceof HttpError);
    return err.message;
  } finally {
    await http.close();
  }
}

async function viaProbe(url: URL): Promise<string> {
  const r = await probeUrl(url, 2000);
  return 'error' in r ? r.error : 'answered';
}

test('a refused connection reads the same from the HTTP client and the readiness probe', async () => {
  const url = new URL(`http://127.0.0.1:${await closedPort()}/health`);
  const [client, probe] = [await viaClient(url), await viaProbe(url)];
  assert.match(client, /^connection refused to 127\.0\.0\.1:\d+$/);
  assert.equal(probe, client);
});

test('a connection reset reads the same from the HTTP client and the readiness probe', async () => {
  await withServer(
    (req) => req.socket.destroy(),
    async (base) => {
      const url = new URL('/health', base);
      const [client, probe] = [await viaClient(url), await viaProbe(url)];
      assert.match(client, /^connection reset by 127\.0\.0\.1:\d+ \(\/health\)$/);
      assert.equal(probe, client);
    },
  );
});

test('an untrusted certificate reads the same from the HTTP client and the readiness probe; target.tls.ca lets both through', async () => {
  const { ThrowawayCa } = await import('../../src/demo/throwaway-ca.js');
  const { startTlsTarget } = await import('../helpers/tls-target.js');
  const { trustFor } = await import('../../src/http/trust.js');
  const ca = ThrowawayCa.create();
  const t = await startTlsTarget(ca.issue({ hosts: ['127.0.0.1'] }));
  try {
    const url = new URL('/health', t.url);
    const [client, probe] = [await viaClient(url), await viaProbe(url)];
    assert.match(client, /^TLS handshake with 127\.0\.0\.1:\d+ failed: unable to verify the first certificate/);
    assert.equal(probe, client);
    const trust = trustFor({ tls: { ca: ca.certPath, insecure: false } });
    assert.deepEqual(await probeUrl(url, 2000, undefined, {}, trust), { status: 200 });
  } finally {
    await t.close();
    ca.remove();
  }
});
