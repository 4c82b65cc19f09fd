// The live list: a page (/live) whose items are added with POST /api/live/items and pushed to every
// open page over Server-Sent Events (/api/live/events) or a WebSocket (/api/live/ws).
// Each connection names its client (?client=<id>); a POST names its sender with X-Client-Id.
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { WebSocket, WebSocketServer } from 'ws';
import { sendJson, sendProblem, type DemoApp, type DemoModule, type DemoRequest } from './app.js';
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
    const feed = new LiveFeed(flaws);
    installPages(app, flaws);
    installItems(app, feed);
    installStreams(app, feed);
    return () => feed.close();
  },
};

/** The items and the open subscriptions they are pushed to, with the demo's broadcast flaws. */
class LiveFeed {
  readonly items: LiveItem[] = [];
  readonly subscribers = new Set<Subscriber>();
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  private lastBroadcast = -Infinity;
  private readonly heartbeat: NodeJS.Timeout;
  // ws loads on the first WebSocket upgrade: `shipgate demo` imports these modules to check flaw
  // names, and most runs use Server-Sent Events only.
  private wss: WebSocketServer | undefined;

  constructor(private readonly flaws: ReadonlySet<string>) {
    // Proxies drop idle streams; a comment (SSE) or ping (WebSocket) now and then keeps them open.
    this.heartbeat = setInterval(() => {
      for (const s of this.subscribers) s.ping();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  webSockets(): WebSocketServer {
    return (this.wss ??= new (createRequire(import.meta.url)('ws') as typeof import('ws')).WebSocketServer({
      noServer: true,
      maxPayload: 16 * 1024,
    }));
  }

  add(text: string): LiveItem {
    const item: LiveItem = { id: this.nextId++, text, createdAt: new Date().toISOString() };
    this.items.push(item);
    if (this.items.length > MAX_ITEMS) this.items.shift();
    return item;
  }

  broadcast(item: LiveItem, sender: string | undefined): void {
    // The flaw: a throttle that keeps the first of several quick changes and drops the rest.
    if (this.flaws.has('drops-burst')) {
      const now = performance.now();
      if (now - this.lastBroadcast < BURST_WINDOW_MS) return;
      this.lastBroadcast = now;
    }
    if (!this.flaws.has('realtime-slow')) return this.deliver(item, sender);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.deliver(item, sender);
    }, SLOW_BROADCAST_MS);
    this.timers.add(t);
  }

  private deliver(item: LiveItem, sender: string | undefined): void {
    for (const s of this.subscribers) {
      // The flaw: the server answers only the connection that made the change.
      if (this.flaws.has('realtime-no-broadcast') && (sender === undefined || s.clientId !== sender)) continue;
      s.send(item);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscribers) s.close();
    this.subscribers.clear();
    this.wss?.close();
  }
}

/** The live page and its assets. */
function installPages(app: DemoApp, flaws: ReadonlySet<string>): void {
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
}

/** The item list: read it, or add an item and broadcast it. */
function installItems(app: DemoApp, feed: LiveFeed): void {
  app.route('GET', '/api/live/items', (r) => sendJson(r.res, 200, { items: feed.items }));

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
    const sender = clientIdOf(r.req.headers['x-client-id']) ?? clientIdOf(body?.clientId);
    const item = feed.add(text);
    sendJson(r.res, 201, { item });
    feed.broadcast(item, sender);
  });
}

/** The two ways to subscribe: Server-Sent Events and a WebSocket. */
function installStreams(app: DemoApp, feed: LiveFeed): void {
  app.route('GET', '/api/live/events', (r) => {
    const res: ServerResponse = r.res;
    const sub: Subscriber = {
      clientId: clientIdOf(r.url.searchParams.get('client')),
      send: (item) => res.write(`id: ${item.id}\ndata: ${JSON.stringify({ type: 'item', item })}\n\n`),
      ping: () => res.write(': ping\n\n'),
      close: () => res.end(),
    };
    // Registered before the head is sent: once a client sees the stream open, it gets every event.
    feed.subscribers.add(sub);
    r.req.on('close', () => feed.subscribers.delete(sub));
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
    // A reconnecting EventSource sends Last-Event-ID: replay what it missed.
    const last = Number(r.req.headers['last-event-id']);
    if (Number.isInteger(last)) for (const item of feed.items) if (item.id > last) sub.send(item);
  });

  app.upgrade('/api/live/ws', (req, socket, head) => {
    feed.webSockets().handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const url = new URL(req.url ?? '/', 'http://demo.invalid');
      const sub: Subscriber = {
        clientId: clientIdOf(url.searchParams.get('client')),
        send: (item) => ws.send(JSON.stringify({ type: 'item', item })),
        ping: () => ws.ping(),
        close: () => ws.terminate(),
      };
      feed.subscribers.add(sub);
      ws.on('close', () => feed.subscribers.delete(sub));
      ws.on('error', () => feed.subscribers.delete(sub));
    });
  });
}
