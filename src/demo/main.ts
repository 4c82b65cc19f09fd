#!/usr/bin/env node
// The demo target as its own process, the way `shipgate demo` starts it (target.start):
//   PORT=4100 DEMO_SESSION_SECRET=… SHIPGATE_DEMO_FLAWS=ready-fails node dist/src/demo/main.js
//   node dist/src/demo/main.js --port 4100 --host 127.0.0.1 --flaws ready-fails
// It validates its configuration at startup (fail fast, naming what is missing) and shuts down gracefully
// on SIGTERM: stop accepting, finish the requests in flight, exit 0 — unless a lifecycle flaw says otherwise.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { REQUIRED_ENV } from './lifecycle.js';
import { checkFlaws, startDemoServer } from './server.js';

const DRAIN_TIMEOUT_MS = 10_000;

function fail(message: string, code: number): never {
  process.stderr.write(`demo target: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, flaws: { type: 'string' } } }).values;
} catch (err) {
  fail(`${(err as Error).message}; usage: main.js [--port N] [--host H] [--flaws a,b]`, 2);
}
const flaws = (args.flaws ?? process.env.SHIPGATE_DEMO_FLAWS ?? '')
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
try {
  checkFlaws(flaws);
} catch (err) {
  fail((err as Error).message, 2);
}
const port = Number(args.port ?? process.env.PORT ?? 4100);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`PORT must be a port number (0-65535), got ${JSON.stringify(args.port ?? process.env.PORT)}`, 2);
const host = args.host ?? process.env.HOST ?? '127.0.0.1';

// Fail fast: refuse to start without the configuration the app needs, and say which.
if (!flaws.includes('no-fail-fast')) {
  const secret = process.env[REQUIRED_ENV];
  if (!secret) fail(`${REQUIRED_ENV} is not set; refusing to start (set it to a random string of at least 16 characters)`, 1);
  if (secret.length < 16)
    fail(`${REQUIRED_ENV} is too short (${secret.length} characters, need at least 16); refusing to start`, 1);
}

// HTTPS when given a certificate (`shipgate demo --tls`), with a plain-http port that redirects to it.
const tlsFiles =
  process.env.SHIPGATE_DEMO_TLS_CERT && process.env.SHIPGATE_DEMO_TLS_KEY
    ? {
        cert: readFileSync(process.env.SHIPGATE_DEMO_TLS_CERT, 'utf8'),
        key: readFileSync(process.env.SHIPGATE_DEMO_TLS_KEY, 'utf8'),
      }
    : undefined;
let demo;
try {
  demo = await startDemoServer({ flaws, port, host, tls: tlsFiles });
} catch (err) {
  fail(`cannot listen on ${host}:${port}: ${(err as Error).message}`, 1);
}
const httpPort = Number(process.env.SHIPGATE_DEMO_HTTP_PORT);
if (tlsFiles && Number.isInteger(httpPort) && httpPort > 0) {
  const redirector = createHttpServer((req, res) =>
    res.writeHead(301, { location: `https://${host}:${port}${req.url ?? '/'}` }).end(),
  );
  redirector.listen(httpPort, host);
  process.once('exit', () => redirector.close());
  demo.server.once('close', () => redirector.close());
}
const server = demo.server;

// Requests in flight, so shutdown can wait for them (streams such as SSE never finish on their own).
const inFlight = new Set<ServerResponse>();
server.on('request', (_req, res: ServerResponse) => {
  inFlight.add(res);
  res.once('close', () => inFlight.delete(res));
});
const finite = () => [...inFlight].filter((res) => !String(res.getHeader('content-type') ?? '').startsWith('text/event-stream'));

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (flaws.includes('ignores-sigterm') && signal === 'SIGTERM') {
    process.stdout.write('demo target: SIGTERM received; ignoring it (flaw ignores-sigterm)\n');
    return;
  }
  if (flaws.includes('drops-inflight')) {
    process.stdout.write(
      `demo target: ${signal} received; exiting at once, ${inFlight.size} request(s) in flight dropped (flaw drops-inflight)\n`,
    );
    process.exit(0);
  }
  if (stopping) {
    process.stdout.write(`demo target: second ${signal}; exiting now\n`);
    process.exit(1);
  }
  stopping = true;
  process.stdout.write(
    `demo target: ${signal} received; no longer accepting connections, finishing ${finite().length} request(s) in flight\n`,
  );
  server.close();
  server.closeIdleConnections();
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (finite().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const left = finite().length;
  await demo!.close();
  process.stdout.write(
    left
      ? `demo target: ${left} request(s) still running after ${DRAIN_TIMEOUT_MS / 1000}s; stopped anyway\n`
      : 'demo target: drained; bye\n',
  );
  process.exit(left ? 1 : 0);
}
process.on('SIGTERM', (s) => void shutdown(s));
process.on('SIGINT', (s) => void shutdown(s));

process.stdout.write(`demo target listening on ${demo.url}${flaws.length ? ` with flaws: ${flaws.join(', ')}` : ''}\n`);
