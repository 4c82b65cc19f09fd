// A small API list endpoint for the load gate to drive, with the flaws a load test must catch: a handler
// that burns CPU synchronously (every request queues behind it), intermittent 500s, a stalled 2 % tail,
// and a database pool of 4 that makes everything beyond 4 concurrent requests wait.
import { sendJson, sendProblem, type DemoModule } from './app.js';

const PRODUCTS = Array.from({ length: 12 }, (_, i) => ({
  id: i + 1,
  name: `Product ${i + 1}`,
  priceCents: 500 + i * 125,
  inStock: i % 4 !== 3,
}));

/** A synchronous busy loop, like an unindexed sort or a JSON blob re-parsed per request. */
function burnCpu(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: nothing else on this event loop runs meanwhile
  }
}

/** A pool of `size` connections: a query waits for a free one, holds it for `ms`, gives it back. */
function pool(size: number, ms: number): () => Promise<void> {
  let free = size;
  const waiting: (() => void)[] = [];
  return async () => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    await new Promise((resolve) => setTimeout(resolve, ms));
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
}

export const load: DemoModule = {
  flaws: {
    'load-slow': 'GET /api/products burns ~40 ms of CPU per request (a synchronous loop), so requests queue under load',
    'load-errors': 'GET /api/products answers 500 to every 20th request (5 %)',
    'p99-spike': 'every 50th GET /api/products stalls 700 ms (p95 fine, p99 ≈ 700 ms)',
    'conn-limit':
      'GET /api/products runs a 50 ms query through a pool of 4 connections, so beyond 4 concurrent requests everything queues',
  },
  install(app, flaws) {
    let served = 0;
    const query = pool(4, 50);
    app.route('GET', '/api/products', async (r) => {
      served++;
      if (flaws.has('p99-spike') && served % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 700));
      if (flaws.has('conn-limit')) await query();
      if (flaws.has('load-slow')) burnCpu(40);
      // Every 20th request, so the error rate is exactly 5 % and tests stay deterministic.
      if (flaws.has('load-errors') && served % 20 === 0)
        return sendProblem(r.res, 500, 'Internal Server Error', 'the product store did not answer', r.requestId);
      sendJson(r.res, 200, { items: PRODUCTS, total: PRODUCTS.length });
    });
  },
};
