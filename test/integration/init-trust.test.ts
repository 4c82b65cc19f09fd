// shipgate init's WebSocket check goes the way its HTTP requests go: the same trust (a CA a test made with
// the throwaway CA) and the same proxy (a CONNECT proxy on 127.0.0.1), and a refusal in the same words.
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { RealtimeFindings } from '../../checks/realtime/init-discover.js';
import { ThrowawayCa, type Issued } from '../../src/demo/throwaway-ca.js';
import { trustFor } from '../../src/http/trust.js';
import { discover } from '../../src/init/discover.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';

let ca: ThrowawayCa;
before(() => {
  ca = ThrowawayCa.create();
});
after(() => ca.remove());

const PAGE =
  '<ol id="notes"></ol><script>var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/socket");</script>';

/** An HTTPS site whose home page opens a WebSocket; `ports` records who connected (their client ports). */
async function site(leaf: Issued, fn: (url: string, ports: number[]) => Promise<void>, page = PAGE): Promise<void> {
  const server = createServer(leaf, (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
  const ports: number[] = [];
  server.on('connection', (s) => ports.push(s.remotePort ?? 0));
  const wss = new WebSocketServer({ server, path: '/socket' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, ports);
  } finally {
    wss.close();
    server.closeAllConnections();
    server.close();
  }
}

const streams = async (url: string, trust: ReturnType<typeof trustFor>) => {
  const f = await discover(new URL(url), { signal: AbortSignal.timeout(30_000), timeoutMs: 3_000, trust });
  return (f.gates as { realtime: RealtimeFindings }).realtime.streams.map((s) => [s.url, s.confirmed, s.note]);
};

test("init's WebSocket check uses the run's CA: with it the handshake is confirmed", async () => {
  await site(ca.issue({ hosts: ['127.0.0.1'] }), async (url) => {
    assert.deepEqual(await streams(url, trustFor({ tls: { ca: ca.certPath, insecure: false } }, {})), [
      ['/socket', true, undefined],
    ]);
  });
});

test("init's WebSocket check goes through the proxy like its HTTP requests: no connection reaches the site directly", async () => {
  const proxy = await startConnectProxy();
  try {
    await site(ca.issue({ hosts: ['127.0.0.1'] }), async (url, ports) => {
      const trust = trustFor({ tls: { ca: ca.certPath, insecure: false }, proxy: proxy.url }, {});
      assert.deepEqual(await streams(url, trust), [['/socket', true, undefined]]);
      const tunnelled = new Set(proxy.tunnels.map((t) => t.upstreamPort));
      assert.deepEqual(
        ports.filter((p) => !tunnelled.has(p)),
        [],
        'connections bypassed the proxy',
      );
    });
  } finally {
    await proxy.close();
  }
});

test("init's WebSocket refusal reads like every other client's", async () => {
  // The page is trusted (target CA); its WebSocket goes to another host whose certificate is self-signed.
  await site(ca.selfSigned(['127.0.0.1']), async (untrusted) => {
    const socket = `${untrusted.replace('https:', 'wss:')}/socket`;
    const page = `<script>var ws = new WebSocket("${socket}");</script>`;
    await site(
      ca.issue({ hosts: ['127.0.0.1'] }),
      async (url) => {
        const [[found, confirmed, note]] = await streams(url, trustFor({ tls: { ca: ca.certPath, insecure: false } }, {}));
        assert.deepEqual([found, confirmed], [socket, false]);
        assert.match(String(note), /^TLS handshake with 127\.0\.0\.1:\d+ failed: self[- ]signed certificate$/);
      },
      page,
    );
  });
});
