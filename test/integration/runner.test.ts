// The runner's contract, with tiny real gates registered for the test: deadlines, errors as data, deferred work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineCheck } from '../../src/check.js';
import { GATES } from '../../src/gates/registry.js';
import type { GateModule } from '../../src/gates/contract.js';
import { runYaml } from '../helpers/run.js';
import { withDemo } from '../helpers/servers.js';

const probe = defineCheck({ id: 'testgate.probe', title: 'probe', severity: 'low', rationale: 'r', remediation: 'm' });
let behaviour: (ctx: Parameters<GateModule['run']>[0]) => Promise<void> = async () => {};
const order: string[] = [];

GATES.push({
  id: 'testgate',
  title: 'Test gate',
  description: 'test only',
  phase: 50,
  schema: z.strictObject({}).prefault({}),
  catalogue: [probe],
  load: async () => ({ run: (ctx) => behaviour(ctx) }),
});

// Probes only where a test needs them: on a loaded machine they could outlast a short gate deadline.
const yaml = (url: string, gateTimeout = '5s', probes = false) =>
  `name: t\ntarget:\n  baseUrl: ${url}\ntimeouts:\n  gate: ${gateTimeout}\ngates:\n${probes ? '  probes: { samples: 1 }\n' : ''}  testgate: {}\n`;

test('a gate that throws becomes an error check, the run goes on', async () => {
  behaviour = async () => {
    throw new Error('boom');
  };
  await withDemo([], async (demo) => {
    const r = await runYaml(yaml(demo.url));
    const g = r.gates.find((x) => x.id === 'testgate')!;
    assert.equal(g.status, 'error');
    assert.equal(g.checks[0].id, 'testgate.internal');
    assert.match(g.checks[0].message, /boom/);
    assert.equal(r.verdict, 'error');
  });
});

test('a gate that hangs is cut at its deadline and cleaned up', async () => {
  let cleaned = false;
  behaviour = async (ctx) => {
    ctx.onCleanup(() => {
      cleaned = true;
    });
    await new Promise(() => {});
  };
  await withDemo([], async (demo) => {
    const started = Date.now();
    const r = await runYaml(yaml(demo.url, '300ms'));
    assert.ok(Date.now() - started < 5_000);
    const g = r.gates.find((x) => x.id === 'testgate')!;
    assert.equal(g.checks[0].id, 'testgate.deadline');
    assert.match(g.checks[0].message, /did not finish within its deadline \(300ms/);
    assert.ok(cleaned);
  });
});

test('afterAll work runs after every gate, records into its gate, then cleanup runs', async () => {
  order.length = 0;
  behaviour = async (ctx) => {
    ctx.onCleanup(() => void order.push('cleanup'));
    ctx.afterAll(async () => {
      order.push('after');
      ctx.record(probe.fail('late finding'));
    });
    ctx.record(probe.pass('early'));
    order.push('run');
  };
  await withDemo([], async (demo) => {
    const r = await runYaml(yaml(demo.url));
    const g = r.gates.find((x) => x.id === 'testgate')!;
    assert.deepEqual(order, ['run', 'after', 'cleanup']);
    assert.deepEqual(
      g.checks.map((c) => c.status),
      ['pass', 'fail'],
    );
    assert.equal(g.status, 'fail');
    assert.equal(r.verdict, 'fail');
  });
});

test('when probes fail, later gates are skipped with "target not ready"', async () => {
  behaviour = async (ctx) => void ctx.record(probe.pass('ran'));
  await withDemo(['ready-fails'], async (demo) => {
    const r = await runYaml(yaml(demo.url, '30s', true));
    const g = r.gates.find((x) => x.id === 'testgate')!;
    assert.equal(g.status, 'skip');
    assert.match(g.reason!, /^target not ready: probes\.readiness failed/);
  });
});

test('an interrupt stops the run, marks it interrupted, and the result is still complete', async () => {
  behaviour = async (ctx) => {
    await new Promise((r) => setTimeout(r, 10_000).unref());
    ctx.record(probe.pass('late'));
  };
  await withDemo([], async (demo) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await runYaml(yaml(demo.url), { signal: controller.signal });
    assert.equal(r.interrupted, true);
    assert.equal(r.verdict, 'error');
    const g = r.gates.find((x) => x.id === 'testgate')!;
    assert.match(g.checks[0].message, /^interrupted/);
  });
});

test('secrets never reach the result tree', async () => {
  behaviour = async (ctx) =>
    void ctx.record(
      probe.fail({
        message: `saw Bearer top-secret-value in ${ctx.profile.target.headers['x-token']}`,
        evidence: { headers: { authorization: 'Bearer top-secret-value' } },
      }),
    );
  await withDemo([], async (demo) => {
    const r = await runYaml(yaml(demo.url).replace('  baseUrl:', '  headers:\n    X-Token: ${secret:TEST_SECRET}\n  baseUrl:'), {
      env: { TEST_SECRET: 'top-secret-value' },
    });
    const text = JSON.stringify(r);
    assert.ok(!text.includes('top-secret-value'));
    assert.ok(text.includes('Bearer ***'));
  });
});
