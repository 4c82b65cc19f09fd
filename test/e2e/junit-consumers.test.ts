// JUnit as its consumers read it (issue 18 item 5): suites named <profile>/<gate> so junit-report-merger
// keeps separate runs apart; file/line at the profile's gate section for annotators; warnings marked in
// the test name; attachments relative to the report; merge keeps each run's timestamp and duration.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mergeFiles } from 'junit-report-merger';
import { renderJunit } from '../../src/report/junit.js';
import type { RunResult } from '../../src/result.js';
import { runCli } from '../helpers/cli.js';
import { junitSchemaErrors } from '../helpers/junit-schema.js';
import { withDemo } from '../helpers/servers.js';

// `probes:` is on line 5: the line annotations must point at.
const profile = (name: string, url: string) => `name: ${name}\ntarget:\n  baseUrl: ${url}\ngates:\n  probes:\n    samples: 2\n`;

test('three single-profile runs merged by junit-report-merger stay three suites, each failing case at its profile line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-junit-consumers-'));
  await withDemo(['ready-fails'], async (demo) => {
    for (const name of ['api', 'web', 'admin']) {
      writeFileSync(join(dir, `${name}.yaml`), profile(name, demo.url));
      const r = await runCli(['run', join(dir, `${name}.yaml`), '-r', `junit=${dir}/${name}.xml`], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
    }
  });
  await mergeFiles(join(dir, 'merged.xml'), [join(dir, 'api.xml'), join(dir, 'web.xml'), join(dir, 'admin.xml')]);
  const merged = readFileSync(join(dir, 'merged.xml'), 'utf8');
  const suites = [...merged.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(suites.sort(), ['admin/probes', 'api/probes', 'web/probes']);
  const api = readFileSync(join(dir, 'api.xml'), 'utf8');
  // Relative to the working directory (the CI checkout), at the `probes:` key.
  assert.match(
    api,
    /<testcase name="probes\.readiness: [^"]*" classname="shipgate\.probes" file="api\.yaml" line="5"[^>]*>\s*<failure /,
  );
  assert.deepEqual(await junitSchemaErrors(join(dir, 'api.xml')), []);
});

const base: RunResult = {
  schemaVersion: 1,
  tool: { name: 'shipgate', version: 't' },
  profile: { name: 'p', path: 'p.yaml' },
  target: { baseUrl: 'https://x.test' },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1000,
  verdict: 'pass',
  failOn: 'fail',
  gates: [
    {
      id: 'realtime',
      title: 'Realtime',
      status: 'warn',
      durationMs: 900,
      source: { file: 'p.yaml', line: 7 },
      checks: [
        {
          id: 'realtime.latency',
          title: 'Latency',
          status: 'warn',
          severity: 'low',
          message: 'p95 close to the budget',
          durationMs: 1,
        },
        {
          id: 'realtime.sync',
          title: 'Sync',
          status: 'fail',
          severity: 'high',
          message: 'B never saw it',
          durationMs: 1,
          evidence: { attachments: ['/work/out/realtime-sync-B.png', '/work/out/realtime-sync-A.png'] },
        },
      ],
    },
  ],
};

test('warnings are visible in the test name and system-out; attachments are relative to the report folder', () => {
  const xml = renderJunit(base, '/work/out');
  assert.match(xml, /<testcase name="realtime\.latency: Latency \[WARN\]"[^>]* file="p\.yaml" line="7"/);
  assert.match(xml, /<system-out><!\[CDATA\[WARN: p95 close to the budget/);
  assert.match(xml, /\[\[ATTACHMENT\|realtime-sync-B\.png\]\]\n\[\[ATTACHMENT\|realtime-sync-A\.png\]\]/);
  assert.match(xml, /<testsuite name="p\/realtime"/);
});

test("merge keeps each run's timestamp on its suites and sums the runs' durations", async () => {
  const { mergeResults } = await import('../../src/report/merge.js');
  const a = { ...base, profile: { name: 'a', path: 'a.yaml' }, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000 };
  const b = { ...base, profile: { name: 'b', path: 'b.yaml' }, startedAt: '2026-01-01T05:00:00.000Z', durationMs: 2000 };
  const xml = renderJunit(mergeResults([a, b]));
  assert.match(xml, /<testsuite name="a\/realtime" timestamp="2026-01-01T00:00:00.000Z"/);
  assert.match(xml, /<testsuite name="b\/realtime" timestamp="2026-01-01T05:00:00.000Z"/);
  assert.match(xml, /<testsuites [^>]*time="3\.000"/);
});
