// Which checks SARIF hands to code scanning is data: a gate result that says securityFindings (its
// manifest decided), whatever the gate is called; merged and older reports read the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATES } from '../../src/gates/registry.js';
import { mergeResults } from '../../src/report/merge.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { CheckResult, GateResult, RunResult } from '../../src/result.js';
import { runResultOf } from '../helpers/run-result.js';

const failing = (id: string): CheckResult => ({
  id,
  title: `${id} holds`,
  status: 'fail',
  severity: 'high',
  message: `${id} failed`,
  durationMs: 1,
});

const gate = (id: string, checks: CheckResult[], extra: Partial<GateResult> = {}): GateResult => ({
  id,
  title: id,
  status: 'fail',
  durationMs: 1,
  checks,
  ...extra,
});

const run = (gates: GateResult[]): RunResult => runResultOf(gates, { verdict: 'fail' });

const ruleIds = (r: RunResult) => JSON.parse(renderSarif(r)).runs[0].results.map((x: { ruleId: string }) => x.ruleId);

test('SARIF takes the failing checks of gates whose results say securityFindings, not of gates with a given id', () => {
  const result = run([
    gate('robots', [failing('robots.sitemap')], { securityFindings: true }),
    gate('security', [failing('security.headers.hsts')]),
    gate('probes', [failing('probes.readiness')]),
  ]);
  assert.deepEqual(ruleIds(result), ['robots.sitemap']);
});

test('a merged run keeps each gate’s securityFindings, so its SARIF holds the same findings', () => {
  const a = run([gate('auth', [failing('auth.login')], { securityFindings: true }), gate('probes', [failing('probes.x')])]);
  const b = {
    ...run([gate('auth', [failing('auth.logout')], { securityFindings: true })]),
    profile: { name: 'q', path: 'q.yaml' },
  };
  assert.deepEqual(ruleIds(mergeResults([a, b])), ['auth.login', 'auth.logout']);
});

test('the manifests say which gates report security findings: security and auth, as before', () => {
  assert.deepEqual(
    GATES.filter((g) => g.securityFindings).map((g) => g.id),
    ['security', 'auth'],
  );
});
