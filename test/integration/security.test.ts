// The security gate against the real demo target (green and with each flaw) and against small
// misconfigured servers on 127.0.0.1.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import { catalogue } from '../../checks/security/catalogue.js';
import { check, runYaml, statuses } from '../helpers/run.js';
import { closedPort, withDemo, withServer } from '../helpers/servers.js';

const DEMO_SECTION = `  security:
    paths: [/, /health, /api/echo]
    minGrade: B
    cors:
      allowedOrigins: [https://app.example.com]
      credentials: true
      preflight: { method: PUT, headers: [content-type, authorization] }
    hsts:
      required: true
    errors:
      apiPath: /api/echo
`;

/** Only the security gate runs (the probes gate is covered by its own tests). */
const run = (yaml: string) => runYaml(yaml, { gates: ['security'] });

const profile = (url: string, section = DEMO_SECTION, request = '2s') => `name: t
target:
  baseUrl: ${url}
timeouts:
  request: ${request}
  gate: 30s
gates:
${section}`;

const ALL_IDS = catalogue.map((c) => c.id);
const GREEN_SKIPS = ['security.headers.https-redirect', 'security.tls.certificate', 'security.tls.protocols']; // the demo serves http

const notPassing = (r: Awaited<ReturnType<typeof runYaml>>, which: string[]) =>
  Object.entries(statuses(r, 'security'))
    .filter(([, s]) => which.includes(s))
    .map(([id]) => id)
    .sort();

test('the green demo passes every security check (grade A+, shown with its score)', async () => {
  await withDemo([], async (demo) => {
    const r = await run(profile(demo.url));
    const s = statuses(r, 'security');
    assert.deepEqual(Object.keys(s).sort(), [...ALL_IDS].sort(), 'one result per check id');
    assert.deepEqual(notPassing(r, ['fail', 'warn', 'error']), []);
    assert.deepEqual(notPassing(r, ['skip']), GREEN_SKIPS);
    const g = check(r, 'security.headers.grade');
    assert.match(g.message, /^grade A\+ \(score 1\d\d, minimum B\): \/ A\+ 130 · \/health A\+ 125 · \/api\/echo A\+ 125$/);
    assert.equal(g.metrics?.score, 125);
    assert.equal(g.metrics?.minScore, 70);
    assert.equal(r.verdict, 'pass');
  });
});

/** Each flaw alone fails its check id and nothing else; skips only where a broader failure covers a narrower check. */
const flaws: { flaw: string; fails: string; coveredSkips?: string[]; message: RegExp }[] = [
  {
    flaw: 'cors-reflect-origin',
    fails: 'security.cors.reflect-origin',
    coveredSkips: ['null-origin', 'prefix-match', 'suffix-match', 'unescaped-dot', 'http-trusted', 'any-subdomain'].map(
      (c) => `security.cors.${c}`,
    ),
    message:
      /^https:\/\/evil\.test allowed with credentials on \/, \/health, \/api\/echo \(ACAO: https:\/\/evil\.test, ACAC: true\)/,
  },
  {
    flaw: 'cors-null-origin',
    fails: 'security.cors.null-origin',
    message: /^null allowed with credentials on \/, \/health, \/api\/echo \(ACAO: null, ACAC: true\)/,
  },
  {
    flaw: 'cors-suffix-match',
    fails: 'security.cors.suffix-match',
    coveredSkips: ['security.cors.any-subdomain'],
    message: /^https:\/\/evilapp\.example\.com allowed with credentials/,
  },
  {
    flaw: 'hsts-missing',
    fails: 'security.headers.hsts',
    message: /^\/, \/health, \/api\/echo: Strict-Transport-Security header missing$/,
  },
  { flaw: 'csp-unsafe-inline', fails: 'security.headers.csp', message: /script-src 'unsafe-inline'/ },
  {
    flaw: 'stack-trace-leak',
    fails: 'security.errors.no-stack-trace',
    message: /POST http:\/\/127\.0\.0\.1:\d+\/api\/echo → 400: the body contains a Node\.js stack frame/,
  },
  {
    flaw: 'exposed-env',
    fails: 'security.exposure.dotenv',
    message: /^\/\.env serves 4 dotenv lines \(NODE_ENV, DEMO_SESSION_SECRET, DATABASE_URL, PORT\)$/,
  },
  {
    flaw: 'exposed-git',
    fails: 'security.exposure.vcs',
    message: /^\/\.git\/HEAD serves a git HEAD \(ref: refs\/…\); \/\.git\/config serves a git config \(\[core\] section\)$/,
  },
  {
    flaw: 'exposed-sourcemap',
    fails: 'security.exposure.sourcemap',
    message:
      /^\/app\.js → \/app\.js\.map serves the original source of 2 of 2 files \(sourcesContent: \.\.\/src\/front\/app\.ts, \.\.\/src\/front\/internal-api\.ts\)$/,
  },
  {
    flaw: 'debug-endpoint',
    fails: 'security.exposure.debug',
    message: /^\/debug\/vars serves expvar variables \(cmdline, memstats\)$/,
  },
];

for (const f of flaws) {
  test(`flaw ${f.flaw} fails ${f.fails} and nothing else in the security gate`, async () => {
    await withDemo([f.flaw], async (demo) => {
      const r = await run(profile(demo.url));
      assert.deepEqual(notPassing(r, ['fail', 'warn', 'error']), [f.fails]);
      assert.deepEqual(notPassing(r, ['skip']), [...GREEN_SKIPS, ...(f.coveredSkips ?? [])].sort());
      for (const id of f.coveredSkips ?? []) assert.match(check(r, id).message, /^covered by security\.cors\./);
      const c = check(r, f.fails);
      assert.match(c.message, f.message);
      assert.ok(c.evidence?.request, 'a failure carries the request as evidence');
      assert.ok(c.remediation && c.rationale);
    });
  });
}

test('the grade reflects a header flaw without failing when it stays above the minimum', async () => {
  await withDemo(['hsts-missing'], async (demo) => {
    const r = await run(profile(demo.url));
    const g = check(r, 'security.headers.grade');
    assert.equal(g.status, 'pass');
    assert.match(g.message, /grade B\+ \(score 80, minimum B\).*−20 strict-transport-security-not-implemented/);
    const strict = await run(profile(demo.url, DEMO_SECTION.replace('minGrade: B', 'minGrade: A')));
    assert.equal(check(strict, 'security.headers.grade').status, 'fail');
    assert.match(
      check(strict, 'security.headers.grade').message,
      /grade B\+ \(score 80\) on \/ is below the minimum A: −20 strict-transport-security-not-implemented/,
    );
  });
});

/** A typical unhardened app: framework banner, no security headers, HTML errors, a bare session cookie. */
function unhardened(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('X-Powered-By', 'Express');
  res.setHeader('Server', 'nginx/1.25.3');
  if (req.url === '/') {
    res.setHeader('Set-Cookie', 'connect.sid=s%3Aabc; Path=/');
    res.setHeader('Content-Type', 'text/html');
    res.end('<h1>home</h1>');
    return;
  }
  res.statusCode = req.method === 'POST' ? 500 : 404;
  res.setHeader('Content-Type', 'text/html');
  res.end(
    req.method === 'POST'
      ? '<pre>SyntaxError: Unexpected end of JSON input<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/srv/app/node_modules/body-parser/lib/types/json.js:92:19)</pre>'
      : 'Cannot GET ' + req.url,
  );
}

test('an unhardened app fails headers, grade, cookies and errors with the resolved values', async () => {
  await withServer(unhardened, async (url) => {
    const r = await run(
      profile(
        url,
        `  security:
    paths: [/]
    cors: { allowedOrigins: [https://app.example.com], credentials: true }
    hsts: { required: true }
`,
      ),
    );
    const s = statuses(r, 'security');
    for (const id of ['hsts', 'csp', 'nosniff', 'frame-options', 'version-leak', 'grade'])
      assert.equal(s[`security.headers.${id}`], 'fail', id);
    assert.equal(s['security.headers.referrer-policy'], 'warn');
    assert.equal(s['security.cors.allowed-origin'], 'fail');
    assert.equal(s['security.cors.reflect-origin'], 'pass');
    assert.match(check(r, 'security.headers.version-leak').message, /X-Powered-By: Express, Server: nginx\/1\.25\.3/);
    assert.match(
      check(r, 'security.headers.grade').message,
      /grade F \(score 10\) on \/ is below the minimum B: −25 csp-not-implemented, −20 cookies-without-secure-flag/,
    );
    assert.equal(
      check(r, 'security.cookies.flags').message,
      'connect.sid (/): session/refresh cookie without HttpOnly, no valid SameSite (Strict, Lax or None)',
    );
    assert.doesNotMatch(JSON.stringify(check(r, 'security.cookies.flags').evidence), /s%3Aabc/, 'the cookie value is masked');
    assert.match(
      check(r, 'security.errors.no-stack-trace').message,
      /POST .*\/api → 500: the body contains a Node\.js stack frame/,
    );
    assert.match(
      check(r, 'security.errors.json-format').message,
      /unknown route: content type "text\/html", expected application\/json or application\/problem\+json, body is not a JSON object; malformed JSON body: status 500, expected a 4xx/,
    );
    assert.match(check(r, 'security.errors.request-id').message, /unknown route: no X-Request-Id header/);
  });
});

test('a public API (ACAO * without credentials) passes the CORS checks', async () => {
  await withServer(
    (req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.setHeader('Access-Control-Allow-Headers', 'content-type');
        res.statusCode = 204;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end('{"public":true}');
    },
    async (url) => {
      const r = await run(
        profile(
          url,
          `  security:
    paths: [/, /api/things]
    cors: { allowedOrigins: [https://app.example.com], credentials: false }
    errors: { enabled: false }
`,
        ),
      );
      const s = statuses(r, 'security');
      for (const id of [
        'reflect-origin',
        'null-origin',
        'prefix-match',
        'suffix-match',
        'unescaped-dot',
        'http-trusted',
        'any-subdomain',
        'wildcard-credentials',
        'vary-origin',
        'allowed-origin',
      ]) {
        assert.equal(s[`security.cors.${id}`], 'pass', `${id}: ${check(r, `security.cors.${id}`).message}`);
      }
      assert.match(check(r, 'security.cors.reflect-origin').message, /ACAO \* without credentials \(public/);
      assert.equal(s['security.errors.json-format'], 'skip');
    },
  );
});

test('requests run concurrently, never more than `concurrency` at once', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  let total = 0;
  const waiters: (() => void)[] = [];
  await withServer(
    (_req, res) => {
      total++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const finish = () => {
        inFlight--;
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      };
      // Hold each answer until a second request is in flight (or 300 ms passed), so overlap is observable.
      waiters.push(finish);
      if (inFlight >= 2) while (waiters.length) waiters.shift()!();
      else setTimeout(() => waiters.includes(finish) && waiters.splice(waiters.indexOf(finish), 1) && finish(), 300);
    },
    async (url) => {
      const paths = Array.from({ length: 12 }, (_, i) => `/p${i}`);
      const r = await run(
        profile(
          url,
          `  security:
    paths: [${paths.join(', ')}]
    concurrency: 3
    cors: { allowedOrigins: [https://app.example.com], preflight: false }
    exposure: { enabled: false }
`,
        ),
      );
      assert.ok(r.gates.find((g) => g.id === 'security'));
      assert.ok(maxInFlight <= 3, `at most 3 in flight, saw ${maxInFlight}`);
      assert.ok(maxInFlight >= 2, `requests overlapped (saw ${maxInFlight})`);
      assert.equal(
        total,
        12 + 12 * 8 + 2 + 3,
        'one GET per path, 8 origins per path, 2 error probes, 3 more to errors.apiPath (wrong content type, oversized, wrong method)',
      );
    },
  );
});

test('paths under one prefix share its CORS probes; cors.paths probes exactly the paths it lists', async () => {
  const seen: string[] = [];
  await withServer(
    (req, res) => {
      if (req.headers.origin) seen.push(`${req.method} ${req.url}`);
      // /api/b alone reflects any Origin: only probing it (cors.paths) can find that.
      if (req.url === '/api/b' && req.headers.origin) res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    },
    async (url) => {
      const section = (cors: string) => `  security:
    paths: [/api/a, /api/b, /api/c, /]
    cors: { allowedOrigins: [], preflight: false${cors} }
    errors: { enabled: false }
`;
      const shared = await run(profile(url, section('')));
      assert.deepEqual([...new Set(seen)].sort(), ['GET /', 'GET /api/a'], 'the full origin matrix runs on one path per prefix');
      assert.equal(statuses(shared, 'security')['security.cors.reflect-origin'], 'pass');
      assert.match(
        check(shared, 'security.cors.reflect-origin').message,
        /refused on \/api\/a, \/ \(one path per prefix: \/api\/a stands for \/api\/b, \/api\/c; list cors\.paths to probe others\)/,
      );

      seen.length = 0;
      const listed = await run(profile(url, section(', paths: [/api/a, /api/b]')));
      assert.deepEqual([...new Set(seen)].sort(), ['GET /api/a', 'GET /api/b']);
      assert.equal(statuses(listed, 'security')['security.cors.reflect-origin'], 'fail');
      assert.match(check(listed, 'security.cors.reflect-origin').message, /https:\/\/evil\.test allowed on \/api\/b/);
    },
  );
});

test('a refused connection gives undecided checks with the reason, never a pass or a crash', async () => {
  const port = await closedPort();
  const r = await run(
    profile(
      `http://127.0.0.1:${port}`,
      `  security:
    paths: [/]
    cors: { allowedOrigins: [https://app.example.com] }
`,
    ),
  );
  const s = statuses(r, 'security');
  assert.ok(!Object.values(s).includes('pass'), JSON.stringify(s));
  assert.equal(s['security.headers.csp'], 'error');
  assert.match(check(r, 'security.headers.csp').message, new RegExp(`connection refused to 127\\.0\\.0\\.1:${port}`));
  assert.equal(s['security.cors.reflect-origin'], 'error');
  assert.equal(s['security.headers.grade'], 'error');
});

test('a server that never answers fails within the request deadline', async () => {
  await withServer(
    () => {},
    async (url) => {
      const r = await run(
        profile(
          url,
          `  security:
    paths: [/]
`,
          '300ms',
        ),
      );
      assert.match(check(r, 'security.headers.hsts').message, /no complete response from 127\.0\.0\.1:\d+ within 300ms/);
    },
  );
});
