// Markdown evidence stays readable (long evidence folds under <details>, findings caused by one response are
// grouped under it with the response shown once), and target text stays inert in the webhook's Slack text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { CheckResult, RunResult } from '../../src/result.js';

const response = {
  request: 'GET https://app.example.com/',
  status: 200,
  headers: { 'content-type': 'text/html', server: 'nginx' },
};
const finding = (id: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title: id,
  status: 'fail',
  severity: 'medium',
  message: `${id} missing`,
  durationMs: 0,
  evidence: response,
  ...extra,
});

function report(checks: CheckResult[]): string {
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'shipgate', version: 't' },
    profile: { name: 'p', path: 'p.yaml' },
    target: { baseUrl: 'https://app.example.com' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    verdict: 'fail',
    failOn: 'fail',
    gates: [{ id: 'security', title: 'Security', status: 'fail', durationMs: 1, checks }],
  };
  return renderMarkdown(result);
}

test('five findings from one response are one group that shows the response headers once', () => {
  const md = report(['hsts', 'csp', 'nosniff', 'frame', 'referrer'].map((x) => finding(`security.headers.${x}`)));
  assert.match(md, /#### ❌ 5 findings on `GET https:\/\/app.example.com\/` \(one response\)/);
  assert.equal(md.match(/< server: nginx/g)?.length, 1);
  assert.equal(md.match(/^##### /gm)?.length, 5);
});

test('findings on one error response with the same details (the request id sent) are one group too', () => {
  const errorResponse = { request: 'GET https://app.example.com/nope', status: 200, body: 'Error: x\n    at h (/app/s.js:1:1)' };
  const evidence = { ...errorResponse, details: { sentRequestId: 'shipgate-1' } };
  const md = report(['no-stack-trace', 'json-format', 'request-id'].map((x) => finding(`security.errors.${x}`, { evidence })));
  assert.match(md, /#### ❌ 3 findings on `GET https:\/\/app.example.com\/nope` \(one response\)/);
  assert.equal(md.match(/sentRequestId: shipgate-1/g)?.length, 1);
  const other = report([
    finding('a', { evidence }),
    finding('b', { evidence: { ...errorResponse, details: { sentRequestId: 'shipgate-2' } } }),
  ]);
  assert.doesNotMatch(other, /findings on/, 'different details are different evidence');
});

test('findings from different responses stay separate', () => {
  const md = report([finding('a'), finding('b', { evidence: { ...response, status: 500 } })]);
  assert.doesNotMatch(md, /findings on/);
  assert.equal(md.match(/< server: nginx/g)?.length, 2);
});

test('evidence longer than a few lines folds under <details>; short evidence stays open', () => {
  const long = report([
    finding('long', { evidence: { request: 'GET /x', body: Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') } }),
  ]);
  assert.match(long, /<details><summary>Evidence \(\d+ lines\)<\/summary>\n\n````?text\n> GET \/x/);
  const short = report([finding('short')]);
  assert.doesNotMatch(short.split('### Needs attention')[1], /<details><summary>Evidence/);
});

test("the webhook's Slack text makes no link or mention from a target message", async () => {
  const { webhookPayload } = await import('../../src/report/webhook.js');
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'shipgate', version: 't' },
    profile: { name: 'p', path: 'p.yaml' },
    target: { baseUrl: 'https://app.example.com' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    verdict: 'fail',
    failOn: 'fail',
    gates: [
      {
        id: 'security',
        title: 'Security',
        status: 'fail',
        durationMs: 1,
        checks: [finding('security.x', { message: 'Server: <https://evil.test|approve> <!channel>\u001b[2K' })],
      },
    ],
  };
  const text = webhookPayload(result).text;
  assert.doesNotMatch(text, /<https|<!channel>|\u001b/);
  assert.match(text, /&lt;https:\/\/evil\.test\|approve&gt; &lt;!channel&gt;␛\[2K/);
});
