// The load section of a profile: thresholds and caps are checked at load time, with file:line:column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadConfig } from '../../checks/load/schema.js';
import { ProfileError } from '../../src/profile/errors.js';
import { parseProfile } from '../../src/profile/load.js';

const profile = (load: string) => `name: t
target:
  baseUrl: http://127.0.0.1:1
gates:
  load:
${load}`;

const cases: { name: string; load: string; expect: string }[] = [
  {
    name: 'a typo in a threshold',
    load: `    endpoints:
      - path: /api/items
        thresholds: ["p95 < 200 ms s"]`,
    expect:
      't.yaml:8:22 gates.load.endpoints[0].thresholds[0]: "p95 < 200 ms s": unexpected "s" at column 14 after the value "200 ms"',
  },
  {
    name: 'a percentile out of range',
    load: `    endpoints: [{path: /api/items}]
    thresholds:
      - p(101) < 1s`,
    expect:
      't.yaml:8:9 gates.load.thresholds[0]: "p(101) < 1s": percentile 101 is out of range; expected 0 < p <= 100, e.g. p95 or p(99.9)',
  },
  {
    name: 'a threshold in object form',
    load: `    endpoints: [{path: /api/items}]
    thresholds:
      - threshold: errors < 10
        abortOnFail: true`,
    expect: 't.yaml:8:20 gates.load.thresholds[0].threshold: "errors < 10": errors is a percentage of all requests: write 10%',
  },
  {
    name: 'duration over the cap',
    load: `    endpoints: [{path: /api/items}]
    duration: 2m`,
    expect:
      't.yaml:7:15 gates.load.duration: warm-up 1.00s + duration 2m exceeds the safety cap maxDuration (1m); shorten it or raise gates.load.maxDuration (at most 10m)',
  },
  {
    name: 'the duration cap raised too far',
    load: `    endpoints: [{path: /api/items}]
    maxDuration: 11m`,
    expect: 't.yaml:7:18 gates.load.maxDuration: the duration cap may be raised to at most 10m',
  },
  {
    name: 'connections over the cap',
    load: `    endpoints: [{path: /a}, {path: /b}]
    connections: 150`,
    expect:
      't.yaml:7:18 gates.load.connections: 300 connections in all (2 endpoints run at once) exceed the safety cap maxConnections (200); lower them or raise gates.load.maxConnections (at most 1000)',
  },
  {
    name: 'neither path nor url',
    load: `    endpoints: [{method: GET}]`,
    expect: 't.yaml:6:17 gates.load.endpoints[0].path: give exactly one of path (on the target) or url (absolute)',
  },
  {
    name: 'two endpoints with the same derived name',
    load: `    endpoints: [{path: /api/items}, {path: /api/items, method: POST}]`,
    expect:
      't.yaml:6:37 gates.load.endpoints[1]: two endpoints are named "api-items" (the other is endpoints[0]); give them distinct names with name:',
  },
  {
    name: 'an endpoint named like the whole-run scope',
    load: `    endpoints: [{path: /api/items, name: run}]`,
    expect: 't.yaml:6:42 gates.load.endpoints[0].name: "run" is reserved for the whole-run thresholds; choose another name',
  },
  {
    name: 'HEAD, which autocannon cannot load',
    load: `    endpoints: [{path: /api/items, method: HEAD}]`,
    expect:
      't.yaml:6:44 gates.load.endpoints[0].method: HEAD cannot be load-tested with autocannon (it waits for the body Content-Length announces, and every request times out); use GET',
  },
  {
    name: 'no endpoints',
    load: `    endpoints: []`,
    expect: 't.yaml:6:16 gates.load.endpoints: list at least one endpoint to load, e.g. [{path: /api/items}]',
  },
];

for (const c of cases) {
  test(`load profile error: ${c.name}`, () => {
    assert.throws(
      () => parseProfile(profile(c.load), 't.yaml', {}),
      (err: unknown) => {
        assert.ok(err instanceof ProfileError, String(err));
        assert.equal(err.message.split('\n')[0], c.expect);
        return true;
      },
    );
  });
}

test('a good load section gets its defaults and parsed thresholds', () => {
  const { profile: p } = parseProfile(
    profile(`    endpoints:
      - path: /api/items
        thresholds: [p95 < 250ms, {threshold: "errors < 10%", abortOnFail: true, delayAbortEval: 2s}]
      - url: http://127.0.0.1:1/api/orders?page=1
        name: orders
    thresholds: [rps > 500]`),
    't.yaml',
    {},
  );
  const load = p.gates.load as LoadConfig;
  assert.equal(load.connections, 10);
  assert.equal(load.duration, 10_000);
  assert.equal(load.warmup, 1000);
  assert.equal(load.maxDuration, 60_000);
  assert.equal(load.maxConnections, 200);
  assert.equal(load.endpoints[0].name, 'api-items');
  assert.equal(load.endpoints[0].method, 'GET');
  assert.equal(load.endpoints[0].target, '/api/items');
  assert.equal(load.endpoints[1].target, 'http://127.0.0.1:1/api/orders?page=1');
  const [p95, errors] = load.endpoints[0].thresholds;
  assert.deepEqual([p95.metric, p95.value, p95.abortOnFail], ['p95', 250, false]);
  assert.deepEqual([errors.metric, errors.value, errors.abortOnFail, errors.delayAbortEvalMs], ['errors', 10, true, 2000]);
  assert.equal(load.thresholds[0].source, 'rps > 500');
});

test('the demo profile has a load section that validates', async () => {
  const { loadProfile } = await import('../../src/profile/load.js');
  const { profile: p } = await loadProfile('profiles/demo.yaml', { SHIPGATE_DEMO_URL: 'http://127.0.0.1:1' });
  const load = p.gates.load as LoadConfig;
  assert.ok(load.duration <= 3000, 'the demo load stays short');
  assert.ok(load.endpoints[0].thresholds.some((t) => t.metric === 'p95'));
  assert.ok(load.endpoints[0].thresholds.some((t) => t.metric === 'errors'));
});
