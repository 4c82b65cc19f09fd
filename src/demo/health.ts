// /health and /ready, with a (simulated) dependency check behind readiness.
import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson, type DemoModule } from './app.js';

export const health: DemoModule = {
  flaws: {
    'ready-fails': 'readiness answers 503 {"status":"degraded"} (its database check fails)',
    'health-slow': 'liveness takes 1.5 s to answer',
  },
  install(app, flaws) {
    const started = Date.now();
    app.route('GET', '/health', async (r) => {
      if (flaws.has('health-slow')) await sleep(1500);
      sendJson(r.res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) });
    });
    app.route('GET', '/ready', (r) => {
      const database = flaws.has('ready-fails') ? 'unreachable' : 'ok';
      const ready = database === 'ok';
      sendJson(r.res, ready ? 200 : 503, { status: ready ? 'ok' : 'degraded', checks: { database } });
    });
  },
};
