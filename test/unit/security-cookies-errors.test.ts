// Cookie flags (parsed by undici) and error hygiene (stack-trace patterns, error shape, request ids), table-driven.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditCookies, isLoopbackHttp, maskCookie } from '../../checks/security/cookies.js';
import { findStackTrace, judgeJsonFormat, judgeRequestId, type ErrorObservation } from '../../checks/security/errors.js';

const NAMES = ['sess', 'sid', 'token', 'auth', 'refresh', 'login', 'jwt'];

const cookies: { name: string; url: string; line: string; problems: string[] }[] = [
  {
    name: 'good session cookie on https',
    url: 'https://app.example.com/',
    line: '__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax',
    problems: [],
  },
  {
    name: 'loopback http needs no Secure',
    url: 'http://127.0.0.1:4000/',
    line: 'sid=abc; Path=/; HttpOnly; SameSite=Strict',
    problems: [],
  },
  {
    name: 'localhost http needs no Secure',
    url: 'http://localhost:3000/',
    line: 'sid=abc; HttpOnly; SameSite=Lax',
    problems: [],
  },
  {
    name: 'non-session cookie may be script-readable',
    url: 'https://a.example/',
    line: 'theme=dark; Secure; SameSite=Lax',
    problems: [],
  },
  {
    name: 'a CSRF token must stay readable (double submit)',
    url: 'https://a.example/',
    line: 'csrf_token=x; Secure; SameSite=Strict',
    problems: [],
  },
  {
    name: 'session cookie readable by script',
    url: 'https://a.example/',
    line: 'refresh_token=x; Secure; SameSite=Strict',
    problems: ['session/refresh cookie without HttpOnly'],
  },
  { name: 'no Secure on https', url: 'https://a.example/', line: 'sid=x; HttpOnly; SameSite=Lax', problems: ['no Secure flag'] },
  {
    name: 'no Secure on a remote http target',
    url: 'http://staging.example.com/',
    line: 'sid=x; HttpOnly; SameSite=Lax',
    problems: ['no Secure flag (and set over plain http)'],
  },
  {
    name: 'no SameSite',
    url: 'https://a.example/',
    line: 'sid=x; Secure; HttpOnly',
    problems: ['no valid SameSite (Strict, Lax or None)'],
  },
  {
    name: 'SameSite with an invalid value',
    url: 'https://a.example/',
    line: 'sid=x; Secure; HttpOnly; SameSite=Sometimes',
    problems: ['no valid SameSite (Strict, Lax or None)'],
  },
  {
    name: 'SameSite=None without Secure',
    url: 'http://localhost/',
    line: 'pref=1; SameSite=None',
    problems: ['SameSite=None without Secure (browsers reject it)'],
  },
  {
    name: '__Host- with a Domain',
    url: 'https://a.example/',
    line: '__Host-sid=x; Secure; HttpOnly; SameSite=Lax; Path=/; Domain=a.example',
    problems: ['__Host- prefix needs Secure, Path=/ and no Domain'],
  },
  { name: 'a deletion is not audited', url: 'https://a.example/', line: 'sid=; Max-Age=0', problems: [] },
  {
    name: 'an expired cookie is not audited',
    url: 'https://a.example/',
    line: 'sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    problems: [],
  },
];

for (const c of cookies) {
  test(`cookie: ${c.name}`, () => {
    const { problems } = auditCookies([{ url: c.url, setCookie: c.line }], NAMES);
    assert.deepEqual(
      problems.flatMap((p) => p.problems),
      c.problems,
    );
  });
}

test('cookie: deletions are not counted as audited cookies; values are masked in evidence', () => {
  assert.equal(auditCookies([{ url: 'https://a/', setCookie: 'sid=; Max-Age=0' }], NAMES).audited.length, 0);
  assert.equal(maskCookie('sid=abc123; Path=/; HttpOnly'), 'sid=<6 chars>; Path=/; HttpOnly');
  assert.equal(maskCookie('sid=abc123'), 'sid=<6 chars>');
});

test('isLoopbackHttp', () => {
  const table: [string, boolean][] = [
    ['http://127.0.0.1:1/', true],
    ['http://127.1.2.3/', true],
    ['http://localhost/', true],
    ['http://app.localhost/', true],
    ['http://[::1]:8080/', true],
    ['https://localhost/', false],
    ['http://10.0.0.1/', false],
    ['http://example.com/', false],
  ];
  for (const [u, expected] of table) assert.equal(isLoopbackHttp(u), expected, u);
});

const stacks: { name: string; body: string; found?: RegExp }[] = [
  {
    name: 'Node stack in JSON',
    body: JSON.stringify({
      stack: 'Error: boom\n    at handler (/srv/app/dist/routes.js:12:7)\n    at next (/srv/app/node_modules/x/index.js:1:2)',
    }),
    found: /Node\.js stack frame/,
  },
  { name: 'Node frame without a function name', body: 'Error: x\n    at /app/server.js:10:3', found: /Node\.js stack frame/ },
  {
    name: 'Node internal frame',
    body: 'at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    found: /Node\.js stack frame/,
  },
  {
    name: 'Python traceback',
    body: 'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>',
    found: /Python traceback/,
  },
  {
    name: 'Java',
    body: 'Exception in thread "main" java.lang.NullPointerException\n\tat com.example.App.main(App.java:14)',
    found: /Java/,
  },
  { name: 'Java frame alone', body: '\tat com.example.web.Controller.get(Controller.java:42)', found: /Java/ },
  {
    name: '.NET',
    body: '   at Shop.Api.Controllers.OrdersController.Get(Int32 id) in C:\\src\\Shop\\OrdersController.cs:line 42',
    found: /\.NET/,
  },
  { name: 'Ruby', body: "app/models/user.rb:12:in `save'", found: /Ruby/ },
  { name: 'Go panic', body: 'panic: runtime error\n\ngoroutine 1 [running]:\nmain.main()', found: /Go panic/ },
  { name: 'PHP', body: 'Stack trace:\n#0 /var/www/index.php(3): foo()', found: /PHP/ },
  { name: 'absolute source path', body: '{"detail":"cannot read /home/deploy/app/src/db.ts"}', found: /absolute source path/ },
  { name: 'Windows path', body: '{"detail":"C:\\\\inetpub\\\\app\\\\server.js failed"}', found: /Windows source path/ },
  {
    name: 'a plain problem JSON',
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no route for GET /api/v1/items/42',
      requestId: 'abc',
    }),
  },
  { name: 'a URL path is not a source path', body: '{"detail":"see /docs/errors/at-limit at 12:30"}' },
  { name: 'prose with "at"', body: '{"detail":"rate limit reached at 12:00:01, retry at 12:01"}' },
];

for (const s of stacks) {
  test(`stack trace: ${s.name}`, () => {
    const hit = findStackTrace(s.body);
    if (s.found) assert.match(hit?.name ?? '(nothing found)', s.found);
    else assert.equal(hit, undefined, JSON.stringify(hit));
  });
}

const OPTS = { requiredFields: ['title', 'status', 'detail'], requestIdFields: ['requestId'], requestIdHeader: 'X-Request-Id' };
const obs = (o: Partial<ErrorObservation>): ErrorObservation => ({
  name: 'unknown route',
  request: 'GET http://t/nope',
  status: 404,
  headers: { 'content-type': 'application/problem+json', 'x-request-id': 'rid-1' },
  body: JSON.stringify({ title: 'Not Found', status: 404, detail: 'x', requestId: 'rid-1' }),
  sentRequestId: 'rid-1',
  expectStatus: (s) => s === 404,
  expectText: '404',
  ...o,
});

const formats: { name: string; o: Partial<ErrorObservation>; status: string; message?: RegExp }[] = [
  { name: 'problem JSON', o: {}, status: 'pass' },
  {
    name: 'plain application/json with charset',
    o: { headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'rid-1' } },
    status: 'pass',
  },
  {
    name: 'an SPA answering 200 HTML',
    o: { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><div id=root></div>' },
    status: 'fail',
    message: /status 200, expected 404, content type "text\/html".*body is not a JSON object/,
  },
  {
    name: 'missing fields',
    o: { body: JSON.stringify({ error: 'not found' }) },
    status: 'fail',
    message: /missing fields title, status, detail, no request id in the body/,
  },
  {
    name: 'body status disagrees',
    o: { body: JSON.stringify({ title: 'x', status: 500, detail: 'x', requestId: 'r' }) },
    status: 'fail',
    message: /body\.status 500 differs from the HTTP status 404/,
  },
  {
    name: 'a transport error is undecided',
    o: { status: undefined, headers: undefined, body: undefined, error: 'connection reset by t:80 (/nope)' },
    status: 'error',
  },
];

for (const f of formats) {
  test(`json format: ${f.name}`, () => {
    const v = judgeJsonFormat([obs(f.o)], OPTS);
    assert.equal(v.status, f.status, v.message);
    if (f.message) assert.match(v.message, f.message);
  });
}

const ids: { name: string; o: Partial<ErrorObservation>; plain?: Record<string, string>; status: string; message?: RegExp }[] = [
  { name: 'echoed and generated', o: {}, plain: { 'x-request-id': 'generated' }, status: 'pass' },
  {
    name: 'not echoed',
    o: { headers: { 'x-request-id': 'other' }, body: JSON.stringify({ requestId: 'other' }) },
    status: 'fail',
    message: /sent X-Request-Id: rid-1, got back other/,
  },
  { name: 'missing header', o: { headers: {} }, status: 'fail', message: /no X-Request-Id header/ },
  {
    name: 'body and header disagree',
    o: { body: JSON.stringify({ requestId: 'zzz' }) },
    status: 'fail',
    message: /body request id "zzz" differs/,
  },
  {
    name: 'not generated when absent',
    o: {},
    plain: {},
    status: 'fail',
    message: /no X-Request-Id header on a request that did not send one/,
  },
];

for (const c of ids) {
  test(`request id: ${c.name}`, () => {
    const v = judgeRequestId([obs(c.o)], c.plain ? { request: 'GET http://t/', status: 200, headers: c.plain } : undefined, OPTS);
    assert.equal(v.status, c.status, v.message);
    if (c.message) assert.match(v.message, c.message);
  });
}
