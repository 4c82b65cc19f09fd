// A small API list endpoint for the load gate to drive, with two flaws a load test must catch:
// a handler that burns CPU synchronously (every request queues behind it) and intermittent 500s.
import { sendJson, sendProblem, type DemoModule } from './app.js';

const PRODUCTS = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: `Product ${i + 1}`, priceCents: 500 + i * 125, inStock: i % 4 !== 3 }));

/** A synchronous busy loop, like an unindexed sort or a JSON blob re-parsed per request. */
function burnCpu(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: nothing else on this event loop runs meanwhile
  }
}

export const load: DemoModule = {
  flaws: {
    'load-slow': 'GET /api/products burns ~40 ms of CPU per request (a synchronous loop), so requests queue under load',
    'load-errors': 'GET /api/products answers 500 to every 20th request (5 %)',
  },
  install(app, flaws) {
    let served = 0;
    app.route('GET', '/api/products', (r) => {
      served++;
      if (flaws.has('load-slow')) burnCpu(40);
      // Every 20th request, so the error rate is exactly 5 % and tests stay deterministic.
      if (flaws.has('load-errors') && served % 20 === 0) return sendProblem(r.res, 500, 'Internal Server Error', 'the product store did not answer', r.requestId);
      sendJson(r.res, 200, { items: PRODUCTS, total: PRODUCTS.length });
    });
  },
};
