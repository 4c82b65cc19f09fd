// The JUnit XML shipgate writes validates against the Jenkins xunit plugin's JUnit schema (test/fixtures/junit/junit-10.xsd, vendored)
// with xmllint, and keeps failure, error and skipped distinct.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli } from '../helpers/cli.js';

const XSD = join(ROOT, 'test/fixtures/junit/junit-10.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

function validate(file: string): void {
  execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
}

test(
  'the golden JUnit report validates against the JUnit schema',
  { skip: !hasXmllint && 'xmllint not installed (apt-get install libxml2-utils)' },
  () => {
    validate(join(ROOT, 'test/golden/report.junit.xml'));
  },
);

test(
  "a failing demo run's JUnit validates, with failure, error and skipped kept distinct",
  { skip: !hasXmllint && 'xmllint not installed' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-junit-'));
    const r = await runCli(['demo', '--gates', 'probes', '--flaws', 'ready-fails', '-r', `junit=${dir}/junit.xml`]);
    assert.equal(r.code, 1);
    validate(`${dir}/junit.xml`);
    const xml = readFileSync(`${dir}/junit.xml`, 'utf8');
    assert.match(xml, /<failure message="GET \/ready: status 503/);
    assert.doesNotMatch(xml, /<error /);
  },
);

test('the schema rejects what Jenkins would reject (the test can fail)', { skip: !hasXmllint && 'xmllint not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-junit-'));
  const bad = join(dir, 'bad.xml');
  writeFileSync(bad, '<testsuites skipped="1"><testsuite name="x" tests="1" failures="0"/></testsuites>');
  assert.throws(() => validate(bad));
});
