// The JUnit XML shipgate writes validates against the Jenkins xunit plugin's JUnit schema (test/fixtures/junit/junit-10.xsd, vendored)
// with libxml2's schema validator (xmllint-wasm: xmllint built to WebAssembly, so a machine with only Node runs it),
// and keeps failure, error and skipped distinct.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli } from '../helpers/cli.js';
import { junitSchemaErrors } from '../helpers/junit-schema.js';

test('the golden JUnit report validates against the JUnit schema', async () => {
  assert.deepEqual(await junitSchemaErrors(join(ROOT, 'test/golden/report.junit.xml')), []);
});

test("a failing demo run's JUnit validates, with failure, error and skipped kept distinct", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-junit-'));
  const r = await runCli(['demo', '--gates', 'probes', '--flaws', 'ready-fails', '-r', `junit=${dir}/junit.xml`]);
  assert.equal(r.code, 1);
  assert.deepEqual(await junitSchemaErrors(`${dir}/junit.xml`), []);
  const xml = readFileSync(`${dir}/junit.xml`, 'utf8');
  assert.match(xml, /<failure message="GET \/ready: status 503/);
  assert.doesNotMatch(xml, /<error /);
});

test('the schema rejects what Jenkins would reject (the test can fail)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-junit-'));
  const bad = join(dir, 'bad.xml');
  writeFileSync(bad, '<testsuites skipped="1"><testsuite name="x" tests="1" failures="0"/></testsuites>');
  assert.match((await junitSchemaErrors(bad)).join('\n'), /attribute 'skipped' is not allowed/);
});
