// The JSON report has a schema (zod, exported to schema/report.schema.json): what merge and --baseline
// read is validated field by field, and a bad or foreign file is refused naming the field.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderJson } from '../../src/report/json.js';
import { parseReport } from '../../src/report/merge.js';
import { renderReportJsonSchema, reportProblem } from '../../src/report/report-schema.js';
import type { RunResult } from '../../src/result.js';
import { runCli } from '../helpers/cli.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

const report: RunResult = {
  schemaVersion: 1,
  tool: { name: 'shipgate', version: 't' },
  profile: { name: 'p', path: 'p.yaml' },
  target: { baseUrl: 'https://x.test' },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10,
  verdict: 'fail',
  failOn: 'fail',
  gates: [
    {
      id: 'load',
      title: 'Load',
      status: 'fail',
      durationMs: 5,
      securityFindings: true,
      source: { file: 'p.yaml', line: 4 },
      checks: [
        {
          id: 'load.summary.api',
          title: 'Load summary',
          status: 'fail',
          severity: 'high',
          message: 'm',
          durationMs: 1,
          metrics: { p95Ms: 3 },
          charts: [
            {
              kind: 'line',
              id: 'load-latency',
              title: 't',
              xLabel: 'x',
              yLabel: 'y',
              series: [{ label: 'a', points: [{ x: 1, y: 2 }] }],
            },
          ],
        },
      ],
    },
  ],
};

test('schema/report.schema.json is up to date (npm run docs)', () => {
  assert.equal(read('schema/report.schema.json'), renderReportJsonSchema());
});

test('a report shipgate writes reads back through the schema unchanged (golden)', () => {
  const text = renderJson(report);
  assert.equal(reportProblem(JSON.parse(text)), undefined);
  assert.deepEqual(parseReport(text, 'run.json'), report);
});

test('a report written before gates carried securityFindings still reads', () => {
  const older = JSON.parse(renderJson(report));
  delete older.gates[0].securityFindings;
  assert.equal(parseReport(JSON.stringify(older), 'old.json').gates[0].securityFindings, undefined);
});

const broken: [string, (r: any) => void, RegExp][] = [
  ['a check status no reader knows', (r) => (r.gates[0].checks[0].status = 'bogus'), /gates\[0\]\.checks\[0\]\.status/],
  ['a verdict missing', (r) => delete r.verdict, /^run\.json: not a valid shipgate report: verdict/],
  [
    'a chart spec of no known kind',
    (r) => (r.gates[0].checks[0].charts[0].kind = 'pie'),
    /gates\[0\]\.checks\[0\]\.charts\[0\]\.kind/,
  ],
  ['gates that are not a list', (r) => (r.gates = {}), /gates: /],
];
for (const [what, breakIt, field] of broken) {
  test(`a report with ${what} is refused naming the field`, () => {
    const data = JSON.parse(renderJson(report));
    breakIt(data);
    assert.throws(
      () => parseReport(JSON.stringify(data), 'run.json'),
      (err: Error) => field.test(err.message),
    );
  });
}

test('shipgate merge of a foreign JSON file exits 2 naming the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-report-schema-'));
  const data = JSON.parse(renderJson(report));
  data.gates[0].checks[0].severity = 'apocalyptic';
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(data));
  writeFileSync(join(dir, 'good.json'), renderJson(report));
  const r = await runCli(['merge', join(dir, 'good.json'), join(dir, 'bad.json')]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /bad\.json: not a valid shipgate report: gates\[0\]\.checks\[0\]\.severity/);
});
