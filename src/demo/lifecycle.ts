// The demo target's process lifecycle: a slow endpoint to have a request in flight during shutdown, and the
// flaws of a process that shuts down or starts up badly. The flaws act in main.ts (the demo as its own
// process); an in-process demo (startDemoServer) accepts them but has no process to misbehave with.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoModule } from './app.js';

/** The environment variable the demo refuses to start without (its fail-fast configuration check). */
export const REQUIRED_ENV = 'DEMO_SESSION_SECRET';

export const lifecycle: DemoModule = {
  flaws: {
    'ignores-sigterm': 'the process keeps running (and accepting) after SIGTERM',
    'drops-inflight': 'on SIGTERM the process exits at once, cutting requests in flight',
    'no-fail-fast': `the process starts without its required ${REQUIRED_ENV}`,
  },
  install(app) {
    // GET /slow?ms=1000: headers at once, the body after a delay — a request that is demonstrably in flight.
    app.route('GET', '/slow', async (r) => {
      const asked = Number(r.url.searchParams.get('ms') ?? 1000);
      const ms = Number.isFinite(asked) ? Math.min(Math.max(asked, 0), 10_000) : 1000;
      r.res.statusCode = 200;
      r.res.setHeader('Content-Type', 'application/json; charset=utf-8');
      r.res.setHeader('Cache-Control', 'no-store');
      r.res.flushHeaders();
      await sleep(ms);
      r.res.end(JSON.stringify({ status: 'ok', tookMs: ms }));
    });
  },
};
