// Issue 20: one transport-error mapper (src/http/errors.ts). The shared HTTP client, the managed target's
// readiness probe and the security gate's plain-http probe word the same fault the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient } from '../../src/http/client.js';
import { HttpError } from '../../src/http/errors.js';
import { probeUrl } from '../../src/runner/managed-target.js';
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
  await withServer((req) => req.socket.destroy(), async (base) => {
    const url = new URL('/health', base);
    const [client, probe] = [await viaClient(url), await viaProbe(url)];
    assert.match(client, /^connection reset by 127\.0\.0\.1:\d+ \(\/health\)$/);
    assert.equal(probe, client);
  });
});
