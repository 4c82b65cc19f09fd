// A TCP proxy on 127.0.0.1 that makes a loopback target look far away: every chunk waits `delayMs` in
// each direction, and a new connection costs one extra round trip (the SYN/SYN-ACK a real network
// charges before the first byte of the request can leave). Order within a direction is kept.
import { connect, createServer } from 'node:net';

/**
 * Starts the proxy in front of 127.0.0.1:<upstreamPort>. `delayMs` can be changed between runs
 * (`proxy.delayMs = 25`); connections opened afterwards use the new value.
 */
export async function startDelayProxy(upstreamPort, delayMs = 0) {
  const sockets = new Set();
  const proxy = { delayMs, port: 0, connections: 0, close };
  const server = createServer((client) => {
    proxy.connections++;
    const delay = proxy.delayMs;
    // The client may write before the handshake would have completed: hold it until then.
    const handshakeDone = performance.now() + 2 * delay;
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    pipeDelayed(client, upstream, delay, handshakeDone);
    pipeDelayed(upstream, client, delay, 0);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  proxy.port = server.address().port;

  function close() {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }
  return proxy;
}

/** Forwards `from` → `to`, each chunk (and the end of the stream) `delay` ms late, never before `notBefore`. */
function pipeDelayed(from, to, delay, notBefore) {
  const queue = [];
  let timer;
  const pump = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length && queue[0].at <= now) {
      const item = queue.shift();
      if (item.end) to.end();
      else to.write(item.chunk);
    }
    if (queue.length) timer = setTimeout(pump, queue[0].at - now);
  };
  const push = (item) => {
    const at = Math.max(performance.now(), notBefore) + delay;
    queue.push({ ...item, at });
    if (delay === 0 && notBefore === 0) return pump();
    if (!timer) timer = setTimeout(pump, Math.max(0, queue[0].at - performance.now()));
  };
  from.on('data', (chunk) => push({ chunk }));
  from.on('end', () => push({ end: true }));
  from.on('close', () => {
    // A reset (not a clean end) is passed on at once: nothing more can arrive anyway.
    if (!from.readableEnded) to.destroy();
  });
}
