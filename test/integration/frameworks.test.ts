// The security gate against servers built with the middleware people really use: Express 5 with helmet
// and cors, Fastify 5 with @fastify/helmet and @fastify/cors. Configured well, every check passes (no
// false alarms from helmet's defaults or the CORS middlewares' preflight answers); misconfigured, exactly
// the right check ids fail and nothing unrelated does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogue } from '../../checks/security/catalogue.js';
import { expressApp, listen, type AppOptions } from '../fixtures/frameworks/express-app.js';
import { fastifyApp } from '../fixtures/frameworks/fastify-app.js';
import { check, runYaml, statuses } from '../helpers/run.js';

type RunResult = Awaited<ReturnType<typeof runYaml>>;

const frameworks: { name: string; start: (opts: AppOptions) => Promise<{ url: string; close: () => Promise<void> }>; alwaysSkipped: string[] }[] = [
  // An HTML page at / (with a session cookie) and a JSON API.
  { name: 'Express 5 + helmet + cors', start: async (opts) => listen(expressApp(opts)), alwaysSkipped: ['security.headers.https-redirect', 'security.tls.certificate', 'security.tls.protocols'] },
  // A JSON-only API: no document, so no Permissions-Policy is needed; no cookie either.
  { name: 'Fastify 5 + @fastify/helmet + @fastify/cors', start: fastifyApp, alwaysSkipped: ['security.headers.https-redirect', 'security.tls.certificate', 'security.tls.protocols', 'security.headers.permissions-policy', 'security.cookies.flags'] },
];

// What a team would write for such an app: one allowed origin with credentials, a PUT preflight with an
// Authorization header, HSTS expected (helmet sends it even on http), errors probed on the real API path.
const profile = (url: string) => `name: framework
target:
  baseUrl: ${url}
timeouts:
  request: 5s
  gate: 60s
gates:
  security:
    paths: [/, /health, /api/items]
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

const COVERED_BY_REFLECTION = ['null-origin', 'prefix-match', 'suffix-match', 'unescaped-dot', 'http-trusted', 'any-subdomain'].map((c) => `security.cors.${c}`);

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
  then?: (r: RunResult, framework: string) => void;
}

const cases: Case[] = [
  {
    name: 'configured well (cors with an allowlist of one origin and credentials, helmet defaults)',
    opts: {},
    fails: () => [],
    then: (r, fw) => {
      assert.match(check(r, 'security.headers.grade').message, /^grade A\+/);
      assert.match(check(r, 'security.cors.allowed-origin').message, /^https:\/\/app\.example\.com allowed exactly with credentials on \/, \/health, \/api\/items \(simple request and preflight PUT with content-type, authorization\)$/);
      assert.match(check(r, 'security.headers.csp').message, /no high or medium findings/, "helmet's default CSP (style-src 'unsafe-inline' https:) is no finding for the CSP Evaluator");
      assert.match(check(r, 'security.errors.request-id').message, /X-Request-Id echoed on unknown route and malformed JSON body, generated when absent/);
      if (fw.startsWith('Fastify')) assert.match(check(r, 'security.headers.permissions-policy').message, /^not an HTML document \(application\/json\)/);
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
    then: (r) => assert.match(check(r, 'security.cors.reflect-origin').message, /^https:\/\/evil\.test allowed with credentials on \/, \/health, \/api\/items \(ACAO: https:\/\/evil\.test, ACAC: true\): any site can read these responses$/),
  },
  {
    name: 'misconfigured: an origin RegExp without its $ anchor',
    opts: { corsOrigin: 'unanchored-regex' },
    fails: () => ['security.cors.prefix-match'],
    then: (r) => assert.match(check(r, 'security.cors.prefix-match').message, /^https:\/\/app\.example\.com\.evil\.test allowed with credentials/),
  },
  {
    name: 'misconfigured: the security-header middleware left out',
    opts: { helmet: false },
    // Express announces itself with X-Powered-By (helmet removes it); Fastify sends no such header.
    fails: (fw) => ['hsts', 'csp', 'nosniff', 'frame-options', 'grade', ...(fw.startsWith('Express') ? ['version-leak'] : [])].map((h) => `security.headers.${h}`).sort(),
    warns: ['security.headers.referrer-policy', 'security.headers.cross-origin-policies'],
    then: (r) => assert.match(check(r, 'security.headers.grade').message, /^grade D \(score 30\) on \/ is below the minimum B: −25 csp-not-implemented, −20 strict-transport-security-not-implemented, −20 x-frame-options-not-implemented, −5 x-content-type-options-not-implemented/),
  },
];

for (const fw of frameworks) {
  for (const c of cases) {
    test(`${fw.name}, ${c.name}`, async () => {
      const server = await fw.start(c.opts);
      try {
        const r = await runYaml(profile(server.url), { gates: ['security'] });
        assert.deepEqual(Object.keys(statuses(r, 'security')).sort(), catalogue.map((x) => x.id).sort(), 'one result per check id');
        assert.deepEqual(idsWith(r, ['fail']), c.fails(fw.name));
        assert.deepEqual(idsWith(r, ['warn']), (c.warns ?? []).sort());
        assert.deepEqual(idsWith(r, ['error']), []);
        assert.deepEqual(idsWith(r, ['skip']), [...fw.alwaysSkipped, ...(c.skips ?? [])].sort());
        assert.equal(r.verdict, c.fails(fw.name).length ? 'fail' : 'pass');
        c.then?.(r, fw.name);
      } finally {
        await server.close();
      }
    });
  }
}
