// The security gate against servers built with the middleware people really use: Express 5 with helmet
// and cors, Fastify 5 with @fastify/helmet and @fastify/cors. Configured well, every check passes (no
// false alarms from helmet's defaults or the CORS middlewares' preflight answers); misconfigured, exactly
// the right check ids fail and nothing unrelated does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogue } from '../../checks/security/catalogue.js';
import { expressApp, listen, type AppOptions } from '../fixtures/frameworks/express-app.js';
import { fastifyApp } from '../fixtures/frameworks/fastify-app.js';
import { FIXTURE_PASSWORD, FIXTURE_USER, type AuthMistake } from '../fixtures/frameworks/auth-store.js';
import { expressAuthApp } from '../fixtures/frameworks/express-auth.js';
import { fastifyAuthApp } from '../fixtures/frameworks/fastify-auth.js';
import { ENV_DB_PASSWORD } from '../fixtures/frameworks/deploy-folder.js';
import { renderJson } from '../../src/report/json.js';
import { check, runYaml, statuses } from '../helpers/run.js';

type RunResult = Awaited<ReturnType<typeof runYaml>>;

const frameworks: {
  name: string;
  start: (opts: AppOptions) => Promise<{ url: string; close: () => Promise<void> }>;
  alwaysSkipped: string[];
}[] = [
  // An HTML page at / (with a session cookie) and a JSON API.
  {
    name: 'Express 5 + helmet + cors',
    start: async (opts) => listen(expressApp(opts)),
    alwaysSkipped: ['security.headers.https-redirect', 'security.tls.certificate', 'security.tls.protocols'],
  },
  // A JSON-only API: no document, so no Permissions-Policy is needed; no cookie either, and no page loading scripts.
  {
    name: 'Fastify 5 + @fastify/helmet + @fastify/cors',
    start: fastifyApp,
    alwaysSkipped: [
      'security.headers.https-redirect',
      'security.tls.certificate',
      'security.tls.protocols',
      'security.headers.permissions-policy',
      'security.cookies.flags',
      'security.exposure.sourcemap',
    ],
  },
];

// What a team would write for such an app: one allowed origin with credentials, a PUT preflight with an
// Authorization header, HSTS expected (helmet sends it even on http), errors probed on the real API path.
const profile = (url: string, paths = ['/', '/health', '/api/items']) => `name: framework
target:
  baseUrl: ${url}
timeouts:
  request: 5s
  gate: 60s
gates:
  security:
    paths: [${paths.join(', ')}]
    minGrade: B
    cors:
      allowedOrigins: [https://app.example.com]
      credentials: true
      preflight: { method: PUT, headers: [content-type, authorization] }
    hsts:
      required: true
    errors:
      apiPath: /api/items
`;

const COVERED_BY_REFLECTION = [
  'null-origin',
  'prefix-match',
  'suffix-match',
  'unescaped-dot',
  'http-trusted',
  'any-subdomain',
].map((c) => `security.cors.${c}`);

const idsWith = (r: RunResult, which: string[]) =>
  Object.entries(statuses(r, 'security'))
    .filter(([, s]) => which.includes(s))
    .map(([id]) => id)
    .sort();

interface Case {
  name: string;
  opts: AppOptions;
  /** Check ids that fail (by framework name where they differ). */
  fails: (framework: string) => string[];
  warns?: string[];
  /** Skips on top of the framework's usual ones. */
  skips?: string[];
  /** Usual skips that this case turns into a judged check (by framework name). */
  unskips?: (framework: string) => string[];
  /** Audited paths, when the case needs another page (by framework name). */
  paths?: (framework: string) => string[] | undefined;
  then?: (r: RunResult, framework: string) => void;
}

const cases: Case[] = [
  {
    name: 'configured well (cors with an allowlist of one origin and credentials, helmet defaults)',
    opts: {},
    fails: () => [],
    then: (r, fw) => {
      assert.match(check(r, 'security.headers.grade').message, /^grade A\+/);
      assert.match(
        check(r, 'security.cors.allowed-origin').message,
        /^https:\/\/app\.example\.com allowed exactly with credentials on \/, \/health, \/api\/items \(simple request and preflight PUT with content-type, authorization\)$/,
      );
      assert.match(
        check(r, 'security.headers.csp').message,
        /no high or medium findings/,
        "helmet's default CSP (style-src 'unsafe-inline' https:) is no finding for the CSP Evaluator",
      );
      assert.match(
        check(r, 'security.errors.request-id').message,
        /X-Request-Id echoed on unknown route and malformed JSON body, generated when absent/,
      );
      if (fw.startsWith('Fastify'))
        assert.match(check(r, 'security.headers.permissions-policy').message, /^not an HTML document \(application\/json\)/);
      else assert.match(check(r, 'security.cookies.flags').message, /^sid \(\/\)/);
    },
  },
  {
    name: 'configured well with the allowed origin as a plain string (the middleware sends it to every Origin)',
    opts: { corsOrigin: 'string' },
    fails: () => [],
    then: (r) => assert.match(check(r, 'security.cors.reflect-origin').message, /^https:\/\/evil\.test refused/),
  },
  {
    name: 'misconfigured: origin: true with credentials reflects every Origin',
    opts: { corsOrigin: 'reflect-any' },
    fails: () => ['security.cors.reflect-origin'],
    skips: COVERED_BY_REFLECTION,
    then: (r) =>
      assert.match(
        check(r, 'security.cors.reflect-origin').message,
        /^https:\/\/evil\.test allowed with credentials on \/, \/health, \/api\/items \(ACAO: https:\/\/evil\.test, ACAC: true\): any site can read these responses$/,
      ),
  },
  {
    name: 'misconfigured: an origin RegExp without its $ anchor',
    opts: { corsOrigin: 'unanchored-regex' },
    fails: () => ['security.cors.prefix-match'],
    then: (r) =>
      assert.match(
        check(r, 'security.cors.prefix-match').message,
        /^https:\/\/app\.example\.com\.evil\.test allowed with credentials/,
      ),
  },
  {
    name: 'misconfigured: the security-header middleware left out',
    opts: { helmet: false },
    // Express announces itself with X-Powered-By (helmet removes it); Fastify sends no such header.
    fails: (fw) =>
      ['hsts', 'csp', 'nosniff', 'frame-options', 'grade', ...(fw.startsWith('Express') ? ['version-leak'] : [])]
        .map((h) => `security.headers.${h}`)
        .sort(),
    warns: ['security.headers.referrer-policy', 'security.headers.cross-origin-policies'],
    then: (r) =>
      assert.match(
        check(r, 'security.headers.grade').message,
        /^grade D \(score 30\) on \/ is below the minimum B: −25 csp-not-implemented, −20 strict-transport-security-not-implemented, −20 x-frame-options-not-implemented, −5 x-content-type-options-not-implemented/,
      ),
  },
  {
    name: 'mistake: the checkout root served as static files with dotfiles allowed (its .env goes out)',
    opts: { exposure: 'exposed-env' },
    fails: () => ['security.exposure.dotenv'],
    then: (r) => {
      assert.match(
        check(r, 'security.exposure.dotenv').message,
        /^\/\.env serves 3 dotenv lines \(NODE_ENV, JWT_SECRET, DATABASE_URL\)$/,
      );
      assert.ok(!renderJson(r).includes(ENV_DB_PASSWORD), 'the database password from .env is not reprinted');
      assert.ok(!renderJson(r).includes('jwt-secret-2b7e151628aed2a6'), 'the JWT secret from .env is not reprinted');
    },
  },
  {
    name: 'mistake: the checkout root served as static files with dotfiles allowed (its .git goes out)',
    opts: { exposure: 'exposed-git' },
    fails: () => ['security.exposure.vcs'],
    then: (r) => assert.match(check(r, 'security.exposure.vcs').message, /^\/\.git\/HEAD serves a git HEAD/),
  },
  {
    name: 'mistake: the front end built with public source maps (sourcesContent) and served from dist/',
    opts: { exposure: 'exposed-sourcemap' },
    fails: () => ['security.exposure.sourcemap'],
    // The Fastify API serves its front end under /app/; an HTML page there is judged for Permissions-Policy too.
    paths: (fw) => (fw.startsWith('Fastify') ? ['/', '/health', '/api/items', '/app/'] : undefined),
    unskips: (fw) => (fw.startsWith('Fastify') ? ['security.headers.permissions-policy', 'security.exposure.sourcemap'] : []),
    then: (r) =>
      assert.match(
        check(r, 'security.exposure.sourcemap').message,
        /\/app\.js → \/app(?:\/app)?\.js\.map serves the original source of 1 of 1 files \(sourcesContent: \.\.\/src\/main\.ts\)$/,
      ),
  },
  {
    name: 'mistake: a hand-rolled expvar-style /debug/vars route',
    opts: { exposure: 'debug-endpoint' },
    fails: () => ['security.exposure.debug'],
    then: (r) =>
      assert.match(check(r, 'security.exposure.debug').message, /^\/debug\/vars serves expvar variables \(cmdline, memstats\)$/),
  },
];

for (const fw of frameworks) {
  for (const c of cases) {
    test(`${fw.name}, ${c.name}`, async () => {
      const server = await fw.start(c.opts);
      try {
        const r = await runYaml(profile(server.url, c.paths?.(fw.name)), { gates: ['security'] });
        assert.deepEqual(
          Object.keys(statuses(r, 'security')).sort(),
          catalogue.map((x) => x.id).sort(),
          'one result per check id',
        );
        assert.deepEqual(idsWith(r, ['fail']), c.fails(fw.name));
        assert.deepEqual(idsWith(r, ['warn']), (c.warns ?? []).sort());
        assert.deepEqual(idsWith(r, ['error']), []);
        const unskipped = c.unskips?.(fw.name) ?? [];
        assert.deepEqual(
          idsWith(r, ['skip']),
          [...fw.alwaysSkipped.filter((id) => !unskipped.includes(id)), ...(c.skips ?? [])].sort(),
        );
        assert.equal(r.verdict, c.fails(fw.name).length ? 'fail' : 'pass');
        c.then?.(r, fw.name);
      } finally {
        await server.close();
      }
    });
  }
}

// The load gate's beyond-threshold checks against the same apps: the list route (a query through a
// database pool) configured well, behind a pool of 4, and with a cache that stalls every 50th request.
const loadProfile = (url: string) => `name: framework-load
target:
  baseUrl: ${url}
timeouts:
  request: 5s
  gate: 60s
gates:
  load:
    endpoints:
      - name: items
        path: /api/items/slow
        thresholds: [p95 < 1s, errors < 1%]
    connections: 10
    warmup: 200ms
    duration: 3s
`;

const loadCases: { name: string; opts: AppOptions; notPassing: string[]; message?: [string, RegExp] }[] = [
  { name: 'configured well (a pool as large as the load)', opts: {}, notPassing: [] },
  {
    name: 'mistake: the database pool left at 4 for 10 connections',
    opts: { load: 'pool-of-4' },
    notPassing: ['load.concurrency.items=fail'],
    message: [
      'load.concurrency.items',
      /≈ [2-4]\.\d requests served at once, of 10 offered \(floor 5\).*serves only about [2-5] at a time$/,
    ],
  },
  {
    name: 'mistake: a cache that expires every 50th request and refetches while the request waits',
    opts: { load: 'p99-spike' },
    notPassing: ['load.tail.items=warn'],
    message: ['load.tail.items', /^p99 7\d\dms is [\d.]+× p95 .*% of requests/],
  },
];

for (const fw of frameworks) {
  for (const c of loadCases) {
    test(`${fw.name}, load: ${c.name}`, async () => {
      const server = await fw.start(c.opts);
      try {
        const r = await runYaml(loadProfile(server.url), { gates: ['load'] });
        const notPassing = Object.entries(statuses(r, 'load'))
          .filter(([, st]) => st !== 'pass')
          .map(([id, st]) => `${id}=${st}`);
        assert.deepEqual(
          notPassing,
          c.notPassing,
          check(r, 'load.concurrency.items').message + ' / ' + check(r, 'load.summary.items').message,
        );
        if (c.message) assert.match(check(r, c.message[0]).message, c.message[1]);
      } finally {
        await server.close();
      }
    });
  }
}

// The auth gate against the same two frameworks with a real login, refresh rotation and login limiter
// (express-rate-limit, @fastify/rate-limit): configured well every auth check passes; each mistake, made
// the framework's way, fails exactly its own check.
const authFrameworks: { name: string; start: (mistake?: AuthMistake) => Promise<{ url: string; close: () => Promise<void> }> }[] =
  [
    { name: 'Express 5 + express-rate-limit + cookie-parser', start: async (mistake) => listen(expressAuthApp(mistake)) },
    { name: 'Fastify 5 + @fastify/rate-limit + @fastify/cookie', start: fastifyAuthApp },
  ];

const authProfile = (url: string) => `name: framework-auth
target:
  baseUrl: ${url}
timeouts:
  request: 5s
gates:
  auth:
    login:
      username: ${FIXTURE_USER}
      password: \${secret:FIXTURE_PASSWORD}
`;

const authCases: [string, AuthMistake | undefined, Record<string, string>, RegExp | undefined][] = [
  ['configured well', undefined, {}, undefined],
  [
    'a caching header on every API response (/api/me public, max-age=300)',
    'me-cacheable',
    { 'auth.no-store': 'fail' },
    /GET \/api\/me → Cache-Control: public, max-age=300/,
  ],
  [
    'the refresh token returned in the JSON body too',
    'refresh-in-body',
    { 'auth.refresh-token-not-in-body': 'fail' },
    /POST \/api\/auth\/login: the "refresh_token" cookie's value at "refreshToken"/,
  ],
  [
    'trust proxy: true, so the limiter keys on X-Forwarded-For',
    'xff-bypass',
    { 'auth.login-rate-limit': 'fail' },
    /escapes the limit by claiming another address: X-Forwarded-For: [\d.]+ → 401 Unauthorized/,
  ],
];

for (const fw of authFrameworks) {
  for (const [what, mistake, expected, message] of authCases) {
    test(`${fw.name}, auth: ${what}`, async () => {
      const server = await fw.start(mistake);
      try {
        const r = await runYaml(authProfile(server.url), { gates: ['auth'], env: { FIXTURE_PASSWORD } });
        const notPassing = Object.fromEntries(Object.entries(statuses(r, 'auth')).filter(([, s]) => s !== 'pass'));
        assert.deepEqual(
          notPassing,
          { ...expected, 'auth.browser-storage': 'skip' },
          JSON.stringify(
            r.gates[0].checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`),
            null,
            1,
          ),
        );
        const [id] = Object.keys(expected);
        if (id && message) assert.match(check(r, id).message, message);
      } finally {
        await server.close();
      }
    });
  }
}
