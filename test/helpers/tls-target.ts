// A small HTTPS target on 127.0.0.1 with the certificate a test chooses: /health, a publish endpoint, an SSE
// stream and a WebSocket that broadcast what is published. `requests` counts requests that reached the
// app, i.e. that got past the TLS handshake.
import { createServer, type ServerOptions } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface TlsTarget {
  url: string;
  port: number;
  requests: { method: string; path: string; headers: Record<string, unknown> }[];
  /** Handshakes the server saw fail (the client refused the certificate or sent none). */
  tlsErrors: string[];
  /** The client port of every TCP connection the server accepted (who connected). */
  clientPorts: number[];
  close(): Promise<void>;
}

/** A page for Chromium: it lists what is published, over the SSE stream, and marks itself live once open. */
const LIVE_PAGE = `<!doctype html><ul id="items"></ul><script>
const es = new EventSource('/events?client=page-' + Math.random().toString(36).slice(2));
es.onopen = () => (document.body.dataset.live = 'open');
es.onmessage = (e) => { const li = document.createElement('li'); li.textContent = JSON.parse(e.data).text; items.append(li); };
</script>`;

export async function startTlsTarget(tls: ServerOptions): Promise<TlsTarget> {
  const streams = new Set<ServerResponse>();
  const sockets = new Set<WebSocket>();
  const requests: TlsTarget['requests'] = [];
  const tlsErrors: string[] = [];
  const server = createServer(tls, (req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': open\n\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (path === '/publish' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        for (const s of streams) s.write(`data: ${body.replace(/\n/g, ' ')}\n\n`);
        for (const ws of sockets) ws.send(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      return;
    }
    if (path === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end(LIVE_PAGE);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  server.on('tlsClientError', (err) => tlsErrors.push(err.message));
  const clientPorts: number[] = [];
  server.on('connection', (socket) => clientPorts.push(socket.remotePort ?? 0));
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws, req) => {
    requests.push({ method: 'UPGRADE', path: req.url ?? '', headers: req.headers });
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    tlsErrors,
    clientPorts,
    close: async () => {
      for (const s of streams) s.destroy();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type RealtimeMode = 'sse' | 'websocket' | 'browser';

/** Browser mode: Chromium opens the page (launched through the repo's finder: the bundled Chromium here). */
const BROWSER_MODE = `    mode: browser
    page: /page
    ready: 'body[data-live="open"]'
    action: [{ request: { method: POST, url: /publish, json: { text: 'item {marker}' } } }]
    observe: { selector: li, text: 'item {marker}' }
`;

/**
 * A profile for a TLS target: probes on /health, realtime over its SSE stream, its WebSocket or in Chromium,
 * a short load, and (with `security`) a small security audit. `target` holds extra lines under target:.
 */
export function tlsTargetProfile(url: string, opts: { target?: string; mode?: RealtimeMode; security?: boolean } = {}): string {
  const mode = opts.mode ?? 'sse';
  const realtime =
    mode === 'browser'
      ? BROWSER_MODE
      : `    mode: ${mode}\n    stream: ${mode === 'sse' ? '/events' : '/ws'}?client={clientId}\n    publish: { url: /publish, json: { text: 'item {marker}' } }\n`;
  const security = opts.security
    ? '  security:\n    paths: [/]\n    cors: { allowedOrigins: [] }\n    errors: { enabled: false }\n'
    : '';
  return `name: tls
target:
  baseUrl: ${url}
${opts.target ?? ''}
timeouts: { request: 5s, gate: 30s }
gates:
  probes:
    liveness: { path: /health, conditions: ['body.status == "ok"'], maxLatency: 30s }
    readiness: { path: /health, maxLatency: 30s }
    samples: 1
${security}  realtime:
${realtime}    rounds: 2
    latency: p95 < 5s
    timeouts: { round: 3s, step: 5s }
  load:
    endpoints: [{ path: /health, thresholds: ['errors < 1%'] }]
    warmup: 0s
    duration: 1s
    connections: 2
`;
}
