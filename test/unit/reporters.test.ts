// Golden files for the JUnit and Markdown reports (UPDATE_GOLDEN=1 rewrites them), plus escaping cases.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderJson } from '../../src/report/json.js';
import { cdata, escapeAttribute } from '../../src/report/xml.js';
import type { RunResult } from '../../src/result.js';

const result: RunResult = {
  schemaVersion: 1,
  tool: { name: 'shipgate', version: '0.0.0-test' },
  profile: { name: 'golden', path: 'profiles/golden.yaml' },
  target: { baseUrl: 'https://app.example.com' },
  startedAt: '2026-01-02T03:04:05.000Z',
  durationMs: 1234.6,
  verdict: 'fail',
  failOn: 'fail',
  gates: [
    {
      id: 'probes',
      title: 'Health/ready probes',
      status: 'fail',
      durationMs: 812.3456,
      checks: [
        {
          id: 'probes.liveness',
          title: 'Liveness probe answers correctly',
          status: 'pass',
          severity: 'critical',
          message: 'GET /health → 200',
          durationMs: 12.5,
        },
        {
          id: 'probes.readiness',
          title: 'Readiness probe answers correctly',
          status: 'fail',
          severity: 'critical',
          message: 'GET /ready: status 503, expected 200; body.status ("degraded") == "ok"',
          remediation: 'Answer 200 when ready.',
          rationale: 'Traffic goes to ready instances only.',
          durationMs: 20,
          evidence: {
            request: 'GET https://app.example.com/ready',
            status: 503,
            headers: { 'content-type': 'application/json' },
            body: '{"status":"degraded","note":"a ]]> b <&> \u001b[31mred\u001b[0m"}',
          },
        },
        {
          id: 'probes.flapping',
          title: 'Probes give the same answer',
          status: 'warn',
          severity: 'high',
          message: 'answers | changed',
          durationMs: 0,
        },
      ],
    },
    {
      id: 'security',
      title: 'Security',
      securityFindings: true,
      status: 'skip',
      durationMs: 0,
      checks: [],
      reason: 'target not ready: probes.readiness failed',
    },
    {
      id: 'realtime',
      title: 'Real-time sync',
      status: 'error',
      durationMs: 5000,
      checks: [
        {
          id: 'realtime.sync',
          title: 'Sync',
          status: 'error',
          severity: 'high',
          message: 'no browser found',
          durationMs: 1,
          evidence: { attachments: ['shots/a.png'] },
        },
      ],
    },
  ],
};

function golden(name: string, actual: string) {
  const path = new URL(`../golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`);
}

test('JUnit report matches the golden file', () => golden('report.junit.xml', renderJunit(result)));
test('Markdown report matches the golden file', () => golden('report.md', renderMarkdown(result)));

test('JUnit keeps failure, error and skipped distinct and counts them', () => {
  const xml = renderJunit(result);
  assert.match(xml, /<testsuites name="shipgate golden" tests="5" failures="1" errors="1" time="1.235">/);
  assert.match(
    xml,
    /<failure message="GET \/ready: status 503, expected 200; body.status \(&quot;degraded&quot;\) == &quot;ok&quot;" type="critical">/,
  );
  assert.match(xml, /<error message="no browser found" type="shipgate">/);
  assert.match(xml, /<skipped message="target not ready: probes.readiness failed"\/>/);
  assert.match(xml, /\[\[ATTACHMENT\|shots\/a.png\]\]/);
  assert.doesNotMatch(xml, /\u001b/);
});

test('JSON report is the versioned contract', () => {
  const parsed = JSON.parse(renderJson(result));
  assert.equal(parsed.schemaVersion, 1);
  assert.equal(parsed.verdict, 'fail');
  assert.deepEqual(
    Object.keys(parsed.gates[0].checks[1]).sort(),
    ['durationMs', 'evidence', 'id', 'message', 'rationale', 'remediation', 'severity', 'status', 'title'].sort(),
  );
});

const escapes: [string, string][] = [
  ['a & b', 'a &amp; b'],
  ['"q" \'s\'', '&quot;q&quot; &apos;s&apos;'],
  ['<tag>', '&lt;tag&gt;'],
  // Control characters stay visible as symbols (U+2400 block), never act on a terminal or parser.
  ['\u001b[31mred\u001b[0m', '\u241b[31mred\u241b[0m'],
  ['bell\u0007', 'bell\u2407'],
];
for (const [input, out] of escapes)
  test(`XML attribute escaping of ${JSON.stringify(input)}`, () => assert.equal(escapeAttribute(input), out));
test('CDATA splits ]]>', () => assert.equal(cdata('x]]>y'), '<![CDATA[x]]]]><![CDATA[>y]]>'));
