// The SARIF reporter (issue 18 item 6): a failing demo run's SARIF validates against the vendored SARIF
// 2.1.0 JSON Schema, names its rules from the catalogue, places results at the profile line of the gate,
// keeps fingerprints stable across runs and carries no secret.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { ROOT, runCli } from '../helpers/cli.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

async function sarifOf(dir: string, name: string): Promise<any> {
  const r = await runCli(
    ['demo', '--gates', 'probes,security', '--flaws', 'hsts-missing,cors-reflect-origin', '-r', `sarif=${dir}/${name}`],
    { env: { DEMO_SESSION_SECRET: 'sarif-secret-value-123' } },
  );
  assert.equal(r.code, 1, r.stdout + r.stderr);
  return JSON.parse(readFileSync(join(dir, name), 'utf8'));
}

test("a failing run's SARIF validates against SARIF 2.1.0, with catalogue rules, profile locations and stable fingerprints", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-sarif-'));
  const first = await sarifOf(dir, 'a.sarif');
  assert.ok(validate(first), JSON.stringify(validate.errors?.slice(0, 3)));
  const run = first.runs[0];
  const hsts = run.results.find((r: any) => r.ruleId === 'security.headers.hsts');
  assert.equal(hsts.level, 'error');
  assert.equal(hsts.locations[0].physicalLocation.artifactLocation.uri, 'profiles/demo.yaml');
  assert.ok(hsts.locations[0].physicalLocation.region.startLine > 1);
  const rule = run.tool.driver.rules[hsts.ruleIndex];
  assert.equal(rule.id, 'security.headers.hsts');
  assert.ok(rule.help.text.length > 20 && rule.fullDescription.text.length > 20);
  assert.ok(run.results.some((r: any) => r.ruleId === 'security.cors.reflect-origin'));
  assert.ok(!run.results.some((r: any) => r.ruleId.startsWith('probes.')), 'only security and auth findings');
  const second = await sarifOf(dir, 'b.sarif');
  const prints = (s: any) =>
    s.runs[0].results.map((r: any) => `${r.ruleId} ${r.partialFingerprints['shipgateFinding/v1']}`).sort();
  assert.deepEqual(prints(second), prints(first));
  assert.doesNotMatch(readFileSync(join(dir, 'a.sarif'), 'utf8'), /sarif-secret-value-123/);
});

test('the schema rejects what code scanning would reject (the test can fail)', () => {
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
});
