// CORS: which origins are derived from an allowed one, and what answers mean. Table-driven, no network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  corsRepresentatives,
  coverageNote,
  deriveOrigins,
  CORS_CLASSES,
  judgeAllowedOrigin,
  judgeClass,
  judgeVaryOrigin,
  judgeWildcardCredentials,
  preflightProblems,
  probeOrigins,
  type CorsJudgeOptions,
  type CorsObservation,
} from '../../checks/security/cors.js';

const derivations: { allowed: string; allowSubdomains?: boolean; expect: Record<string, string> }[] = [
  {
    allowed: 'https://app.example.com',
    expect: {
      'prefix-match': 'https://app.example.com.evil.test',
      'suffix-match': 'https://evilapp.example.com',
      'unescaped-dot': 'https://appxexample.com',
      'http-trusted': 'http://app.example.com',
      'any-subdomain': 'https://evil.app.example.com',
    },
  },
  {
    allowed: 'https://www.shop.example.co:8443',
    expect: {
      'prefix-match': 'https://www.shop.example.co.evil.test:8443',
      'suffix-match': 'https://evilwww.shop.example.co:8443',
      'unescaped-dot': 'https://www.shopxexample.co:8443',
      'http-trusted': 'http://www.shop.example.co:8443',
      'any-subdomain': 'https://evil.www.shop.example.co:8443',
    },
  },
  {
    allowed: 'https://example.com',
    allowSubdomains: true,
    expect: {
      'prefix-match': 'https://example.com.evil.test',
      'suffix-match': 'https://evilexample.com',
      'unescaped-dot': 'https://examplexcom',
      'http-trusted': 'http://example.com',
      'any-subdomain': 'n/a: subdomains are allowed by the profile (cors.allowSubdomains)',
    },
  },
  {
    allowed: 'http://localhost:3000',
    expect: {
      'prefix-match': 'http://localhost.evil.test:3000',
      'suffix-match': 'http://evillocalhost:3000',
      'unescaped-dot': 'n/a: localhost has no dot',
      'http-trusted': 'n/a: http://localhost:3000 is already http',
      'any-subdomain': 'http://evil.localhost:3000',
    },
  },
  {
    allowed: 'http://127.0.0.1:5173',
    expect: {
      'prefix-match': 'http://127.0.0.1.evil.test:5173',
      'suffix-match': 'n/a: 127.0.0.1 is an IP address',
      'unescaped-dot': 'n/a: 127.0.0.1 has no dot',
      'http-trusted': 'n/a: http://127.0.0.1:5173 is already http',
      'any-subdomain': 'n/a: 127.0.0.1 is an IP address',
    },
  },
];

for (const d of derivations) {
  test(`derive origins from ${d.allowed}${d.allowSubdomains ? ' (subdomains allowed)' : ''}`, () => {
    const got = Object.fromEntries(
      deriveOrigins(d.allowed, { allowSubdomains: d.allowSubdomains ?? false }).map((o) => [
        o.cls,
        o.origin ?? `n/a: ${o.notApplicable}`,
      ]),
    );
    assert.deepEqual(got, d.expect);
  });
}

test('probeOrigins: the attacker and null always; an origin that is itself allowed is never an attack', () => {
  const { derived } = probeOrigins(['https://app.example.com', 'http://app.example.com'], { allowSubdomains: false });
  assert.equal(derived[0].origin, 'https://evil.test');
  assert.equal(derived[1].origin, 'null');
  const twin = derived.find((d) => d.cls === 'http-trusted' && d.base === 'https://app.example.com')!;
  assert.equal(twin.origin, undefined);
  assert.match(twin.notApplicable!, /itself an allowed origin/);
});

// ---- judging answers

const ALLOWED = 'https://app.example.com';
const opts = (o: Partial<CorsJudgeOptions> = {}): CorsJudgeOptions => ({
  credentials: true,
  preflight: { method: 'PUT', headers: ['content-type', 'authorization'] },
  derived: probeOrigins([ALLOWED], { allowSubdomains: false }).derived,
  allowedOrigins: [ALLOWED],
  ...o,
});

/** A server policy as a function Origin → response headers, turned into observations for every probe. */
function observe(
  policy: (origin: string, preflight: boolean) => Record<string, string>,
  paths = ['/'],
  allowSubdomains = false,
): CorsObservation[] {
  const { derived } = probeOrigins([ALLOWED], { allowSubdomains });
  const origins = [
    { cls: 'allowed' as const, base: ALLOWED, origin: ALLOWED },
    ...derived.filter((d) => d.origin).map((d) => ({ cls: d.cls, base: d.base, origin: d.origin! })),
  ];
  return paths.flatMap((path) =>
    origins.flatMap((o) =>
      (['simple', 'preflight'] as const).map((kind) => ({
        path,
        kind,
        cls: o.cls,
        base: o.base,
        origin: o.origin,
        request: `${kind === 'preflight' ? 'OPTIONS' : 'GET'} http://t${path}`,
        requestHeaders: { origin: o.origin },
        status: kind === 'preflight' ? 204 : 200,
        headers: lower(policy(o.origin, kind === 'preflight')),
      })),
    ),
  );
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

const PREFLIGHT_OK = {
  'Access-Control-Allow-Methods': 'GET, PUT',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
};
const allowlist = (allow: (o: string) => boolean) => (o: string, pre: boolean) =>
  allow(o)
    ? {
        'Access-Control-Allow-Origin': o,
        'Access-Control-Allow-Credentials': 'true',
        Vary: 'Origin',
        ...(pre ? PREFLIGHT_OK : {}),
      }
    : { Vary: 'Origin' };

const CLASSES = CORS_CLASSES;

const servers: {
  name: string;
  policy: (o: string, pre: boolean) => Record<string, string>;
  opts?: Partial<CorsJudgeOptions>;
  allowSubdomains?: boolean;
  expect: Partial<Record<(typeof CLASSES)[number] | 'allowed-origin' | 'wildcard-credentials' | 'vary-origin', string>>;
}[] = [
  { name: 'exact allowlist', policy: allowlist((o) => o === ALLOWED), expect: {} },
  {
    name: 'reflects everything: one failure, the rest covered',
    policy: allowlist(() => true),
    expect: {
      'reflect-origin': 'fail',
      'null-origin': 'skip',
      'prefix-match': 'skip',
      'suffix-match': 'skip',
      'unescaped-dot': 'skip',
      'http-trusted': 'skip',
      'any-subdomain': 'skip',
    },
  },
  { name: 'allows null', policy: allowlist((o) => o === ALLOWED || o === 'null'), expect: { 'null-origin': 'fail' } },
  { name: 'startsWith check', policy: allowlist((o) => o.startsWith(ALLOWED)), expect: { 'prefix-match': 'fail' } },
  {
    name: 'endsWith check: suffix fails, subdomain covered',
    policy: allowlist((o) => o.startsWith('https://') && o.endsWith('app.example.com')),
    expect: { 'suffix-match': 'fail', 'any-subdomain': 'skip' },
  },
  {
    name: 'unescaped regex',
    policy: allowlist((o) => /^https:\/\/app.example.com$/.test(o)),
    expect: { 'unescaped-dot': 'fail' },
  },
  {
    name: 'scheme ignored',
    policy: allowlist((o) => o.replace(/^http:/, 'https:') === ALLOWED),
    expect: { 'http-trusted': 'fail' },
  },
  {
    name: 'any subdomain, correctly anchored',
    policy: allowlist((o) => o === ALLOWED || /^https:\/\/[a-z0-9-]+\.app\.example\.com$/.test(o)),
    expect: { 'any-subdomain': 'fail' },
  },
  {
    name: 'any subdomain, allowed by the profile',
    policy: allowlist((o) => o === ALLOWED || /^https:\/\/[a-z0-9-]+\.app\.example\.com$/.test(o)),
    allowSubdomains: true,
    opts: { derived: probeOrigins([ALLOWED], { allowSubdomains: true }).derived },
    expect: { 'any-subdomain': 'skip' },
  },
  {
    name: 'public API: ACAO * without credentials is fine',
    policy: (_o, pre) => ({
      'Access-Control-Allow-Origin': '*',
      ...(pre ? { 'Access-Control-Allow-Methods': '*', 'Access-Control-Allow-Headers': 'content-type, authorization' } : {}),
    }),
    opts: { credentials: false },
    expect: {},
  },
  {
    name: 'ACAO * with credentials',
    policy: (_o, pre) => ({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Credentials': 'true',
      ...(pre ? PREFLIGHT_OK : {}),
    }),
    expect: { 'wildcard-credentials': 'fail', 'allowed-origin': 'fail' },
  },
  {
    name: 'origin-dependent ACAO without Vary',
    policy: (o, pre) =>
      o === ALLOWED
        ? { 'Access-Control-Allow-Origin': o, 'Access-Control-Allow-Credentials': 'true', ...(pre ? PREFLIGHT_OK : {}) }
        : {},
    expect: { 'vary-origin': 'fail' },
  },
  {
    name: 'a static ACAO needs no Vary',
    policy: (_o, pre) => ({
      'Access-Control-Allow-Origin': ALLOWED,
      'Access-Control-Allow-Credentials': 'true',
      ...(pre ? PREFLIGHT_OK : {}),
    }),
    expect: {},
  },
  {
    name: 'allowed origin without credentials',
    policy: (o, pre) =>
      o === ALLOWED ? { 'Access-Control-Allow-Origin': o, Vary: 'Origin', ...(pre ? PREFLIGHT_OK : {}) } : { Vary: 'Origin' },
    expect: { 'allowed-origin': 'fail' },
  },
  {
    name: 'preflight misses a header',
    policy: (o, pre) =>
      o === ALLOWED
        ? {
            'Access-Control-Allow-Origin': o,
            'Access-Control-Allow-Credentials': 'true',
            Vary: 'Origin',
            ...(pre ? { 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'content-type' } : {}),
          }
        : { Vary: 'Origin' },
    expect: { 'allowed-origin': 'fail' },
  },
  { name: 'no CORS at all', policy: () => ({}), expect: { 'allowed-origin': 'fail' } },
];

for (const s of servers) {
  test(`cors judge: ${s.name}`, () => {
    const obs = observe(s.policy, ['/'], s.allowSubdomains);
    const o = opts(s.opts);
    const got: Record<string, string> = {};
    for (const cls of CLASSES) got[cls] = judgeClass(cls, obs, o).status;
    got['allowed-origin'] = judgeAllowedOrigin(obs, o).status;
    got['wildcard-credentials'] = judgeWildcardCredentials(obs).status;
    got['vary-origin'] = judgeVaryOrigin(obs).status;
    const expected = Object.fromEntries(Object.keys(got).map((k) => [k, (s.expect as Record<string, string>)[k] ?? 'pass']));
    assert.deepEqual(got, expected);
  });
}

test('cors judge: a failure names the origin, paths, headers and consequence, with evidence', () => {
  const v = judgeClass(
    'reflect-origin',
    observe(
      allowlist(() => true),
      ['/', '/api'],
    ),
    opts(),
  );
  assert.equal(v.status, 'fail');
  assert.equal(
    v.message,
    'https://evil.test allowed with credentials on /, /api (ACAO: https://evil.test, ACAC: true): any site can read these responses',
  );
  assert.equal(v.evidence?.request, 'GET http://t/ (Origin: https://evil.test)');
  assert.equal(v.evidence?.headers?.['access-control-allow-credentials'], 'true');
});

test('cors judge: a public wildcard is named in the pass message', () => {
  const v = judgeClass(
    'reflect-origin',
    observe(() => ({ 'Access-Control-Allow-Origin': '*' })),
    opts({ credentials: false }),
  );
  assert.equal(v.status, 'pass');
  assert.match(v.message, /ACAO \* without credentials \(public/);
});

test('cors judge: no allowed origins configured skips what needs them', () => {
  const o = opts({ allowedOrigins: [], derived: probeOrigins([], { allowSubdomains: false }).derived });
  assert.equal(judgeAllowedOrigin([], o).status, 'skip');
  assert.match(judgeClass('prefix-match', [], o).message, /no allowed origins configured/);
});

test('cors judge: unanswered probes are errors, not passes', () => {
  const obs = observe(allowlist((o) => o === ALLOWED)).map((o) => ({
    ...o,
    status: undefined,
    headers: undefined,
    error: 'connection refused to t:80',
  }));
  assert.equal(judgeClass('reflect-origin', obs, opts()).status, 'error');
  assert.equal(judgeAllowedOrigin(obs, opts()).status, 'error');
  assert.equal(judgeVaryOrigin(obs).status, 'error');
});

test('preflight: safelisted methods need no listing; * works only without credentials; Authorization never matches *', () => {
  const o = (h: Record<string, string>, status = 204): CorsObservation => ({
    path: '/',
    kind: 'preflight',
    cls: 'allowed',
    origin: ALLOWED,
    request: 'OPTIONS http://t/',
    requestHeaders: {},
    status,
    headers: lower(h),
  });
  assert.deepEqual(preflightProblems(o({}), 'POST', [], true), []);
  assert.equal(preflightProblems(o({ 'Access-Control-Allow-Methods': '*' }), 'PUT', [], true).length, 1);
  assert.deepEqual(preflightProblems(o({ 'Access-Control-Allow-Methods': '*' }), 'PUT', [], false), []);
  assert.equal(preflightProblems(o({ 'Access-Control-Allow-Headers': '*' }), 'GET', ['authorization'], false).length, 1);
  assert.deepEqual(preflightProblems(o({ 'Access-Control-Allow-Headers': '*' }), 'GET', ['x-custom'], false), []);
  assert.match(preflightProblems(o({}, 404), 'GET', [], true)[0], /answered 404/);
});

test('cors paths: one representative per top-level segment, in the order listed', () => {
  const { probed, covered } = corsRepresentatives(['/api/a', '/', '/api/b?x=1', '/health', '/api', '/?page=2', '/assets/app.js']);
  assert.deepEqual(probed, ['/api/a', '/', '/health', '/assets/app.js']);
  assert.deepEqual(covered.get('/api/a'), ['/api/b?x=1', '/api']);
  assert.deepEqual(covered.get('/'), ['/?page=2']);
  assert.deepEqual(covered.get('/health'), []);
  assert.match(
    coverageNote(covered),
    /one path per prefix: \/api\/a stands for \/api\/b\?x=1, \/api; \/ stands for \/\?page=2; list cors\.paths to probe others/,
  );
  // Distinct prefixes: every path is probed, and no note.
  const distinct = corsRepresentatives(['/', '/health', '/api/echo']);
  assert.deepEqual(distinct.probed, ['/', '/health', '/api/echo']);
  assert.equal(coverageNote(distinct.covered), '');
});
