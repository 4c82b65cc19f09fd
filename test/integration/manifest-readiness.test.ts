// Readiness is manifest data: a gate whose manifest says its failures mean "target not ready" skips the
// later gates, except for the checks it lists as findings only; a gate without readiness never does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineCheck } from '../../src/check.js';
import { defineGate } from '../../src/gates/contract.js';
import { GATES } from '../../src/gates/registry.js';
import { runYaml } from '../helpers/run.js';
import { withServer } from '../helpers/servers.js';

const essential = defineCheck({
  id: 'gatekeeper.essential',
  title: 'essential',
  severity: 'high',
  rationale: 'r',
  remediation: 'm',
});
const finding = defineCheck({ id: 'gatekeeper.finding', title: 'finding', severity: 'low', rationale: 'r', remediation: 'm' });
const later = defineCheck({ id: 'later.ran', title: 'ran', severity: 'low', rationale: 'r', remediation: 'm' });
const plain = defineCheck({ id: 'bystander.fails', title: 'fails', severity: 'low', rationale: 'r', remediation: 'm' });
const looks = defineCheck({ id: 'inspector.connection', title: 'c', severity: 'high', rationale: 'r', remediation: 'm' });
const app = defineCheck({ id: 'inspector.app', title: 'a', severity: 'high', rationale: 'r', remediation: 'm' });
let notReadySeen: string | undefined;
let failing: 'essential' | 'finding' | 'none' = 'none';
const schema = z.strictObject({}).prefault({});

GATES.push(
  defineGate({
    id: 'gatekeeper',
    title: 'Gatekeeper',
    description: 'test only',
    phase: 60,
    schema,
    catalogue: [essential, finding],
    readiness: { findingsOnly: [finding.id] },
    load: async () => ({
      async run(ctx) {
        ctx.record(failing === 'essential' ? essential.fail('down') : essential.pass('up'));
        ctx.record(failing === 'finding' ? finding.fail('a finding') : finding.pass('fine'));
      },
    }),
  }),
  defineGate({
    id: 'bystander',
    title: 'Bystander',
    description: 'test only',
    phase: 61,
    schema,
    catalogue: [plain],
    load: async () => ({ run: async (ctx) => void ctx.record(plain.fail('fails, but says nothing about readiness')) }),
  }),
  defineGate({
    id: 'inspector',
    title: 'Inspector',
    description: 'test only',
    phase: 61,
    schema,
    catalogue: [looks, app],
    connectionChecks: [looks.id],
    load: async () => ({
      async run(ctx) {
        notReadySeen = ctx.notReady;
        ctx.record(looks.fail('the connection is bad'));
        if (ctx.notReady) ctx.record(app.skip(ctx.notReady));
        else ctx.record(app.pass('app fine'));
      },
    }),
  }),
  defineGate({
    id: 'later',
    title: 'Later',
    description: 'test only',
    phase: 62,
    schema,
    catalogue: [later],
    load: async () => ({ run: async (ctx) => void ctx.record(later.pass('ran')) }),
  }),
);

const cases: { failing: typeof failing; later: 'pass' | 'skip'; reason?: RegExp }[] = [
  { failing: 'none', later: 'pass' },
  { failing: 'finding', later: 'pass' },
  { failing: 'essential', later: 'skip', reason: /^target not ready: gatekeeper\.essential failed \(down\)$/ },
];
for (const c of cases) {
  test(`readiness from the manifest: gatekeeper failing ${c.failing} → the later gate ${c.later === 'pass' ? 'runs' : 'is skipped'}`, async () => {
    failing = c.failing;
    await withServer(
      (_req, res) => res.end('ok'),
      async (url) => {
        const r = await runYaml(`name: t\ntarget:\n  baseUrl: ${url}\ngates:\n  gatekeeper: {}\n  bystander: {}\n  later: {}\n`);
        const g = r.gates.find((x) => x.id === 'later')!;
        assert.equal(g.status, c.later);
        if (c.reason) assert.match(g.reason!, c.reason);
        assert.equal(r.gates.find((x) => x.id === 'bystander')!.status, c.later === 'pass' ? 'fail' : 'skip');
      },
    );
  });
}

test('connectionChecks in the manifest: the gate still runs when the target is not ready, told why, and its checks count', async () => {
  failing = 'essential';
  await withServer(
    (_req, res) => res.end('ok'),
    async (url) => {
      const r = await runYaml(`name: t\ntarget:\n  baseUrl: ${url}\ngates:\n  gatekeeper: {}\n  inspector: {}\n  later: {}\n`);
      assert.equal(notReadySeen, 'target not ready: gatekeeper.essential failed (down)');
      const g = r.gates.find((x) => x.id === 'inspector')!;
      assert.equal(g.status, 'fail');
      assert.deepEqual(
        g.checks.map((c) => [c.id, c.status]),
        [
          ['inspector.connection', 'fail'],
          ['inspector.app', 'skip'],
        ],
      );
      assert.equal(r.gates.find((x) => x.id === 'later')!.status, 'skip');
      // A gate that runs while not ready never makes the target "not ready" a second time with its own reason.
      assert.match(r.gates.find((x) => x.id === 'later')!.reason!, /^target not ready: gatekeeper\.essential failed/);
    },
  );
  failing = 'none';
  await withServer(
    (_req, res) => res.end('ok'),
    async (url) => {
      await runYaml(`name: t\ntarget:\n  baseUrl: ${url}\ngates:\n  gatekeeper: {}\n  inspector: {}\n`);
      assert.equal(notReadySeen, undefined);
    },
  );
});
