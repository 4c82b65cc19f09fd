// The load gate against the real demo target and small servers on 127.0.0.1. Short loads, few
// connections: the machine is shared. Assertions are on behaviour, never on speed: where a number
// is checked it is a lower bound the server guarantees (a 40 ms handler never answers in 20 ms).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gate } from '../../checks/load/index.js';
import type { LoadConfig } from '../../checks/load/schema.js';
import type { GateContext } from '../../src/gates/contract.js';
import { HttpClient } from '../../src/http/client.js';
import { parseProfile } from '../../src/profile/load.js';
import { Redactor } from '../../src/redact.js';
import type { CheckResult, RunResult } from '../../src/result.js';
import { runProfile } from '../../src/runner/run.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { closedPort, withDemo, withServer } from '../helpers/servers.js';

const profile = (url: string, load: string, target = '') => `name: t
target:
  baseUrl: ${url}
${target}timeouts:
  request: 5s
  gate: 60s
gates:
  load:
${load}`;

const products = (thresholds: string, extra = '') => `    endpoints:
      - name: products
        path: /api/products
        thresholds: ${thresholds}
    connections: 2
    warmup: 200ms
    duration: 1s
${extra}`;

async function runWith(yaml: string, opts: { allowLoad?: boolean; progress?: string[] } = {}): Promise<RunResult> {
  return runProfile({
    loaded: parseProfile(yaml, 'test.yaml', {}),
    gates: ['load'],
    failOn: 'fail',
    reporter: { name: 'capture', onProgress: (_g, m) => opts.progress?.push(m) },
    artifactsDir: mkdtempSync(join(tmpdir(), 'shipgate-load-')),
    version: 'test',
    allowLoad: opts.allowLoad,
  });
}

test('the healthy demo target passes its thresholds, with a per-endpoint summary and live progress', async () => {
  await withDemo([], async (demo) => {
    const progress: string[] = [];
    const r = await runWith(profile(demo.url, products('[p95 < 1s, errors < 1%, "timeouts == 0"]')), { progress });
    assert.deepEqual(statuses(r, 'load'), {
      'load.safety.hosts': 'pass',
      'load.run': 'pass',
      'load.summary.products': 'pass',
      'load.threshold.products.p95': 'pass',
      'load.threshold.products.errors': 'pass',
      'load.threshold.products.timeouts': 'pass',
      'load.tail.products': 'pass',
      'load.concurrency.products': 'pass',
    });
    const summary = check(r, 'load.summary.products');
    assert.match(
      summary.message,
      /^GET \/api\/products: [\d,]+ requests in \d\.\d\ds \([\d,.]+ rps\) · p50 .* · p95 .* · p99 .* · max .* · 200×[\d,]+ · errors 0 \(0\.00%\)$/,
    );
    assert.ok(summary.metrics!.responses > 0 && summary.metrics!.p95Ms > 0 && summary.metrics!.rps > 0);
    assert.match(
      summary.evidence!.body!,
      /^endpoint\s+requests\s+rps\s+p50\s+p90\s+p95\s+p99\s+p99\.9\s+max\s+errors\s+status codes\nGET \/api\/products /,
    );
    assert.equal(check(r, 'load.threshold.products.p95').title, 'p95 < 1s (GET /api/products)');
    assert.match(check(r, 'load.threshold.products.p95').message, /^p95 = [\d.]+m?s, threshold < 1s$/);
    assert.ok(
      progress.some((m) => /^measuring [█░]+ [\d.]+m?s\/1\.00s · [\d,.]+ rps · [\d,]+ responses · [\d.]+% errors$/.test(m)),
      `progress lines: ${progress.join(' | ')}`,
    );
  });
});

test('the warm-up is sent but not counted', async () => {
  let served = 0;
  await withServer(
    (_req, res) => {
      served++;
      res.end('ok');
    },
    async (url) => {
      const r = await runYaml(
        profile(
          url,
          `    endpoints: [{path: /, thresholds: [errors < 1%]}]\n    warmup: 500ms\n    duration: 1s\n    connections: 1`,
        ),
        { gates: ['load'] },
      );
      const warmed = check(r, 'load.run').metrics!.warmupRequests;
      const measured = check(r, 'load.summary.root').metrics!.responses;
      assert.ok(warmed > 0, 'the warm-up sent requests');
      assert.ok(served >= warmed + measured, `served ${served}, warm-up ${warmed}, measured ${measured}`);
      assert.match(check(r, 'load.run').message, /; warm-up 500ms \([\d,]+ requests\) not counted$/);
    },
  );
});

test('load-slow: the latency threshold fails with the observed value', async () => {
  await withDemo(['load-slow'], async (demo) => {
    // Every request burns 40 ms of CPU, so no p95 can be under 30 ms.
    const r = await runYaml(profile(demo.url, products('[p95 < 30ms, errors < 1%]')));
    const c = check(r, 'load.threshold.products.p95');
    assert.equal(c.status, 'fail');
    assert.match(c.message, /^p95 = [\d.]+m?s, threshold < 30ms$/);
    assert.ok(c.metrics!.observed >= 40, `observed ${c.metrics!.observed}`);
    assert.equal(check(r, 'load.threshold.products.errors').status, 'pass');
    assert.equal(r.verdict, 'fail');
  });
});

const notPassing = (r: RunResult) =>
  Object.entries(statuses(r, 'load'))
    .filter(([, st]) => st !== 'pass')
    .map(([id, st]) => `${id}=${st}`);

test('p99-spike: every 50th request stalls 700 ms; p95 passes, load.tail warns with the share of slow requests', async () => {
  await withDemo(['p99-spike'], async (demo) => {
    // Long enough for every connection to live through a few stalls (a stall still in flight at the end is not counted).
    const r = await runYaml(
      profile(
        demo.url,
        products('[p95 < 250ms, errors < 1%]')
          .replace('connections: 2', 'connections: 10')
          .replace('duration: 1s', 'duration: 3s'),
      ),
    );
    assert.deepEqual(notPassing(r), ['load.tail.products=warn']);
    const c = check(r, 'load.tail.products');
    assert.match(
      c.message,
      /^p99 7\d\dms is [\d.]+× p95 [\d.]+m?s \(limit 4×\): [12]\.\d % of requests \([\d,]+ of [\d,]+\) took over [\d.]+m?s, while p50 is /,
    );
    assert.ok(c.metrics!.slowSharePct >= 1 && c.metrics!.slowSharePct <= 2.5, `share ${c.metrics!.slowSharePct}`);
  });
});

test('conn-limit: a pool of 4 behind 10 connections fails load.concurrency (p95 still passes) with the served concurrency', async () => {
  await withDemo(['conn-limit'], async (demo) => {
    // As profiles/demo.yaml loads it: 10 connections for 2 s (enough responses to judge the tail too).
    const r = await runYaml(
      profile(
        demo.url,
        products('[p95 < 250ms, errors < 1%]')
          .replace('connections: 2', 'connections: 10')
          .replace('duration: 1s', 'duration: 2s'),
      ),
    );
    assert.deepEqual(notPassing(r), ['load.concurrency.products=fail']);
    const c = check(r, 'load.concurrency.products');
    // 4 connections × 50 ms: at most 80 rps, so about 4 (never more) served at once.
    assert.match(
      c.message,
      /^[\d.]+ rps × [\d.]+ms alone \(1 connection\) ≈ [2-4]\.\d requests served at once, of 10 offered \(floor 5\): requests wait [\d.]+ms on average .*so the endpoint serves only about [2-5] at a time$/,
    );
    assert.ok(c.metrics!.servedConcurrency < 5, `served ${c.metrics!.servedConcurrency}`);
  });
});

test('a pool-of-4 server fails load.concurrency; the same handler without the pool passes', async () => {
  for (const pooled of [true, false]) {
    let free = 4;
    const waiting: (() => void)[] = [];
    await withServer(
      async (_req, res) => {
        if (pooled) {
          if (free > 0) free--;
          else await new Promise<void>((resolve) => waiting.push(resolve));
        }
        setTimeout(() => {
          if (pooled) {
            const next = waiting.shift();
            if (next) next();
            else free++;
          }
          res.setHeader('Content-Type', 'application/json');
          res.end('[]');
        }, 40);
      },
      async (url) => {
        const r = await runYaml(
          profile(
            url,
            `    endpoints: [{path: /api/list, thresholds: [p95 < 1s]}]\n    connections: 10\n    warmup: 200ms\n    duration: 1s\n`,
          ),
          { gates: ['load'] },
        );
        const c = check(r, 'load.concurrency.api-list');
        assert.equal(c.status, pooled ? 'fail' : 'pass', c.message);
        if (pooled)
          assert.match(
            c.message,
            /≈ [2-4]\.\d requests served at once, of 10 offered \(floor 5\).*serves only about [2-5] at a time$/,
          );
        else assert.ok(c.metrics!.servedConcurrency >= 8, c.message);
      },
    );
  }
});

test('load-errors: the error-rate threshold fails with the observed rate and counts', async () => {
  await withDemo(['load-errors'], async (demo) => {
    const r = await runYaml(profile(demo.url, products('[p95 < 1s, errors < 1%]')));
    const c = check(r, 'load.threshold.products.errors');
    assert.equal(c.status, 'fail');
    assert.match(c.message, /^errors = [45]\.\d\d% \([\d,]+ of [\d,]+ requests\), threshold < 1%$/);
    assert.match(check(r, 'load.summary.products').message, /200×[\d,]+ 500×[\d,]+ · errors/);
    assert.equal(check(r, 'load.run').status, 'pass');
  });
});

test('abortOnFail stops the load after its grace period when the error rate is over the threshold', async () => {
  await withDemo(['load-errors'], async (demo) => {
    const r = await runYaml(
      profile(
        demo.url,
        products('[{threshold: "errors < 1%", abortOnFail: true, delayAbortEval: 300ms}]').replace(
          'duration: 1s',
          'duration: 30s',
        ),
      ),
    );
    const run = check(r, 'load.run');
    assert.equal(run.status, 'fail');
    assert.match(
      run.message,
      /^stopped early after \d+\.\d\ds of 30\.0s: abortOnFail: "errors < 1%" failed for GET \/api\/products after .*errors = /,
    );
    assert.ok(run.metrics!.seconds < 30);
    assert.equal(check(r, 'load.threshold.products.errors').status, 'fail');
  });
});

test('several endpoints run at once; the whole run has its own summary and thresholds', async () => {
  await withDemo([], async (demo) => {
    const r = await runYaml(
      profile(
        demo.url,
        `    endpoints:
      - path: /api/products
      - path: /health
        name: health
    connections: 1
    warmup: 0s
    duration: 1s
    thresholds: [errors < 1%, rps > 1]`,
      ),
    );
    assert.equal(check(r, 'load.summary.api-products').status, 'pass');
    assert.equal(check(r, 'load.summary.health').status, 'pass');
    const all = check(r, 'load.summary.run');
    assert.match(all.message, /^all endpoints: /);
    assert.equal(
      all.metrics!.responses,
      check(r, 'load.summary.api-products').metrics!.responses + check(r, 'load.summary.health').metrics!.responses,
    );
    assert.match(all.evidence!.body!, /GET \/api\/products .*\nGET \/health .*\nall endpoints /);
    assert.equal(check(r, 'load.threshold.run.errors').status, 'pass');
    assert.equal(check(r, 'load.threshold.run.rps').title, 'rps > 1 (all endpoints)');
  });
});

test('a load section pointing at a host outside the target is refused, and nothing is sent there', async () => {
  let hits = 0;
  await withServer(
    (_req, res) => {
      hits++;
      res.end('ok');
    },
    async (url) => {
      const other = url.replace('127.0.0.1', 'localhost');
      const load = `    endpoints:
      - url: ${other}/x
        thresholds: [p95 < 1s]
    warmup: 0s
    duration: 1s
    connections: 1
    thresholds: [errors < 1%]`;
      const r = await runYaml(profile(url, load), { gates: ['load'] });
      const c = check(r, 'load.safety.hosts');
      assert.equal(c.status, 'error');
      assert.match(
        c.message,
        /^refusing to send load outside the profile's target: endpoint "x" → localhost:\d+; allowed hosts: 127\.0\.0\.1 \(target\.baseUrl\)\. If that load is intended, add "localhost" to gates\.load\.allowHosts$/,
      );
      assert.equal(check(r, 'load.threshold.x.p95').status, 'skip');
      assert.match(check(r, 'load.threshold.run.errors').message, /not judged: the load was refused \(load\.safety\.hosts\)/);
      assert.equal(hits, 0, 'no request may reach a host outside the target');

      // Listed in allowHosts, the same endpoint is loaded.
      const allowed = await runYaml(profile(url, `${load}\n    allowHosts: [localhost]`), { gates: ['load'] });
      assert.equal(check(allowed, 'load.safety.hosts').status, 'pass');
      assert.equal(check(allowed, 'load.threshold.x.p95').status, 'pass');
      assert.ok(hits > 0);
    },
  );
});

test('a production target is refused without --allow-load, and loaded with it', async () => {
  let hits = 0;
  await withServer(
    (_req, res) => {
      hits++;
      res.end('ok');
    },
    async (url) => {
      const yaml = profile(
        url,
        `    endpoints: [{path: /, thresholds: [errors < 1%]}]\n    warmup: 0s\n    duration: 1s\n    connections: 1`,
        '  production: true\n',
      );
      const refused = await runWith(yaml);
      const c = check(refused, 'load.safety.production');
      assert.equal(c.status, 'error');
      assert.equal(
        c.message,
        'refusing to send load to a production target (target.production: true) without --allow-load; pass --allow-load if this load is planned, or leave the load gate out with --gates',
      );
      assert.equal(check(refused, 'load.threshold.root.errors').status, 'skip');
      assert.equal(refused.verdict, 'error');
      assert.equal(hits, 0);

      const allowed = await runWith(yaml, { allowLoad: true });
      assert.equal(check(allowed, 'load.safety.production').status, 'pass');
      assert.equal(check(allowed, 'load.threshold.root.errors').status, 'pass');
      assert.ok(hits > 0);
    },
  );
});

test('a target that answers nothing: the load stops early and every threshold fails for lack of samples', async () => {
  const port = await closedPort();
  const r = await runYaml(
    profile(
      `http://127.0.0.1:${port}`,
      `    endpoints: [{path: /, thresholds: [p95 < 1s, errors < 1%]}]\n    warmup: 0s\n    duration: 10s\n    connections: 1`,
    ),
    { gates: ['load'] },
  );
  const run = check(r, 'load.run');
  assert.equal(run.status, 'fail');
  assert.match(run.message, /the target answered none of [\d,]+ requests in the first/);
  const p95 = check(r, 'load.threshold.root.p95');
  assert.equal(p95.status, 'fail');
  assert.match(
    p95.message,
    /^no samples: no response was received \([\d,]+ requests, all failed without a response\), so p95 cannot be judged/,
  );
  assert.match(check(r, 'load.threshold.root.errors').message, /^errors = 100\.00% /);
});

test("rate: latencies are corrected with the real send interval, not autocannon's 1 ms one", async () => {
  // A constant 40 ms server. autocannon's own correction (interval ceil(1/rate) = 1 ms) would
  // back-fill 39, 38, … 1 ms and report a median near 20 ms; the true median is ≥ 40 ms.
  await withServer(
    (_req, res) => void setTimeout(() => res.end('ok'), 40),
    async (url) => {
      const r = await runYaml(
        profile(
          url,
          `    endpoints: [{path: /, thresholds: [p50 > 35ms]}]\n    warmup: 0s\n    duration: 1500ms\n    connections: 2\n    rate: 10`,
        ),
        { gates: ['load'] },
      );
      const summary = check(r, 'load.summary.root');
      assert.ok(summary.metrics!.p50Ms >= 35, `p50 ${summary.metrics!.p50Ms}`);
      assert.equal(summary.metrics!.intendedRps, 10);
      assert.match(summary.message, / rps of 10 intended/);
      assert.equal(check(r, 'load.threshold.root.p50').status, 'pass');
    },
  );
});

test('a POST endpoint sends its body (a mapping as JSON) and its headers', async () => {
  const seen: { method: string; type: string; custom: string; body: string }[] = [];
  await withServer(
    (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({
          method: String(req.method),
          type: String(req.headers['content-type']),
          custom: String(req.headers['x-load-test']),
          body,
        });
        res.statusCode = 201;
        res.end('{}');
      });
    },
    async (url) => {
      const r = await runYaml(
        profile(
          url,
          `    endpoints:\n      - {path: /orders, name: orders, method: POST, headers: {x-load-test: "1"}, body: {sku: "A-1", qty: 2}, thresholds: [errors < 1%]}\n    warmup: 0s\n    duration: 1s\n    connections: 1`,
        ),
        { gates: ['load'] },
      );
      assert.equal(check(r, 'load.threshold.orders.errors').status, 'pass');
      assert.match(check(r, 'load.summary.orders').message, /^POST \/orders: .* 201×/);
      assert.ok(seen.length > 0);
      assert.deepEqual(seen[0], { method: 'POST', type: 'application/json', custom: '1', body: '{"sku":"A-1","qty":2}' });
    },
  );
});

// The gate driven directly, with the auth gate's token in the shared state.
function directContext(
  url: string,
  config: string,
  shared: GateContext['shared'],
  results: CheckResult[],
  target = '',
): { ctx: GateContext; config: LoadConfig } {
  const { profile: p } = parseProfile(profile(url, config, target), 'test.yaml', {});
  const baseUrl = new URL(url);
  const signal = AbortSignal.timeout(60_000);
  const redactor = new Redactor();
  const ctx: GateContext = {
    baseUrl,
    profile: p,
    http: new HttpClient({ baseUrl, timeoutMs: 5000, defaultHeaders: {}, signal }),
    signal,
    deadline: Date.now() + 60_000,
    requestTimeoutMs: 5000,
    redactor,
    shared,
    artifactsDir: tmpdir(),
    record: (r) => results.push(redactor.value(r)),
    progress: () => {},
    onCleanup: () => {},
    afterAll: () => {},
  };
  return { ctx, config: p.gates.load as LoadConfig };
}

test("auth: true sends the auth gate's token; without a token the endpoint is skipped with the reason", async () => {
  const seen: { path: string; authorization: string }[] = [];
  await withServer(
    (req, res) => {
      seen.push({ path: String(req.url), authorization: String(req.headers.authorization) });
      res.end('ok');
    },
    async (url) => {
      const load = (suffix: string) =>
        `    endpoints:\n      - {path: /me${suffix}, name: me, auth: true, thresholds: [errors < 1%]}\n      - {path: /public${suffix}, name: public, thresholds: [errors < 1%]}\n    warmup: 0s\n    duration: 1s\n    connections: 1`;
      const withToken: CheckResult[] = [];
      // target.headers has an Authorization of its own: the token replaces it, never doubles it.
      const a = directContext(
        url,
        load('-a'),
        { accessToken: 'tok-secret-123' },
        withToken,
        '  headers:\n    Authorization: Bearer static-key\n',
      );
      await gate.run(a.ctx, a.config);
      const me = seen.filter((r) => r.path === '/me-a');
      assert.ok(
        me.length > 0 && me.every((r) => r.authorization === 'Bearer tok-secret-123'),
        `authorization on /me-a: ${[...new Set(me.map((r) => r.authorization))].join(', ')}`,
      );
      assert.ok(
        seen.filter((r) => r.path === '/public-a').every((r) => r.authorization === 'Bearer static-key'),
        'only auth: true endpoints get the token',
      );
      assert.equal(withToken.find((c) => c.id === 'load.threshold.me.errors')?.status, 'pass');
      assert.ok(!JSON.stringify(withToken).includes('tok-secret-123'), 'the token never appears in results');

      // Without a token (the auth gate did not run), that endpoint is skipped and never requested.
      const without: CheckResult[] = [];
      const b = directContext(url, load('-b'), {}, without);
      await gate.run(b.ctx, b.config);
      const skipped = without.find((c) => c.id === 'load.threshold.me.errors')!;
      assert.equal(skipped.status, 'skip');
      assert.match(skipped.message, /auth: true but there is no access token from the auth gate/);
      assert.equal(without.find((c) => c.id === 'load.summary.me')?.status, 'skip');
      assert.equal(without.find((c) => c.id === 'load.threshold.public.errors')?.status, 'pass');
      assert.ok(!seen.some((r) => r.path === '/me-b'), 'a skipped endpoint gets no traffic');
    },
  );
});
