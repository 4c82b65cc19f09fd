// A loopback forwarder for clients that cannot verify TLS or use a proxy themselves (autocannon connects
// with rejectUnauthorized: false, hard-coded, and knows no proxy). The client speaks plain HTTP to
// 127.0.0.1; each of its connections becomes one connection to the target opened by openConnection():
// through the proxy when one applies, TLS verified with the run's trust. One connection is opened first, so
// an untrusted certificate refuses the load before any request is sent. (Checking autocannon's own sockets
// on 'secureConnect' would be too late: OpenSSL sends the queued request, Authorization included, as soon as
// the handshake completes, before JavaScript sees the certificate.)
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { toHttpError } from './errors.js';
import { openConnection } from './tunnel.js';
import { proxyFor, type Trust } from './trust.js';

export interface Forwarder {
  /** http://127.0.0.1:<port>: where the client connects instead of the target. */
  origin: string;
  close(): Promise<void>;
}

/** Whether a client without TLS or proxy support of its own must go through a forwarder to reach `url`. */
export function needsForwarder(url: URL, trust: Trust): boolean {
  return url.protocol === 'https:' || proxyFor(url, trust.proxy) !== undefined;
}

/** Starts a forwarder to the origin of `target`, after one verified connection; throws an HttpError (tls, refused, …) if that fails. */
export async function startForwarder(target: URL, trust: Trust, timeoutMs: number): Promise<Forwarder> {
  try {
    (await openConnection(target, trust, timeoutMs)).destroy();
  } catch (err) {
    throw toHttpError(err, target, timeoutMs, false);
  }
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    client.pause();
    openConnection(target, trust, timeoutMs).then(
      (upstream) => {
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
