// Security-header verdicts and the Observatory-style grade, table-driven.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicy } from '../../checks/security/csp.js';
import { cookiesResult, gradeResponse, observatoryCsp, scoreOf } from '../../checks/security/grade.js';
import {
  classifyRedirect,
  judgeCrossOriginPolicies,
  judgeFrameOptions,
  judgeHsts,
  judgeNosniff,
  judgePermissionsPolicy,
  judgeReferrerPolicy,
  judgeVersionLeak,
  parseHsts,
} from '../../checks/security/headers.js';
import { GRADES, gradeAtLeast, gradeOf } from '../../checks/security/scale.js';
import { DEMO_CSP } from '../../src/demo/security.js';

type H = Record<string, string>;
const HSTS = { required: true, minMaxAge: 15_768_000, includeSubDomains: true, https: true, host: 'www.example.com' };

const verdicts: {
  name: string;
  judge: (h: H) => { status: string; detail: string };
  headers: H;
  status: string;
  detail?: RegExp;
}[] = [
  // HSTS
  {
    name: 'hsts: good',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'max-age=31536000; includeSubDomains; preload' },
    status: 'pass',
    detail: /^max-age=31536000; includeSubDomains; preload \(eligible for the HSTS preload list\)$/,
  },
  {
    name: 'hsts: preload with a max-age under a year (hstspreload.org needs 31536000)',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'max-age=15768000; includeSubDomains; preload' },
    status: 'warn',
    detail:
      /^Strict-Transport-Security: preload is set but the host is not eligible: max-age=15768000 is below 31536000 \(1 year\)$/,
  },
  {
    name: 'hsts: preload without includeSubDomains (not required by the profile)',
    judge: (h) => judgeHsts(h, { ...HSTS, includeSubDomains: false }),
    headers: { 'strict-transport-security': 'max-age=63072000; preload' },
    status: 'warn',
    detail: /not eligible: includeSubDomains is missing$/,
  },
  {
    name: 'hsts: preload on an IP address',
    judge: (h) => judgeHsts(h, { ...HSTS, host: '127.0.0.1' }),
    headers: { 'strict-transport-security': 'max-age=63072000; includeSubDomains; preload' },
    status: 'warn',
    detail: /not eligible: 127\.0\.0\.1 is not a public domain name/,
  },
  {
    name: 'hsts: preload and a short max-age the profile refuses: fail, with both reasons',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'max-age=300; includeSubDomains; preload' },
    status: 'fail',
    detail: /max-age=300 < 15768000, preload is set but the host is not eligible: max-age=300 is below 31536000/,
  },
  {
    name: 'hsts: no preload asked, none judged',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'max-age=31536000; includeSubDomains' },
    status: 'pass',
    detail: /^max-age=31536000; includeSubDomains$/,
  },
  {
    name: 'hsts: quoted max-age, odd case',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'Max-Age="31536000"; INCLUDESUBDOMAINS' },
    status: 'pass',
  },
  { name: 'hsts: missing', judge: (h) => judgeHsts(h, HSTS), headers: {}, status: 'fail', detail: /header missing/ },
  {
    name: 'hsts: short max-age',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'max-age=300; includeSubDomains' },
    status: 'fail',
    detail: /max-age=300 < 15768000/,
  },
  {
    name: 'hsts: no includeSubDomains',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'max-age=31536000' },
    status: 'fail',
    detail: /includeSubDomains missing/,
  },
  {
    name: 'hsts: includeSubDomains not required',
    judge: (h) => judgeHsts(h, { ...HSTS, includeSubDomains: false }),
    headers: { 'strict-transport-security': 'max-age=31536000' },
    status: 'pass',
  },
  {
    name: 'hsts: max-age not a number',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'max-age=forever' },
    status: 'fail',
    detail: /invalid: max-age "forever"/,
  },
  {
    name: 'hsts: no max-age',
    judge: (h) => judgeHsts(h, HSTS),
    headers: { 'strict-transport-security': 'includeSubDomains' },
    status: 'fail',
    detail: /no max-age/,
  },
  {
    name: 'hsts: not required on an http target',
    judge: (h) => judgeHsts(h, { ...HSTS, required: false, https: false }),
    headers: {},
    status: 'skip',
  },
  // Frame protection
  {
    name: "frame: CSP frame-ancestors 'none' instead of XFO is fine",
    judge: judgeFrameOptions,
    headers: { 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" },
    status: 'pass',
    detail: /frame-ancestors 'none'/,
  },
  { name: 'frame: XFO DENY', judge: judgeFrameOptions, headers: { 'x-frame-options': 'DENY' }, status: 'pass' },
  {
    name: 'frame: XFO sameorigin (any case)',
    judge: judgeFrameOptions,
    headers: { 'x-frame-options': 'sameorigin' },
    status: 'pass',
  },
  {
    name: 'frame: XFO ALLOW-FROM is obsolete',
    judge: judgeFrameOptions,
    headers: { 'x-frame-options': 'ALLOW-FROM https://a.example' },
    status: 'fail',
    detail: /ALLOW-FROM is ignored/,
  },
  {
    name: 'frame: frame-ancestors * protects nothing',
    judge: judgeFrameOptions,
    headers: { 'content-security-policy': 'frame-ancestors *' },
    status: 'fail',
  },
  { name: 'frame: neither', judge: judgeFrameOptions, headers: {}, status: 'fail', detail: /neither/ },
  { name: 'frame: garbage XFO', judge: judgeFrameOptions, headers: { 'x-frame-options': 'yes please' }, status: 'fail' },
  // Referrer-Policy
  {
    name: 'referrer: strict-origin-when-cross-origin',
    judge: judgeReferrerPolicy,
    headers: { 'referrer-policy': 'strict-origin-when-cross-origin' },
    status: 'pass',
  },
  {
    name: 'referrer: fallback list, last known token wins',
    judge: judgeReferrerPolicy,
    headers: { 'referrer-policy': 'no-referrer, strict-origin-when-cross-origin' },
    status: 'pass',
    detail: /^strict-origin-when-cross-origin$/,
  },
  {
    name: 'referrer: unknown token ignored',
    judge: judgeReferrerPolicy,
    headers: { 'referrer-policy': 'same-origin, brand-new-policy' },
    status: 'pass',
  },
  { name: 'referrer: unsafe-url', judge: judgeReferrerPolicy, headers: { 'referrer-policy': 'unsafe-url' }, status: 'fail' },
  {
    name: 'referrer: no-referrer-when-downgrade',
    judge: judgeReferrerPolicy,
    headers: { 'referrer-policy': 'no-referrer-when-downgrade' },
    status: 'fail',
  },
  { name: 'referrer: missing is a warning', judge: judgeReferrerPolicy, headers: {}, status: 'warn' },
  { name: 'referrer: nonsense', judge: judgeReferrerPolicy, headers: { 'referrer-policy': 'sometimes' }, status: 'fail' },
  // nosniff
  { name: 'nosniff: set', judge: judgeNosniff, headers: { 'x-content-type-options': 'NoSniff' }, status: 'pass' },
  { name: 'nosniff: wrong value', judge: judgeNosniff, headers: { 'x-content-type-options': 'sniff' }, status: 'fail' },
  { name: 'nosniff: missing', judge: judgeNosniff, headers: {}, status: 'fail' },
  // Version leaks
  {
    name: 'version: X-Powered-By',
    judge: judgeVersionLeak,
    headers: { 'x-powered-by': 'Express' },
    status: 'fail',
    detail: /X-Powered-By: Express/,
  },
  { name: 'version: Server without a version is fine', judge: judgeVersionLeak, headers: { server: 'nginx' }, status: 'pass' },
  { name: 'version: nginx/1.25.3', judge: judgeVersionLeak, headers: { server: 'nginx/1.25.3' }, status: 'fail' },
  { name: 'version: Apache with OS', judge: judgeVersionLeak, headers: { server: 'Apache/2.4.57 (Debian)' }, status: 'fail' },
  { name: 'version: ASP.NET', judge: judgeVersionLeak, headers: { 'x-aspnet-version': '4.0.30319' }, status: 'fail' },
  // Permissions-Policy, COOP/CORP
  { name: 'permissions: set', judge: judgePermissionsPolicy, headers: { 'permissions-policy': 'camera=()' }, status: 'pass' },
  { name: 'permissions: missing warns', judge: judgePermissionsPolicy, headers: {}, status: 'warn' },
  {
    name: 'permissions: legacy Feature-Policy warns',
    judge: judgePermissionsPolicy,
    headers: { 'feature-policy': "camera 'none'" },
    status: 'warn',
    detail: /legacy/,
  },
  // helmet's defaults on a JSON API: no Permissions-Policy, and none is needed (it governs documents only)
  {
    name: 'permissions: missing on a JSON response is not judged',
    judge: (h) => judgePermissionsPolicy(h, false),
    headers: { 'content-type': 'application/json; charset=utf-8' },
    status: 'skip',
    detail: /not an HTML document \(application\/json\)/,
  },
  {
    name: 'permissions: set on a JSON response still passes',
    judge: (h) => judgePermissionsPolicy(h, false),
    headers: { 'permissions-policy': 'camera=()' },
    status: 'pass',
  },
  {
    name: 'permissions: missing on an HTML document warns',
    judge: (h) => judgePermissionsPolicy(h, true),
    headers: { 'content-type': 'text/html' },
    status: 'warn',
  },
  {
    name: 'cross-origin: CORP + COOP on HTML',
    judge: (h) => judgeCrossOriginPolicies(h, true),
    headers: { 'cross-origin-resource-policy': 'same-origin', 'cross-origin-opener-policy': 'same-origin' },
    status: 'pass',
  },
  {
    name: 'cross-origin: COOP not needed on JSON',
    judge: (h) => judgeCrossOriginPolicies(h, false),
    headers: { 'cross-origin-resource-policy': 'same-site' },
    status: 'pass',
  },
  {
    name: 'cross-origin: COOP missing on HTML warns',
    judge: (h) => judgeCrossOriginPolicies(h, true),
    headers: { 'cross-origin-resource-policy': 'same-origin' },
    status: 'warn',
  },
  {
    name: 'cross-origin: invalid CORP fails',
    judge: (h) => judgeCrossOriginPolicies(h, false),
    headers: { 'cross-origin-resource-policy': 'same-planet' },
    status: 'fail',
  },
];

for (const c of verdicts) {
  test(`header verdict: ${c.name}`, () => {
    const v = c.judge(c.headers);
    assert.equal(v.status, c.status, v.detail);
    if (c.detail) assert.match(v.detail, c.detail);
  });
}

test('parseHsts: duplicate directives are invalid; only the first of several headers counts', () => {
  assert.deepEqual(parseHsts('max-age=1; max-age=2'), { ok: false, reason: 'directive max-age appears twice' });
  assert.deepEqual(parseHsts('max-age=31536000, max-age=0'), {
    ok: true,
    maxAge: 31536000,
    includeSubDomains: false,
    preload: false,
  });
  assert.equal(parseHsts(undefined), undefined);
});

test('classifyRedirect: the first hop of http://host/', () => {
  const table: [number | undefined, string | undefined, string][] = [
    [301, 'https://shop.example.com/', 'to-https'],
    [308, 'https://shop.example.com/login', 'to-https'],
    [302, 'https://www.shop.example.com/', 'off-host'],
    [301, 'http://shop.example.com/home', 'not-to-https'],
    [301, '/home', 'not-to-https'],
    [200, undefined, 'missing'],
    [undefined, undefined, 'no-http'],
  ];
  for (const [status, location, kind] of table)
    assert.equal(classifyRedirect('shop.example.com', status, location).kind, kind, `${status} ${location}`);
});

test('grade scale: the Observatory boundaries', () => {
  const table: [number, string][] = [
    [145, 'A+'],
    [100, 'A+'],
    [99, 'A'],
    [90, 'A'],
    [89, 'A-'],
    [85, 'A-'],
    [84, 'B+'],
    [80, 'B+'],
    [79, 'B'],
    [70, 'B'],
    [69, 'B-'],
    [65, 'B-'],
    [64, 'C+'],
    [60, 'C+'],
    [59, 'C'],
    [50, 'C'],
    [49, 'C-'],
    [45, 'C-'],
    [44, 'D+'],
    [40, 'D+'],
    [39, 'D'],
    [30, 'D'],
    [29, 'D-'],
    [25, 'D-'],
    [24, 'F'],
    [0, 'F'],
  ];
  for (const [score, grade] of table) assert.equal(gradeOf(score), grade, String(score));
  assert.equal(GRADES.length, 13);
  assert.ok(gradeAtLeast('A+', 'B'));
  assert.ok(gradeAtLeast('B', 'B'));
  assert.ok(!gradeAtLeast('B-', 'B'));
});

test('score: penalties first (floored at 0), bonuses only from 90', () => {
  const table: [number[], number][] = [
    [[], 100],
    [[5, 5, 10], 120],
    [[-10, 5, 5], 100], // 90 → bonuses count
    [[-15, 5, 5], 85], // 85 < 90 → no bonuses
    [[-25, -20, -20, -40, -20, 10], 0], // floored
  ];
  for (const [mods, score] of table) assert.equal(scoreOf(mods), score, JSON.stringify(mods));
});

const DEMO_HEADERS: H = {
  'content-security-policy': DEMO_CSP,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-resource-policy': 'same-origin',
};
const SESSION = 'demo_session=abc; Path=/; HttpOnly; Secure; SameSite=Lax';

const grades: {
  name: string;
  headers: H;
  cookies?: string[];
  https?: boolean;
  hstsRequired?: boolean;
  score: number;
  grade: string;
  redirection?: Parameters<typeof gradeResponse>[0]['redirection'];
}[] = [
  {
    name: 'the demo headers with its session cookie',
    headers: DEMO_HEADERS,
    cookies: [SESSION],
    hstsRequired: true,
    score: 130,
    grade: 'A+',
  },
  { name: 'the demo headers without a cookie', headers: DEMO_HEADERS, hstsRequired: true, score: 125, grade: 'A+' },
  {
    name: 'demo without HSTS (hsts-missing): 80, no bonuses',
    headers: { ...DEMO_HEADERS, 'strict-transport-security': undefined as never },
    hstsRequired: true,
    score: 80,
    grade: 'B+',
  },
  {
    name: "demo with 'unsafe-inline' (csp-unsafe-inline): 80",
    headers: {
      ...DEMO_HEADERS,
      'content-security-policy': DEMO_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
    },
    hstsRequired: true,
    score: 80,
    grade: 'B+',
  },
  { name: 'nothing at all, http target, HSTS not required', headers: {}, score: 50, grade: 'C' },
  {
    name: 'nothing at all, https target, redirect in place',
    headers: {},
    https: true,
    redirection: { kind: 'to-https', location: 'https://x/' },
    score: 30,
    grade: 'D',
  },
  {
    name: 'everything wrong',
    headers: { 'referrer-policy': 'unsafe-url', 'cross-origin-resource-policy': 'nope', 'x-frame-options': 'nope' },
    cookies: ['session=1'],
    https: true,
    redirection: { kind: 'missing', status: 200 },
    score: 0,
    grade: 'F',
  },
];

for (const c of grades) {
  test(`grade: ${c.name}`, () => {
    const headers = Object.fromEntries(Object.entries(c.headers).filter(([, v]) => v !== undefined));
    const g = gradeResponse({
      headers,
      setCookies: c.cookies ?? [],
      https: c.https ?? false,
      hstsRequired: c.hstsRequired ?? false,
      redirection: c.redirection,
    });
    assert.equal(g.score, c.score, JSON.stringify(g.rows.filter((r) => r.modifier)));
    assert.equal(g.grade, c.grade);
  });
}

test('grade rows: not-scored rows say why', () => {
  const g = gradeResponse({ headers: {}, setCookies: [], https: false, hstsRequired: false });
  const notes = Object.fromEntries(g.rows.filter((r) => r.note).map((r) => [r.test, r.note]));
  assert.match(notes['strict-transport-security'], /http target/);
  assert.match(notes['cross-origin-resource-sharing'], /security\.cors/);
  assert.match(notes['subresource-integrity'], /not scored/);
});

const observatory: [string, boolean, string][] = [
  ["default-src 'none'", false, 'csp-implemented-with-no-unsafe-default-src-none'],
  ["default-src 'self'; object-src 'none'", false, 'csp-implemented-with-no-unsafe'],
  ["default-src 'self'; script-src 'self' 'unsafe-inline'", false, 'csp-implemented-with-unsafe-inline'],
  ["default-src 'self'; script-src 'nonce-abcdefgh' 'unsafe-inline'; object-src 'none'", false, 'csp-implemented-with-no-unsafe'],
  [
    "default-src 'self'; script-src 'nonce-abcdefgh' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'",
    false,
    'csp-implemented-with-no-unsafe',
  ],
  ["script-src 'strict-dynamic'; object-src 'none'", false, 'csp-header-invalid'],
  ["default-src 'self'; script-src 'self' 'unsafe-eval'", false, 'csp-implemented-with-unsafe-eval'],
  ["default-src 'self'; style-src 'self' 'unsafe-inline'", false, 'csp-implemented-with-unsafe-inline-in-style-src-only'],
  ["default-src 'self'; script-src 'self' http://cdn.example.com", true, 'csp-implemented-with-insecure-scheme'],
  ["default-src 'self'; script-src 'self' http://cdn.example.com", false, 'csp-implemented-with-no-unsafe'],
  ["default-src 'self'; img-src http://img.example.com", true, 'csp-implemented-with-insecure-scheme-in-passive-content-only'],
  ["script-src 'self'", false, 'csp-implemented-with-unsafe-inline'], // object-src unrestricted
  [
    "script-src 'nonce-abcdefgh' 'unsafe-inline'; object-src 'none'",
    false,
    'csp-implemented-with-unsafe-inline-in-style-src-only',
  ], // style-src unrestricted
];

for (const [csp, https, expected] of observatory) {
  test(`observatory csp: ${csp}${https ? ' (https)' : ''}`, () =>
    assert.equal(observatoryCsp(parsePolicy(csp), https), expected));
}

const cookieRows: [string[], boolean, string][] = [
  [[], false, 'cookies-not-found'],
  [[SESSION], false, 'cookies-secure-with-httponly-sessions-and-samesite'],
  [['demo_session=a; Secure; HttpOnly'], false, 'cookies-secure-with-httponly-sessions'],
  [['sessionid=a; Secure; SameSite=Lax'], false, 'cookies-session-without-httponly-flag'],
  [['sessionid=a; HttpOnly; SameSite=Lax'], false, 'cookies-session-without-secure-flag'],
  [['sessionid=a; HttpOnly; SameSite=Lax'], true, 'cookies-session-without-secure-flag-but-protected-by-hsts'],
  [['theme=dark; SameSite=Lax'], true, 'cookies-without-secure-flag-but-protected-by-hsts'],
  [['csrftoken=x; Secure'], false, 'cookies-anticsrf-without-samesite-flag'],
  [['theme=dark; SameSite=None'], false, 'cookies-samesite-flag-invalid'],
];

for (const [cookies, hsts, expected] of cookieRows) {
  test(`observatory cookies: ${cookies.join(' | ') || '(none)'}${hsts ? ' + HSTS' : ''}`, () =>
    assert.equal(cookiesResult(cookies, hsts), expected));
}
