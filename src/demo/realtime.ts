// The live list: a page (/live) whose items are added with POST /api/live/items and pushed to every
// open page over Server-Sent Events (/api/live/events) or a WebSocket (/api/live/ws).
// Each connection names its client (?client=<id>); a POST names its sender with X-Client-Id.
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { WebSocket, WebSocketServer } from 'ws';
import { sendJson, sendProblem, type DemoModule, type DemoRequest } from './app.js';
import { JwtSigner } from './jwt.js';
import { LIVE_CSS, LIVE_HTML, LIVE_ICON, LIVE_JS } from './live-page.js';

export interface LiveItem {
  id: number;
  text: string;
  createdAt: string;
}

interface Subscriber {
  clientId?: string;
  send(item: LiveItem): void;
  ping(): void;
  close(): void;
}

const MAX_ITEMS = 200;
const MAX_TEXT = 200;
const SLOW_BROADCAST_MS = 3_000;
const HEARTBEAT_MS = 15_000;
const BURST_WINDOW_MS = 100;
const STORE_TOKEN_JS =
  "fetch('/api/live/session').then(function (r) { return r.json(); }).then(function (b) { localStorage.setItem('live_session', b.token); });";
const CLIENT_ID = /^[A-Za-z0-9._-]{1,100}$/;

function clientIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && CLIENT_ID.test(value) ? value : undefined;
}

function sendText(r: DemoRequest, type: string, body: string): void {
  r.res.statusCode = 200;
  r.res.setHeader('Content-Type', type);
  r.res.setHeader('Cache-Control', 'no-cache');
  r.res.setHeader('Content-Length', Buffer.byteLength(body));
  r.res.end(r.method === 'HEAD' ? undefined : body);
}

export const realtime: DemoModule = {
  flaws: {
    'realtime-no-broadcast': "live list events go only to the sender's own connection, not to other pages",
    'realtime-slow': 'each live list broadcast is delayed by 3 s',
    'token-in-localstorage': 'the live page fetches a session token from script and keeps it in localStorage',
    'drops-burst': 'a leading-edge throttle: a change within 100 ms of the previous broadcast is stored but never pushed',
  },
  install(app, flaws) {
    const items: LiveItem[] = [];
    let nextId = 1;
    const subscribers = new Set<Subscriber>();
    const timers = new Set<NodeJS.Timeout>();
    // ws loads on the first WebSocket upgrade: `shipgate demo` imports these modules to check flaw
    // names, and most runs use Server-Sent Events only.
    let wss: WebSocketServer | undefined;
    const webSockets = () =>
      (wss ??= new (createRequire(import.meta.url)('ws') as typeof import('ws')).WebSocketServer({
        noServer: true,
        maxPayload: 16 * 1024,
      }));

    const deliver = (item: LiveItem, sender: string | undefined) => {
      for (const s of subscribers) {
        // The flaw: the server answers only the connection that made the change.
        if (flaws.has('realtime-no-broadcast') && (sender === undefined || s.clientId !== sender)) continue;
        s.send(item);
      }
    };
    let lastBroadcast = -Infinity;
    const broadcast = (item: LiveItem, sender: string | undefined) => {
      // The flaw: a throttle that keeps the first of several quick changes and drops the rest.
      if (flaws.has('drops-burst')) {
        const now = performance.now();
        if (now - lastBroadcast < BURST_WINDOW_MS) return;
        lastBroadcast = now;
      }
      if (!flaws.has('realtime-slow')) return deliver(item, sender);
      const t = setTimeout(() => {
        timers.delete(t);
        deliver(item, sender);
      }, SLOW_BROADCAST_MS);
      timers.add(t);
    };

    app.route('GET', '/live', (r) => sendText(r, 'text/html; charset=utf-8', LIVE_HTML));
    // The flaw: the page gets a session token from script and stores it where any script can read it.
    const liveJs = flaws.has('token-in-localstorage') ? `${LIVE_JS}\n${STORE_TOKEN_JS}` : LIVE_JS;
    app.route('GET', '/live.js', (r) => sendText(r, 'text/javascript; charset=utf-8', liveJs));
    if (flaws.has('token-in-localstorage')) {
      const signer = new JwtSigner();
      app.route('GET', '/api/live/session', (r) => {
        const now = Math.floor(Date.now() / 1000);
        sendJson(r.res, 200, { token: signer.sign({ sub: 'live-guest', iat: now, exp: now + 600, jti: randomUUID() }) });
      });
    }
    app.route('GET', '/live.css', (r) => sendText(r, 'text/css; charset=utf-8', LIVE_CSS));
    app.route('GET', '/live-icon.svg', (r) => sendText(r, 'image/svg+xml', LIVE_ICON));

    app.route('GET', '/api/live/items', (r) => sendJson(r.res, 200, { items }));

    app.route('POST', '/api/live/items', async (r) => {
      const body = await r.json<{ text?: unknown; clientId?: unknown }>();
      if (body === undefined) return;
      const text = typeof body?.text === 'string' ? body.text.trim() : '';
      if (!text || text.length > MAX_TEXT) {
        return sendProblem(
          r.res,
          422,
          'Unprocessable Content',
          `"text" must be a string of 1 to ${MAX_TEXT} characters`,
          r.requestId,
        );
      }
      const item: LiveItem = { id: nextId++, text, createdAt: new Date().toISOString() };
      items.push(item);
      if (items.length > MAX_ITEMS) items.shift();
      sendJson(r.res, 201, { item });
      broadcast(item, clientIdOf(r.req.headers['x-client-id']) ?? clientIdOf(body?.clientId));
    });

    app.route('GET', '/api/live/events', (r) => {
      const res: ServerResponse = r.res;
      const sub: Subscriber = {
        clientId: clientIdOf(r.url.searchParams.get('client')),
        send: (item) => res.write(`id: ${item.id}\ndata: ${JSON.stringify({ type: 'item', item })}\n\n`),
        ping: () => res.write(': ping\n\n'),
        close: () => res.end(),
      };
      // Registered before the head is sent: once a client sees the stream open, it gets every event.
      subscribers.add(sub);
      r.req.on('close', () => subscribers.delete(sub));
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 1000\n: connected\n\n');
      // A reconnecting EventSource sends Last-Event-ID: replay what it missed.
      const last = Number(r.req.headers['last-event-id']);
      if (Number.isInteger(last)) for (const item of items) if (item.id > last) sub.send(item);
    });

    app.upgrade('/api/live/ws', (req, socket, head) => {
      webSockets().handleUpgrade(req, socket, head, (ws: WebSocket) => {
        const url = new URL(req.url ?? '/', 'http://demo.invalid');
        const sub: Subscriber = {
          clientId: clientIdOf(url.searchParams.get('client')),
          send: (item) => ws.send(JSON.stringify({ type: 'item', item })),
          ping: () => ws.ping(),
          close: () => ws.terminate(),
        };
        subscribers.add(sub);
        ws.on('close', () => subscribers.delete(sub));
        ws.on('error', () => subscribers.delete(sub));
      });
    });

    // Proxies drop idle streams; a comment (SSE) or ping (WebSocket) now and then keeps them open.
    const heartbeat = setInterval(() => {
      for (const s of subscribers) s.ping();
    }, HEARTBEAT_MS);
    heartbeat.unref();

    return () => {
      clearInterval(heartbeat);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of subscribers) s.close();
      subscribers.clear();
      wss?.close();
    };
  },
};
