// `shipgate export k6`: the translation table, and a generated script that parses as JavaScript and,
// run with the k6 modules stubbed, declares the scenarios and requests the profile describes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { thresholdIds } from '../../checks/load/index.js';
import type { LoadConfig, LoadThreshold } from '../../checks/load/schema.js';
import { compileThreshold } from '../../src/lang/thresholds.js';
import { envRefsOf, secretsForExport } from '../../src/commands/export.js';
import { k6Duration, k6Number, renderK6Script, translateThreshold, type ThresholdScope } from '../../checks/load/export-k6.js';
import { parseProfile } from '../../src/profile/load.js';

const t = (source: string, extra: Partial<LoadThreshold> = {}): LoadThreshold => ({
  ...compileThreshold(source),
  abortOnFail: false,
  delayAbortEvalMs: 0,
  ...extra,
});
const endpoint: ThresholdScope = { filter: 'scenario:items', durationMs: 10_000, warmupMs: 0 };
const warm: ThresholdScope = { ...endpoint, warmupMs: 1000 };
const run: ThresholdScope = { filter: '', durationMs: 10_000, warmupMs: 0 };

const table: {
  name: string;
  threshold: LoadThreshold;
  scope: ThresholdScope;
  metric: string;
  expression: string;
  abort?: { delay?: string };
  note?: RegExp;
}[] = [
  {
    name: 'p95 in ms',
    threshold: t('p95 < 200ms'),
    scope: endpoint,
    metric: 'http_req_duration{scenario:items}',
    expression: 'p(95)<200',
  },
  {
    name: 'p(99.9) in seconds',
    threshold: t('p(99.9) <= 1.5s'),
    scope: endpoint,
    metric: 'http_req_duration{scenario:items}',
    expression: 'p(99.9)<=1500',
  },
  {
    name: 'p97.5 in microseconds',
    threshold: t('p97.5 < 800us'),
    scope: endpoint,
    metric: 'http_req_duration{scenario:items}',
    expression: 'p(97.5)<0.8',
  },
  { name: 'avg', threshold: t('avg < 50ms'), scope: run, metric: 'http_req_duration', expression: 'avg<50' },
  { name: 'med', threshold: t('med <= 20ms'), scope: run, metric: 'http_req_duration', expression: 'med<=20' },
  { name: 'min', threshold: t('min >= 1ms'), scope: run, metric: 'http_req_duration', expression: 'min>=1' },
  { name: 'max', threshold: t('max < 2s'), scope: run, metric: 'http_req_duration', expression: 'max<2000' },
  {
    name: 'errors in percent → a rate',
    threshold: t('errors < 1%'),
    scope: endpoint,
    metric: 'http_req_failed{scenario:items}',
    expression: 'rate<0.01',
  },
  {
    name: 'errors 0.5% without float noise',
    threshold: t('errors <= 0.5%'),
    scope: run,
    metric: 'http_req_failed',
    expression: 'rate<=0.005',
  },
  {
    name: 'errors 0.001% without an exponent',
    threshold: t('errors < 0.001%'),
    scope: run,
    metric: 'http_req_failed',
    expression: 'rate<0.00001',
  },
  { name: 'errors == 0%', threshold: t('errors == 0%'), scope: run, metric: 'http_req_failed', expression: 'rate==0' },
  {
    name: 'rps without a warm-up → http_reqs rate',
    threshold: t('rps > 500'),
    scope: run,
    metric: 'http_reqs',
    expression: 'rate>500',
  },
  {
    name: 'rps per endpoint',
    threshold: t('rps >= 45'),
    scope: endpoint,
    metric: 'http_reqs{scenario:items}',
    expression: 'rate>=45',
  },
  {
    name: 'rps with a warm-up → a count over the measured time',
    threshold: t('rps > 500'),
    scope: warm,
    metric: 'http_reqs{scenario:items}',
    expression: 'count>5000',
    note: /whole test time \(warm-up included\).*500 × 10s/,
  },
  {
    name: 'timeouts → request-timeout error code',
    threshold: t('timeouts == 0'),
    scope: endpoint,
    metric: 'http_reqs{scenario:items,error_code:1050}',
    expression: 'count==0',
  },
  {
    name: 'timeouts on the whole run',
    threshold: t('timeouts < 3'),
    scope: run,
    metric: 'http_reqs{error_code:1050}',
    expression: 'count<3',
  },
  {
    name: 'whole run with a warm-up selects the measured phase',
    threshold: t('p99 < 1s'),
    scope: { ...run, filter: 'phase:measure', warmupMs: 500 },
    metric: 'http_req_duration{phase:measure}',
    expression: 'p(99)<1000',
  },
  {
    name: 'abortOnFail and delayAbortEval',
    threshold: t('errors < 5%', { abortOnFail: true, delayAbortEvalMs: 2000 }),
    scope: endpoint,
    metric: 'http_req_failed{scenario:items}',
    expression: 'rate<0.05',
    abort: { delay: '2s' },
  },
  {
    name: 'delayAbortEval shifted by the warm-up',
    threshold: t('p95 < 300ms', { abortOnFail: true, delayAbortEvalMs: 500 }),
    scope: warm,
    metric: 'http_req_duration{scenario:items}',
    expression: 'p(95)<300',
    abort: { delay: '1500ms' },
  },
  {
    name: 'abortOnFail without a delay',
    threshold: t('p95 < 300ms', { abortOnFail: true }),
    scope: endpoint,
    metric: 'http_req_duration{scenario:items}',
    expression: 'p(95)<300',
    abort: {},
  },
  {
    name: 'abortOnFail on a count is not carried over (it would abort at once)',
    threshold: t('rps > 100', { abortOnFail: true }),
    scope: warm,
    metric: 'http_reqs{scenario:items}',
    expression: 'count>1000',
    note: /abortOnFail is not carried over/,
  },
];

for (const c of table) {
  test(`k6 translation: ${c.name}`, () => {
    const tr = translateThreshold(c.threshold, c.scope);
    assert.ok(tr.ok, JSON.stringify(tr));
    assert.equal(tr.k6.metric, c.metric);
    assert.equal(tr.k6.expression, c.expression);
    assert.equal(tr.k6.abortOnFail, c.abort ? true : undefined);
    assert.equal(tr.k6.delayAbortEval, c.abort?.delay);
    if (c.note) assert.match(tr.k6.note ?? '', c.note);
    else assert.equal(tr.k6.note, undefined);
  });
}

test('k6 translation: rps with amount has no k6 equivalent, and says why', () => {
  const tr = translateThreshold(t('rps > 100'), { ...endpoint, amount: 5000 });
  assert.equal(tr.ok, false);
  assert.match(!tr.ok ? tr.reason : '', /amount \(5000 requests per endpoint\).*whole test time/);
});

test('k6 numbers and durations', () => {
  assert.deepEqual([0.01, 0.005, 1e-7, 0.1 + 0.2, 1500, 0].map(k6Number), ['0.01', '0.005', '0.0000001', '0.3', '1500', '0']);
  assert.deepEqual([10_000, 1500, 60_000, 0.5].map(k6Duration), ['10s', '1500ms', '60s', '0.5ms']);
});

// ---------------------------------------------------------------------------------------------
// A whole script

const PROFILE = `name: Staging API
target:
  baseUrl: \${STAGING_URL}
  headers:
    Authorization: Bearer \${secret:STAGING_TOKEN}
    X-Api-Key: literal-api-key-value
timeouts:
  request: 5s
gates:
  load:
    endpoints:
      - name: products
        path: /api/products?limit=20
        thresholds:
          - p95 < 250ms
          - errors < 1%
          - { threshold: "avg < 80ms", abortOnFail: true, delayAbortEval: 2s }
      - path: /api/orders
        method: POST
        auth: true
        rate: 50
        connections: 5
        body: { sku: "it's", qty: 2 }
        thresholds: [rps >= 45, timeouts == 0]
      - url: https://cdn.example.com/static/app.js
        connections: 2
    allowHosts: [cdn.example.com]
    connections: 10
    duration: 30s
    warmup: 2s
    timeout: 3s
    thresholds:
      - rps > 500
      - errors <= 0.5%
`;
const ENV = { STAGING_URL: 'https://staging.example.com/', STAGING_TOKEN: 'tok-abcdef123456' };

function render(source = PROFILE, env: NodeJS.ProcessEnv = ENV) {
  const loaded = parseProfile(source, 'staging.yaml', env);
  const p = loaded.profile;
  return renderK6Script({
    profileName: p.name,
    profilePath: 'staging.yaml',
    version: 'test',
    baseUrl: new URL(p.target.baseUrl),
    targetHeaders: p.target.headers,
    production: p.target.production,
    requestTimeoutMs: p.timeouts.request,
    load: (p.gates as Record<string, unknown>).load as LoadConfig,
    thresholdIds,
    secrets: secretsForExport(loaded.secrets, p.target.headers),
    envRefs: envRefsOf(source, secretsForExport(loaded.secrets, p.target.headers), env),
  });
}

/** The script with the k6 modules replaced by recording stubs, written next to nothing else. */
function stubbed(script: string): string {
  const out = script
    .replace("import http from 'k6/http';", 'const http = globalThis.__k6.http;')
    .replace("import { check } from 'k6';", 'const check = globalThis.__k6.check;');
  assert.doesNotMatch(out, /^import /m, 'only the k6 imports, and both were stubbed');
  return out;
}

test('the script parses as JavaScript (node --check with the k6 imports stubbed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-k6-'));
  const file = join(dir, 'staging.k6.mjs');
  writeFileSync(file, stubbed(render().script));
  execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' });
});

test('the script declares the scenarios, thresholds and requests of the profile', async () => {
  const { script, warnings, untranslated } = render();
  assert.equal(untranslated, 0);
  assert.doesNotMatch(script, /tok-abcdef123456|literal-api-key-value/, 'no secret in the script');
  assert.deepEqual(warnings, [
    'a secret written literally in the profile is read from __ENV.SHIPGATE_SECRET_1 in the script (set it when running k6); better: reference it as ${secret:NAME} in the profile',
  ]);

  const dir = mkdtempSync(join(tmpdir(), 'shipgate-k6-'));
  const file = join(dir, 'staging.k6.mjs');
  writeFileSync(file, stubbed(script));
  const requests: { method: string; url: string; body: unknown; params: any }[] = [];
  const g = globalThis as any;
  g.__ENV = { STAGING_TOKEN: 'env-staging-token', SHIPGATE_SECRET_1: 'env-api-key', SHIPGATE_TOKEN: 'env-access-token' };
  g.__k6 = {
    http: {
      request: (method: string, url: string, body: unknown, params: unknown) => (
        requests.push({ method, url, body, params }),
        { status: 200 }
      ),
    },
    check: () => true,
  };
  try {
    const mod = await import(pathToFileURL(file).href);
    const { scenarios, thresholds } = mod.options;
    assert.deepEqual(Object.keys(scenarios), [
      'warmup-products',
      'products',
      'warmup-api-orders',
      'api-orders',
      'warmup-static-app-js',
      'static-app-js',
    ]);
    assert.deepEqual(scenarios.products, {
      executor: 'constant-vus',
      vus: 10,
      duration: '30s',
      startTime: '2s',
      exec: 'products',
      tags: { phase: 'measure' },
    });
    assert.deepEqual(scenarios['warmup-products'], {
      executor: 'constant-vus',
      vus: 10,
      duration: '2s',
      gracefulStop: '0s',
      exec: 'products',
      tags: { phase: 'warmup' },
    });
    assert.deepEqual(scenarios['api-orders'], {
      executor: 'constant-arrival-rate',
      rate: 50,
      timeUnit: '1s',
      duration: '30s',
      preAllocatedVUs: 5,
      maxVUs: 5,
      startTime: '2s',
      exec: 'api_orders',
      tags: { phase: 'measure' },
    });
    assert.deepEqual(thresholds, {
      'http_req_duration{scenario:products}': ['p(95)<250', { threshold: 'avg<80', abortOnFail: true, delayAbortEval: '4s' }],
      'http_req_failed{scenario:products}': ['rate<0.01'],
      'http_reqs{scenario:api-orders}': ['count>=1350'],
      'http_reqs{scenario:api-orders,error_code:1050}': ['count==0'],
      'http_reqs{phase:measure}': ['count>15000'],
      'http_req_failed{phase:measure}': ['rate<=0.005'],
    });
    // Every scenario runs an exported function of that name.
    for (const s of Object.values(scenarios) as { exec: string }[]) assert.equal(typeof mod[s.exec], 'function', s.exec);

    for (const s of Object.values(scenarios) as { exec: string }[]) mod[s.exec]();
    const [products, , orders, , cdn] = requests;
    assert.equal(products.method, 'GET');
    assert.equal(products.url, 'https://staging.example.com/api/products?limit=20');
    assert.equal(products.body, null);
    assert.deepEqual(products.params, {
      headers: { authorization: 'Bearer env-staging-token', 'x-api-key': 'env-api-key' },
      timeout: '3s',
      tags: { name: 'products' },
    });
    assert.equal(orders.method, 'POST');
    assert.equal(orders.body, '{"sku":"it\'s","qty":2}');
    // auth: true: the token replaces the target's Authorization header, as in the load gate.
    assert.deepEqual(orders.params.headers, {
      'x-api-key': 'env-api-key',
      'content-type': 'application/json',
      authorization: 'Bearer env-access-token',
    });
    assert.equal(cdn.url, 'https://cdn.example.com/static/app.js', 'an allowHosts URL stays absolute');
  } finally {
    delete g.__ENV;
    delete g.__k6;
  }
});

test("BASE_URL from the environment replaces the profile's origin", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-k6-'));
  const file = join(dir, 'base.k6.mjs');
  writeFileSync(
    file,
    stubbed(
      render(
        `name: x\ntarget:\n  baseUrl: http://127.0.0.1:3000\ngates:\n  load:\n    endpoints: [{path: /items}]\n    warmup: 0s\n    thresholds: [p95 < 100ms, rps > 10]\n`,
        {},
      ).script,
    ),
  );
  const urls: string[] = [];
  const g = globalThis as any;
  g.__ENV = { BASE_URL: 'https://k6-target.example.net/' };
  g.__k6 = { http: { request: (_m: string, url: string) => (urls.push(url), { status: 200 }) }, check: () => true };
  try {
    const mod = await import(pathToFileURL(file).href);
    assert.deepEqual(
      mod.options.thresholds,
      { http_req_duration: ['p(95)<100'], http_reqs: ['rate>10'] },
      'no warm-up: bare metrics, rps as a rate',
    );
    assert.deepEqual(Object.keys(mod.options.scenarios), ['items']);
    mod.items();
    assert.deepEqual(urls, ['https://k6-target.example.net/items']);
  } finally {
    delete g.__ENV;
    delete g.__k6;
  }
});

test('a threshold with no k6 equivalent is a comment in the script and a warning, never dropped silently', () => {
  const { script, warnings, untranslated, thresholds } = render(
    `name: x\ntarget:\n  baseUrl: http://127.0.0.1:3000\ngates:\n  load:\n    endpoints:\n      - path: /items\n        thresholds: [rps > 100, p95 < 50ms]\n    amount: 2000\n`,
    {},
  );
  assert.equal(untranslated, 1);
  assert.equal(thresholds, 1);
  assert.match(
    script,
    /\/\/ NOT TRANSLATED: these thresholds of the profile have no k6 equivalent and are not enforced here:\n\/\/ {3}load\.threshold\.items\.rps "rps > 100" \(GET \/items\): with amount/,
  );
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /^threshold load\.threshold\.items\.rps "rps > 100" \(GET \/items\): with amount .*; it is listed in a comment in the script, not enforced by k6$/,
  );
  assert.match(script, /executor: 'shared-iterations',\n\s+vus: 10,\n\s+iterations: 2000,\n\s+maxDuration: '10s',/);
});

test('envRefsOf: secret variables and variables inside secret values, not plain ones', () => {
  const source = 'a: ${secret:A_TOKEN}\nb: Bearer ${B_KEY}\nc: ${PLAIN_URL}\nd: $${secret:LITERAL}\ne: ${secret:SHORT:-abc}\n';
  const env = { A_TOKEN: 'aaaa-1111', B_KEY: 'bbbb-2222', PLAIN_URL: 'https://x.example' };
  assert.deepEqual(envRefsOf(source, ['aaaa-1111', 'Bearer bbbb-2222'], env), [
    { value: 'aaaa-1111', name: 'A_TOKEN' },
    { value: 'bbbb-2222', name: 'B_KEY' },
  ]);
});

test('secretsForExport: target header values are secret unless the header is a standard credential-free one', () => {
  assert.deepEqual(
    secretsForExport(['pw-1234'], {
      'User-Agent': 'shipgate smoke',
      'X-Preview-Bypass': 'bypass-5678',
      Accept: 'application/json',
      'X-Env': 'ab',
    }),
    ['pw-1234', 'bypass-5678'],
  );
});
