// Small real servers on 127.0.0.1 for tests: the demo target, and throwaway ones with custom handlers.
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';

export async function withDemo<T>(flaws: string[], fn: (demo: DemoServer) => Promise<T>): Promise<T> {
  const demo = await startDemoServer({ flaws });
  try {
    return await fn(demo);
  } finally {
    await demo.close();
  }
}

export async function withServer<T>(handler: RequestListener, fn: (url: string, server: Server) => Promise<T>): Promise<T> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await fn(url, server);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, read, released). */
export async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
