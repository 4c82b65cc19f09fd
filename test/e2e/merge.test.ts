// Several targets in one report: `run a.yaml b.yaml` and `merge run-*.json`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { withDemo } from '../helpers/servers.js';

const profile = (name: string, url: string) => `name: ${name}\ntarget:\n  baseUrl: ${url}\ngates:\n  probes:\n    samples: 1\n`;

test("merge of two JSON reports: one JUnit with both profiles' suites and the right totals", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-merge-'));
  await withDemo([], async (green) => {
    await withDemo(['ready-fails'], async (red) => {
      writeFileSync(join(dir, 'api.yaml'), profile('api', green.url));
      writeFileSync(join(dir, 'web.yaml'), profile('web', red.url));
      assert.equal((await runCli(['run', join(dir, 'api.yaml'), '-r', `json=${dir}/run-api.json`])).code, 0);
      assert.equal((await runCli(['run', join(dir, 'web.yaml'), '-r', `json=${dir}/run-web.json`])).code, 1);
    });
  });
  const r = await runCli([
    'merge',
    `${dir}/run-api.json`,
    `${dir}/run-web.json`,
    '-r',
    `junit=${dir}/merged.xml`,
    '-r',
    `md=${dir}/merged.md`,
    '-r',
    `json=${dir}/merged.json`,
  ]);
  assert.equal(r.code, 1, r.stderr);
  const xml = readFileSync(`${dir}/merged.xml`, 'utf8');
  assert.match(xml, /<testsuites name="shipgate api \+ web" tests="8" failures="1" errors="0"/);
  assert.match(xml, /<testsuite name="api\/probes"[^>]* tests="4" failures="0"/);
  assert.match(xml, /<testsuite name="web\/probes"[^>]* tests="4" failures="1"/);
  const json = JSON.parse(readFileSync(`${dir}/merged.json`, 'utf8'));
  assert.equal(json.verdict, 'fail');
  assert.deepEqual(
    json.runs.map((x: any) => [x.profile.name, x.verdict]),
    [
      ['api', 'pass'],
      ['web', 'fail'],
    ],
  );
  assert.match(readFileSync(`${dir}/merged.md`, 'utf8'), /\| api · Health\/ready probes \(`api\/probes`\) \| ✅ pass/);
});

test('run with two profiles merges them into the --reporter files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-multi-'));
  await withDemo([], async (a) => {
    await withDemo([], async (b) => {
      writeFileSync(join(dir, 'a.yaml'), profile('alpha', a.url));
      writeFileSync(join(dir, 'b.yaml'), profile('beta', b.url));
      const r = await runCli(['run', join(dir, 'a.yaml'), join(dir, 'b.yaml'), '--parallel', '2', '-r', `json=${dir}/all.json`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const json = JSON.parse(readFileSync(`${dir}/all.json`, 'utf8'));
      assert.deepEqual(
        json.gates.map((g: any) => g.id),
        ['alpha/probes', 'beta/probes'],
      );
    });
  });
});

test('merge refuses a file that is not a shipgate report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-merge-'));
  writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
  const r = await runCli(['merge', join(dir, 'x.json'), join(dir, 'x.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /x\.json: not a shipgate JSON report with schemaVersion 1/);
});
