// The run's trust as options of the `ws` client: the TLS options (CA, insecure, SNI, client certificate)
// and, when a proxy applies, a connection through its CONNECT tunnel (ws knows no proxy of its own).
import type { Duplex } from 'node:stream';
import type { ClientOptions } from 'ws';
import { openConnection } from './tunnel.js';
import { proxyFor, type Trust } from './trust.js';

export function wsTrustOptions(target: URL, trust: Trust, timeoutMs: number): ClientOptions {
  const tunnel = proxyFor(target, trust.proxy)
    ? {
        createConnection: ((_: unknown, cb: (err: Error | null, s?: Duplex) => void) =>
          void openConnection(target, trust, timeoutMs).then(
            (s) => cb(null, s),
            (e: Error) => cb(e),
          )) as never,
      }
    : {};
  return { ...trust.tls, ...tunnel };
}
