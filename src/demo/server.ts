// The demo target: a small reference deployment built the way the checklist wants, with flaws to switch on.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { DemoApp } from './app.js';
import { DEMO_FLAWS, DEMO_MODULES } from './modules.js';

export interface DemoServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export class UnknownFlawError extends UsageError {
  override name = 'UnknownFlawError';
}

export function checkFlaws(flaws: string[]): void {
  const unknown = flaws.filter((f) => !Object.hasOwn(DEMO_FLAWS, f));
  if (unknown.length)
    throw new UnknownFlawError(
      `unknown flaw${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')}; known flaws: ${Object.keys(DEMO_FLAWS).join(', ')}`,
    );
}

export async function startDemoServer(
  opts: { flaws?: string[]; port?: number; host?: string; tls?: { cert: string; key: string } } = {},
): Promise<DemoServer> {
  const flaws = new Set(opts.flaws ?? []);
  checkFlaws([...flaws]);
  const app = new DemoApp();
  const cleanups = DEMO_MODULES.map((m) => m.install(app, flaws)).filter((c): c is () => void => typeof c === 'function');
  const server: Server = opts.tls
    ? createHttpsServer({ keepAliveTimeout: 5_000, ...opts.tls }, app.handle)
    : createServer({ keepAliveTimeout: 5_000 }, app.handle);
  server.on('upgrade', app.handleUpgrade);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    server,
    async close() {
      for (const c of cleanups) c();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams (SSE) never end on their own; cut them after a moment.
        setTimeout(() => server.closeAllConnections(), 200).unref();
      });
    },
  };
}
