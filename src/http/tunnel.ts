// A connection to the target the way the run's trust says: direct or through the proxy's CONNECT tunnel,
// and, for https/wss, TLS verified with the run's CA, SNI and client certificate. Clients that cannot be
// given a proxy or a trust store of their own (autocannon, ws through a proxy) connect through this.
import { once } from 'node:events';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { proxyFor, type Trust } from './trust.js';

export class TunnelError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TunnelError';
  }
}

function defaultPort(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
}

/** A plain TCP connection to host:port, through the proxy's CONNECT when one applies. */
export async function rawConnection(target: URL, trust: Trust, timeoutMs: number): Promise<Socket> {
  const port = defaultPort(target);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const proxy = proxyFor(target, trust.proxy);
  const socket = proxy ? netConnect(defaultPort(new URL(proxy)), new URL(proxy).hostname) : netConnect(port, host);
  socket.setTimeout(timeoutMs, () =>
    socket.destroy(Object.assign(new Error(`no connection within ${timeoutMs}ms`), { code: 'ETIMEDOUT' })),
  );
  await once(socket, 'connect');
  if (proxy) {
    const p = new URL(proxy);
    const auth = p.username
      ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(p.username)}:${decodeURIComponent(p.password)}`).toString('base64')}\r\n`
      : '';
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
    const head = await readHead(socket);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
    if (status !== 200) {
      socket.destroy();
      throw new TunnelError(
        `the proxy ${p.host} refused CONNECT ${authority}: ${head.split('\r\n')[0] || 'no answer'}`,
        'EPROXY',
      );
    }
  }
  socket.setTimeout(0);
  return socket;
}

/** Reads the proxy's answer up to the blank line; nothing after it is consumed (the tunnel is silent until used). */
async function readHead(socket: Socket): Promise<string> {
  let head = '';
  for (;;) {
    const chunk: Buffer | null = socket.read();
    if (chunk) {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end >= 0) {
        const rest = head.slice(end + 4);
        if (rest) socket.unshift(Buffer.from(rest, 'latin1'));
        return head.slice(0, end);
      }
      if (head.length > 16 * 1024) return head;
      continue;
    }
    const [event] = await Promise.race([
      once(socket, 'readable').then(() => ['readable']),
      once(socket, 'end').then(() => ['end']),
    ]);
    if (event === 'end') return head;
  }
}

/** Connects to the target (direct or tunnelled); https/wss get TLS with the run's trust, verified unless insecure. */
export async function openConnection(target: URL, trust: Trust, timeoutMs: number): Promise<Socket | TLSSocket> {
  const socket = await rawConnection(target, trust, timeoutMs);
  if (target.protocol !== 'https:' && target.protocol !== 'wss:') return socket;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const servername = trust.tls.servername ?? (isIP(host) ? undefined : host);
  const secure = tlsConnect({ socket, host, ...trust.tls, servername, ALPNProtocols: ['http/1.1'] });
  try {
    await once(secure, 'secureConnect');
  } catch (err) {
    socket.destroy();
    throw err;
  }
  return secure;
}
