// The auth gate against the real demo target (green, and each flaw alone), against servers whose login
// is broken, and through a rewriting proxy that bends one detail of the demo's answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineCheck } from '../../src/check.js';
import { DEMO_PASSWORD, DEMO_USERNAME } from '../../src/demo/auth.js';
import { GATES } from '../../src/gates/registry.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { setCookiesOf, withProxy, type Rewrite } from '../helpers/proxy.js';
import { withDemo, withServer } from '../helpers/servers.js';

const AUTH_IDS = [
  'auth.login',
  'auth.cookie-flags',
  'auth.token-lifetime',
  'auth.protected-requires-token',
  'auth.rejects-alg-none',
  'auth.refresh-rotates',
  'auth.refresh-reuse-rejected',
  'auth.refresh-requires-cookie',
  'auth.browser-storage',
  'auth.no-store',
  'auth.refresh-token-not-in-body',
  'auth.logout-revokes',
  'auth.login-rate-limit',
];

// A later-phase gate that borrows the auth gate's access token, the way realtime and load do.
const borrowed = defineCheck({
  id: 'borrower.token',
  title: 'borrowed token works',
  severity: 'low',
  rationale: 'r',
  remediation: 'm',
});
let borrowedSeen: string | undefined;
GATES.push({
  id: 'borrower',
  title: 'Borrower',
  description: 'test only',
  phase: 3,
  schema: z.strictObject({}).prefault({}),
  load: async () => ({
    id: 'borrower',
    title: 'Borrower',
    catalogue: [borrowed],
    async run(ctx) {
      const token = ctx.shared.accessToken;
      borrowedSeen = token;
      if (!token) return void ctx.record(borrowed.fail('no shared.accessToken'));
      const res = await ctx.http.request({ url: '/api/me', headers: { authorization: `Bearer ${token}` }, signal: ctx.signal });
      ctx.record(
        res.status === 200 ? borrowed.pass(`GET /api/me → 200 with ${token}`) : borrowed.fail(`GET /api/me → ${res.status}`),
      );
    },
  }),
});

const profile = (url: string, extra = '') => `name: t
target:
  baseUrl: ${url}
timeouts:
  request: 3s
gates:
  auth:
    login:
      username: demo
      password: \${secret:TEST_DEMO_PASSWORD}
${extra}`;

const env = { TEST_DEMO_PASSWORD: DEMO_PASSWORD };
// Only the auth gate (and a test gate where named): the tiny servers below have no health endpoints.
const run = (url: string, extra = '', gates = ['auth']) => runYaml(profile(url, extra), { env, gates });

/** The ids that did not pass, with their status. */
function nonPass(r: Awaited<ReturnType<typeof runYaml>>): Record<string, string> {
  return Object.fromEntries(Object.entries(statuses(r, 'auth')).filter(([, s]) => s !== 'pass'));
}

const NOT_CONFIGURED = { 'auth.browser-storage': 'skip' };

test('the green demo passes every auth check, and the login burst runs last', async () => {
  await withDemo([], async (demo) => {
    const r = await run(demo.url);
    assert.deepEqual(Object.keys(statuses(r, 'auth')).sort(), [...AUTH_IDS].sort());
    assert.deepEqual(nonPass(r), NOT_CONFIGURED);
    assert.match(check(r, 'auth.browser-storage').message, /^not configured/);
    const ids = r.gates.find((g) => g.id === 'auth')!.checks.map((c) => c.id);
    assert.deepEqual(ids.slice(-2), ['auth.logout-revokes', 'auth.login-rate-limit']);
    assert.match(check(r, 'auth.login-rate-limit').message, /→ 429 after 10 failed logins/);
    assert.equal(r.verdict, 'pass');
  });
});

// Each flaw alone fails its own check and nothing else. A skip listed here is a consequence that
// cannot be judged (no rotation means no rotated-out token to reuse), not a failure.
const flawTable: [string, Record<string, string>][] = [
  ['auth-no-rotation', { 'auth.refresh-rotates': 'fail', 'auth.refresh-reuse-rejected': 'skip' }],
  ['auth-reuse-allowed', { 'auth.refresh-reuse-rejected': 'fail' }],
  ['auth-alg-none-accepted', { 'auth.rejects-alg-none': 'fail' }],
  ['auth-me-no-auth', { 'auth.protected-requires-token': 'fail' }],
  ['auth-long-lived-token', { 'auth.token-lifetime': 'fail' }],
  ['me-cacheable', { 'auth.no-store': 'fail' }],
  ['refresh-in-body', { 'auth.refresh-token-not-in-body': 'fail' }],
  ['xff-bypass', { 'auth.login-rate-limit': 'fail' }],
];
for (const [flaw, expected] of flawTable) {
  test(`flaw ${flaw} fails ${Object.keys(expected).find((k) => expected[k] === 'fail')} and no other auth check`, async () => {
    await withDemo([flaw], async (demo) => {
      const r = await run(demo.url);
      assert.deepEqual(nonPass(r), { ...expected, ...NOT_CONFIGURED });
      assert.equal(r.verdict, 'fail');
    });
  });
}

test('flaw messages name what is wrong with the resolved values', async () => {
  const cases: [string, string, RegExp][] = [
    ['auth-no-rotation', 'auth.refresh-rotates', /set "refresh_token" to the same value again: the refresh token is not rotated/],
    [
      'auth-reuse-allowed',
      'auth.refresh-reuse-rejected',
      /rotated-out refresh token → 200 OK: an old copy of the token still works/,
    ],
    ['auth-alg-none-accepted', 'auth.rejects-alg-none', /accepts a token re-encoded with alg "none" and no signature \(200 OK\)/],
    ['auth-me-no-auth', 'auth.protected-requires-token', /no token → 200 OK, expected 401/],
    ['auth-long-lived-token', 'auth.token-lifetime', /exp − iat = 24h, maximum 15m: a stolen token works that long/],
    [
      'me-cacheable',
      'auth.no-store',
      /GET \/api\/me → Cache-Control: public, max-age=300 \(a cache may hand this user's data to the next person\)/,
    ],
    [
      'refresh-in-body',
      'auth.refresh-token-not-in-body',
      /POST \/api\/auth\/login: the "refresh_token" cookie's value at "refreshToken"; POST \/api\/auth\/refresh: the "refresh_token" cookie's value at "refreshToken"/,
    ],
    [
      'xff-bypass',
      'auth.login-rate-limit',
      /→ 429 after 10 failed logins .*but the same client escapes the limit by claiming another address: X-Forwarded-For: (192\.0\.2|198\.51\.100|203\.0\.113)\.\d+ → 401 Unauthorized/,
    ],
  ];
  for (const [flaw, id, message] of cases) {
    await withDemo([flaw], async (demo) => {
      const c = check(await run(demo.url), id);
      assert.match(c.message, message, `${flaw}: ${c.message}`);
      assert.ok(c.remediation, id);
    });
  }
});

test('the access token is published for later gates and still works after the auth gate is done', async () => {
  await withDemo([], async (demo) => {
    borrowedSeen = undefined;
    // The borrower gate registers after the gate list was read, so it cannot be named in --gates.
    const r = await runYaml(profile(demo.url, '  borrower: {}\n'), { env });
    assert.equal(check(r, 'borrower.token').status, 'pass');
    assert.ok(borrowedSeen && borrowedSeen.split('.').length === 3);
    // ...and the token the later gate printed is redacted like every other.
    assert.equal(check(r, 'borrower.token').message, 'GET /api/me → 200 with ***');
    assert.ok(!JSON.stringify(r).includes(borrowedSeen));
  });
});

test('the login burst locks out neither the real account nor the client', async () => {
  await withDemo([], async (demo) => {
    const r = await run(demo.url);
    assert.equal(check(r, 'auth.login-rate-limit').status, 'pass');
    const res = await fetch(`${demo.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: DEMO_USERNAME, password: DEMO_PASSWORD }),
    });
    assert.equal(res.status, 200);
  });
});

test('no 429 within the burst is a failure by default, a warning with required: false', async () => {
  await withDemo([], async (demo) => {
    const failed = check(await run(demo.url, '    rateLimit: { attempts: 5 }\n'), 'auth.login-rate-limit');
    assert.equal(failed.status, 'fail');
    assert.match(failed.message, /no 429 after 5 failed logins .*\(answers: 401 ×5\)/);
  });
  await withDemo([], async (demo) => {
    const warned = check(await run(demo.url, '    rateLimit: { attempts: 5, required: false }\n'), 'auth.login-rate-limit');
    assert.equal(warned.status, 'warn');
  });
});

// A login endpoint that is broken: auth.login fails with the status and a bounded excerpt of the body,
// every check that needs a session is skipped with that reason.
const HUGE_HTML = `<html><body><h1>Oops</h1>${'<p>stack frame</p>'.repeat(2000)}</body></html>`;
const brokenLogins: [string, number, string, string, RegExp][] = [
  [
    '500 JSON',
    500,
    'application/json',
    '{"error":"db down"}',
    /^login failed: 500 Internal Server Error from POST \/api\/auth\/login \(application\/json\)$/,
  ],
  [
    '500 HTML',
    500,
    'text/html',
    HUGE_HTML,
    /^login failed: 500 Internal Server Error from POST \/api\/auth\/login \(text\/html\)$/,
  ],
  [
    '200 HTML',
    200,
    'text/html',
    HUGE_HTML,
    /^login failed: POST \/api\/auth\/login answered 200 with a body that is not JSON \(text\/html\)$/,
  ],
  [
    '200 JSON without a token',
    200,
    'application/json',
    '{"ok":true,"user":"demo"}',
    /^login failed: no access token at "accessToken" in the response \(top-level keys: ok, user; set gates\.auth\.accessToken\.jsonPath\)$/,
  ],
];
const DEPENDENT = [
  'auth.cookie-flags',
  'auth.token-lifetime',
  'auth.protected-requires-token',
  'auth.rejects-alg-none',
  'auth.refresh-rotates',
  'auth.refresh-reuse-rejected',
  'auth.logout-revokes',
  'auth.login-rate-limit',
];
for (const [what, status, type, body, reason] of brokenLogins) {
  test(`a login answering ${what} fails auth.login with the status and a bounded excerpt; dependents skip`, async () => {
    await withServer(
      (req, res) => {
        res.statusCode = req.url === '/api/auth/login' ? status : 401;
        res.setHeader('content-type', req.url === '/api/auth/login' ? type : 'application/json');
        res.end(req.url === '/api/auth/login' ? body : '{"error":"unauthorized"}');
      },
      async (url) => {
        const r = await run(url);
        const login = check(r, 'auth.login');
        assert.equal(login.status, 'fail');
        assert.match(login.message, reason);
        assert.equal(login.evidence?.status, status);
        assert.ok(login.evidence!.body!.length <= 400, `excerpt is ${login.evidence!.body!.length} characters`);
        assert.ok(login.evidence!.body!.startsWith(body.slice(0, 50)));
        for (const id of DEPENDENT) {
          const c = check(r, id);
          assert.equal(c.status, 'skip', id);
          assert.equal(c.message, login.message, id);
        }
        // Needs no session, so it still ran.
        assert.equal(check(r, 'auth.refresh-requires-cookie').status, 'pass');
      },
    );
  });
}

test('an unreachable login fails auth.login with the transport reason, not a crash', async () => {
  await withServer(
    (req) => req.socket.destroy(),
    async (url) => {
      const r = await run(url);
      assert.match(check(r, 'auth.login').message, /^login failed: connection reset by 127\.0\.0\.1/);
      assert.equal(check(r, 'auth.refresh-requires-cookie').status, 'error');
    },
  );
});

// One detail of the demo bent through the proxy: each must be judged, and nothing else must change.
const isLogin = (path: string) => path === '/api/auth/login';
const rewriteCookies =
  (fn: (line: string) => string): Rewrite =>
  (_req, res) => ({ ...res, headers: { ...res.headers, 'set-cookie': setCookiesOf(res).map(fn) } });
const proxied: [string, Rewrite, string, Record<string, string>, RegExp][] = [
  [
    'an unknown user gets a different answer than a wrong password',
    (req, res) =>
      isLogin(req.path) && res.status === 401 && !req.body.includes('"demo"')
        ? { ...res, body: '{"error":"no such user"}' }
        : res,
    '',
    { 'auth.login': 'warn' },
    /different answers.* vs 401 \{error:"no such user"\}/,
  ],
  [
    'an unknown user gets 404',
    (req, res) => (isLogin(req.path) && res.status === 401 && !req.body.includes('"demo"') ? { ...res, status: 404 } : res),
    '',
    { 'auth.login': 'fail' },
    /unknown user → 404 Not Found, expected 401/,
  ],
  [
    'a wrong password is accepted',
    (req, res) =>
      isLogin(req.path) && res.status === 401 && req.body.includes('"demo"') ? { ...res, status: 200, body: '{"ok":true}' } : res,
    '',
    { 'auth.login': 'fail' },
    /wrong password → 200 OK: wrong credentials are accepted/,
  ],
  [
    'the refresh cookie lacks HttpOnly and SameSite',
    rewriteCookies((l) => l.replace('; HttpOnly', '').replace('; SameSite=Strict', '')),
    '',
    { 'auth.cookie-flags': 'fail' },
    /no HttpOnly.*no SameSite attribute/,
  ],
  [
    'the refresh cookie is sent to every path',
    rewriteCookies((l) => l.replace('Path=/api/auth', 'Path=/')),
    '',
    { 'auth.cookie-flags': 'warn' },
    /Path=\/: the refresh token is sent with every request/,
  ],
  [
    'the refresh cookie does not reach the refresh endpoint',
    rewriteCookies((l) => l.replace('Path=/api/auth', 'Path=/api/auth/login')),
    '',
    { 'auth.cookie-flags': 'fail' },
    /does not cover the refresh endpoint \/api\/auth\/refresh/,
  ],
  [
    'logout revokes but does not clear the cookie',
    (req, res) => (req.path === '/api/auth/logout' ? { ...res, headers: { ...res.headers, 'set-cookie': [] } } : res),
    '',
    { 'auth.logout-revokes': 'warn' },
    /does not clear the "refresh_token" cookie/,
  ],
  [
    'the token carries personal data',
    (req, res) => {
      if (!isLogin(req.path) || res.status !== 200) return res;
      const body = JSON.parse(res.body);
      const [h, p, s] = body.accessToken.split('.');
      const claims = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), email: 'demo@example.com', name: 'Demo User' };
      return {
        ...res,
        body: JSON.stringify({ ...body, accessToken: `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}` }),
      };
    },
    // Re-encoding breaks the signature, so the protected endpoint rightly rejects this token too.
    '',
    { 'auth.token-lifetime': 'warn', 'auth.protected-requires-token': 'fail', 'auth.rejects-alg-none': 'skip' },
    /personal data \(email, name\)/,
  ],
  [
    'the token sits elsewhere in the body (accessToken.jsonPath)',
    (req, res) =>
      res.status === 200 && res.body.includes('accessToken')
        ? { ...res, body: JSON.stringify({ data: { tokens: [JSON.parse(res.body)] } }) }
        : res,
    '    accessToken: { jsonPath: "data.tokens[0].accessToken" }\n',
    {},
    /./,
  ],
];
for (const [what, rewrite, extra, expected, message] of proxied) {
  test(`through a proxy: ${what}`, async () => {
    await withDemo([], async (demo) => {
      await withProxy(demo.url, rewrite, async (url) => {
        const r = await run(url, extra);
        assert.deepEqual(nonPass(r), { ...expected, ...NOT_CONFIGURED });
        const first = Object.keys(expected)[0];
        if (first) assert.match(check(r, first).message, message);
      });
    });
  });
}

test('a refresh endpoint that issues tokens without any cookie fails auth.refresh-requires-cookie', async () => {
  await withDemo([], async (demo) => {
    let loginBody = '';
    let loginCookie: string[] = [];
    const rewrite: Rewrite = (req, res) => {
      if (isLogin(req.path) && res.status === 200) {
        loginBody = res.body;
        loginCookie = setCookiesOf(res);
      }
      if (req.path === '/api/auth/refresh' && !req.headers.cookie && loginBody)
        return { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': loginCookie }, body: loginBody };
      return res;
    };
    await withProxy(demo.url, rewrite, async (url) => {
      const r = await run(url);
      const c = check(r, 'auth.refresh-requires-cookie');
      assert.equal(c.status, 'fail');
      assert.match(c.message, /without any cookie → 200 OK and issued an access token, expected 401/);
      assert.ok(!JSON.stringify(r).includes(JSON.parse(loginBody).accessToken));
    });
  });
});

test('profile: the login body template must carry both placeholders, and a bad jsonPath is a profile error', async () => {
  const { parseProfile } = await import('../../src/profile/load.js');
  const bad: [string, RegExp][] = [
    [
      '      body: { user: fixed, password: "{{password}}" }\n',
      /test\.yaml:\d+:\d+ gates\.auth\.login\.body: the login body template must contain "\{\{username\}\}"/,
    ],
    [
      '    accessToken: { jsonPath: "data..token" }\n',
      /test\.yaml:\d+:\d+ gates\.auth\.accessToken\.jsonPath: empty segment in JSON path "data\.\.token"/,
    ],
  ];
  for (const [extra, message] of bad) {
    const yaml = profile('http://127.0.0.1:1', extra);
    assert.throws(
      () => parseProfile(yaml, 'test.yaml', env),
      (err: Error) => {
        assert.match(err.message, message);
        return true;
      },
    );
  }
});
