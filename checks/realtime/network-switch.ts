// A real network cut for one browser context. Playwright's setOffline() only fails new requests:
// an open EventSource keeps streaming, so a reconnect test built on it alone proves nothing. B's context
// is routed through this minimal SOCKS5 relay on 127.0.0.1 instead; "offline" destroys every relayed
// connection and refuses new ones, "online" lets them through again.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface NetworkSwitch {
  /** e.g. socks5://127.0.0.1:40123, for Playwright's `proxy.server`. */
  proxyUrl: string;
  setOnline(online: boolean): void;
  /** Connections relayed so far (a test sees that traffic really went through). */
  readonly relayed: number;
  close(): Promise<void>;
}

const SOCKS_VERSION = 5;

export async function startNetworkSwitch(): Promise<NetworkSwitch> {
  let online = true;
  let relayed = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const server: Server = createServer((client) => {
    track(client);
    if (!online) return void client.destroy();
    handshake(client).then(
      (target) => {
        if (!target || !online) return void client.destroy();
        const upstream = connect({ host: target.host, port: target.port });
        track(upstream);
        upstream.once('connect', () => {
          relayed++;
          // Reply "succeeded", bound address 0.0.0.0:0 (clients ignore it).
          client.write(Buffer.from([SOCKS_VERSION, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          client.pipe(upstream).pipe(client);
        });
        upstream.once('error', () => {
          // Reply "connection refused" if we are still in the handshake, then hang up.
          if (!client.destroyed) client.end(Buffer.from([SOCKS_VERSION, 5, 0, 1, 0, 0, 0, 0, 0, 0]));
        });
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    proxyUrl: `socks5://127.0.0.1:${port}`,
    get relayed() {
      return relayed;
    },
    setOnline(on) {
      online = on;
      if (!on) for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads bytes until `n` are buffered; the rest stays for the next read. */
function reader(socket: Socket) {
  let buf = Buffer.alloc(0);
  let waiting: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  const pump = () => {
    if (waiting && buf.length >= waiting.n) {
      const out = buf.subarray(0, waiting.n);
      buf = buf.subarray(waiting.n);
      const w = waiting;
      waiting = undefined;
      w.resolve(out);
    }
  };
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    pump();
  };
  socket.on('data', onData);
  socket.once('close', () => waiting?.reject(new Error('closed during the SOCKS handshake')));
  return {
    read(n: number): Promise<Buffer> {
      return new Promise((resolve, reject) => {
        waiting = { n, resolve, reject };
        pump();
      });
    },
    /** Stops reading; anything buffered past the handshake is handed back to the stream. */
    release() {
      socket.off('data', onData);
      socket.pause(); // until pipe() resumes it, nothing may be lost

      if (buf.length) socket.unshift(buf);
    },
  };
}

/** SOCKS5, no authentication, CONNECT only (RFC 1928). Returns the requested target. */
async function handshake(socket: Socket): Promise<{ host: string; port: number } | undefined> {
  const r = reader(socket);
  try {
    const [version, nMethods] = await r.read(2);
    if (version !== SOCKS_VERSION) return undefined;
    const methods = await r.read(nMethods);
    if (!methods.includes(0)) {
      socket.write(Buffer.from([SOCKS_VERSION, 0xff]));
      return undefined;
    }
    socket.write(Buffer.from([SOCKS_VERSION, 0]));
    const [, command, , addressType] = await r.read(4);
    let host: string;
    if (addressType === 1) host = [...(await r.read(4))].join('.');
    else if (addressType === 3) host = (await r.read((await r.read(1))[0])).toString('latin1');
    else if (addressType === 4) {
      const b = await r.read(16);
      host = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');
    } else return undefined;
    const port = (await r.read(2)).readUInt16BE(0);
    if (command !== 1) {
      socket.end(Buffer.from([SOCKS_VERSION, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
      return undefined;
    }
    return { host, port };
  } catch {
    return undefined;
  } finally {
    r.release();
  }
}
