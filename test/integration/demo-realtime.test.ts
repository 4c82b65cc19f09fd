// The demo's live list without a browser: the page obeys a strict CSP (no inline code), items are
// validated, pushed over SSE and WebSocket, and the two flaws do exactly what they say.
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { test } from 'node:test';
import WebSocket from 'ws';
import { withDemo } from '../helpers/servers.js';

interface Stream {
  /** Resolves with the next `data:` payload, parsed. */
  next(): Promise<any>;
  ended: Promise<void>;
  close(): void;
}

function sse(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/event-stream/);
      const queue: any[] = [];
      const waiters: ((v: any) => void)[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (!data) continue;
          const value = JSON.parse(data);
          const w = waiters.shift();
          if (w) w(value);
          else queue.push(value);
        }
      });
      const ended = new Promise<void>((r) => res.on('close', () => r()));
      resolve({
        next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r))),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

async function post(base: string, text: unknown, clientId?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/api/live/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(clientId ? { 'x-client-id': clientId } : {}) },
    body: typeof text === 'string' && text.startsWith('{raw}') ? text.slice(5) : JSON.stringify({ text }),
  });
  return { status: res.status, body: await res.json() };
}

test('the live page loads its script and style from files: no inline code a strict CSP would block', async () => {
  await withDemo([], async (demo) => {
    const page = await fetch(`${demo.url}/live`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /<script src="\/live\.js" defer><\/script>/);
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'an inline <script>');
    assert.doesNotMatch(html, /<style|\sstyle=/, 'inline style');
    assert.doesNotMatch(html, /\son[a-z]+=/, 'an inline event handler');
    for (const [path, type] of [
      ['/live.js', /^text\/javascript/],
      ['/live.css', /^text\/css/],
      ['/live-icon.svg', /^image\/svg\+xml/],
    ] as const) {
      const res = await fetch(demo.url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', type, path);
    }
  });
});

test('adding an item: validated, answered 201, listed', async () => {
  await withDemo([], async (demo) => {
    assert.equal((await post(demo.url, '')).status, 422);
    assert.equal((await post(demo.url, 'x'.repeat(201))).status, 422);
    const malformed = await post(demo.url, '{raw}{not json');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.status, 400);
    const ok = await post(demo.url, 'milk');
    assert.equal(ok.status, 201);
    assert.equal(ok.body.item.text, 'milk');
    const list = await (await fetch(`${demo.url}/api/live/items`)).json();
    assert.deepEqual(
      list.items.map((i: any) => i.text),
      ['milk'],
    );
  });
});

test('every SSE subscriber gets every item; a reconnecting one gets what it missed (Last-Event-ID)', async () => {
  await withDemo([], async (demo) => {
    const a = await sse(`${demo.url}/api/live/events?client=a`);
    const b = await sse(`${demo.url}/api/live/events?client=b`);
    await post(demo.url, 'one', 'a');
    assert.equal((await a.next()).item.text, 'one');
    assert.equal((await b.next()).item.text, 'one');
    await post(demo.url, 'two');
    const two = await b.next();
    assert.equal(two.item.text, 'two');
    const late = await sse(`${demo.url}/api/live/events?client=c`, { 'last-event-id': String(two.item.id - 1) });
    assert.equal((await late.next()).item.text, 'two');
    [a, b, late].forEach((s) => s.close());
  });
});

test('the WebSocket endpoint carries the same events; an unknown upgrade path is refused', async () => {
  await withDemo([], async (demo) => {
    const ws = new WebSocket(`${demo.url.replace('http', 'ws')}/api/live/ws?client=w`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const message = new Promise<any>((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
    await post(demo.url, 'over ws');
    assert.equal((await message).item.text, 'over ws');
    ws.close();
    const stray = new WebSocket(`${demo.url.replace('http', 'ws')}/nowhere`);
    const status = await new Promise<number>((r) =>
      stray.once('unexpected-response', (_q, res) => r(res.statusCode ?? 0)).once('error', () => r(-1)),
    );
    assert.equal(status, 404);
  });
});

test("realtime-no-broadcast: an item reaches only its sender's own connection", async () => {
  await withDemo(['realtime-no-broadcast'], async (demo) => {
    const a = await sse(`${demo.url}/api/live/events?client=a`);
    const b = await sse(`${demo.url}/api/live/events?client=b`);
    await post(demo.url, 'from a', 'a');
    assert.equal((await a.next()).item.text, 'from a');
    // Events on one connection arrive in order: if B had got "from a", it would come before "from b".
    await post(demo.url, 'from b', 'b');
    assert.equal((await b.next()).item.text, 'from b');
    a.close();
    b.close();
  });
});

test('realtime-slow: a broadcast arrives no sooner than 3 s after the change', async () => {
  await withDemo(['realtime-slow'], async (demo) => {
    const a = await sse(`${demo.url}/api/live/events?client=a`);
    const started = performance.now();
    await post(demo.url, 'slow');
    assert.equal((await a.next()).item.text, 'slow');
    assert.ok(performance.now() - started >= 2_990, 'the flaw delays each broadcast by 3 s');
    a.close();
  });
});

test('closing the demo ends open event streams and WebSockets, so the server stops at once', async () => {
  let streams: Stream[] = [];
  let ws: WebSocket | undefined;
  let wsClosed: Promise<void> | undefined;
  await withDemo(['realtime-slow'], async (demo) => {
    streams = [await sse(`${demo.url}/api/live/events?client=a`), await sse(`${demo.url}/api/live/events?client=b`)];
    ws = new WebSocket(`${demo.url.replace('http', 'ws')}/api/live/ws`);
    await new Promise((r) => ws!.once('open', r));
    wsClosed = new Promise((r) => ws!.once('close', () => r()));
    await post(demo.url, 'pending broadcast'); // a delayed broadcast timer is pending too
  });
  await Promise.all([...streams.map((s) => s.ended), wsClosed]);
});
