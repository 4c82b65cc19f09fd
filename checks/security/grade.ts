// An Observatory-style score and grade for one response's headers. Pure: no I/O.
//
// Source: the MDN HTTP Observatory scoring methodology,
//   https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring
// and its implementation, github.com/mdn/mdn-http-observatory, src/grader/charts.js (SCORE_TABLE,
// GRADE_CHART, MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90) and src/analyzer/tests/*.js (how each result is chosen).
//
// Method: start at 100; subtract every penalty (the score never drops below 0); only when the result is
// 90 or more, add the bonuses. Grade boundaries: 100+ A+, 90 A, 85 A-, 80 B+, 70 B, 65 B-, 60 C+, 50 C,
// 45 C-, 40 D+, 30 D, 25 D-, below that F.
//
// Where shipgate differs from the Observatory, on purpose:
// - CORS is not scored here: the security.cors.* checks probe it actively and in more depth, and scoring
//   it twice would fail two checks for one flaw.
// - Subresource Integrity (needs the page's scripts) and HSTS preloading (needs the preload list) are not
//   scored; both rows are reported as "not scored".
// - On an http target, HSTS is scored only when the profile requires it (hsts.required), and the
//   redirection row only exists for https targets (shipgate requests http://host/ then).
// - undici's cookie parser drops an unrecognized SameSite value, so "cookies-samesite-flag-invalid" is
//   reported as a missing SameSite (0 instead of −20).
import { parseSetCookies } from './cookies.js';
import { parseCspHeader, isHash, isNonce, type CspPolicy } from './csp.js';
import { gradeOf, type Grade } from './scale.js';
import { corpValue, frameProtection, parseHsts, referrerPolicy, type Headers, type Redirection } from './headers.js';

export { GRADES, GRADE_FLOORS, gradeAtLeast, gradeOf, type Grade } from './scale.js';

/** MINIMUM_SCORE_FOR_EXTRA_CREDIT: bonuses count only from this score on. */
export const BONUS_THRESHOLD = 90;

/** The Observatory's SCORE_TABLE, for the rows shipgate can decide from response headers. */
export const SCORE_TABLE = {
  // Content Security Policy
  'csp-implemented-with-no-unsafe-default-src-none': 10,
  'csp-implemented-with-no-unsafe': 5,
  'csp-implemented-with-unsafe-inline-in-style-src-only': 0,
  'csp-implemented-with-insecure-scheme-in-passive-content-only': -10,
  'csp-implemented-with-unsafe-eval': -10,
  'csp-implemented-with-unsafe-inline': -20,
  'csp-implemented-with-insecure-scheme': -20,
  'csp-header-invalid': -25,
  'csp-not-implemented': -25,
  // Cookies
  'cookies-secure-with-httponly-sessions-and-samesite': 5,
  'cookies-secure-with-httponly-sessions': 0,
  'cookies-not-found': 0,
  'cookies-without-secure-flag-but-protected-by-hsts': -5,
  'cookies-session-without-secure-flag-but-protected-by-hsts': -10,
  'cookies-without-secure-flag': -20,
  'cookies-samesite-flag-invalid': -20,
  'cookies-anticsrf-without-samesite-flag': -20,
  'cookies-session-without-httponly-flag': -30,
  'cookies-session-without-secure-flag': -40,
  // Redirection (https targets only)
  'redirection-to-https': 0,
  'redirection-not-needed-no-http': 0,
  'redirection-off-host-from-http': -5,
  'redirection-not-to-https': -20,
  'redirection-missing': -20,
  // Referrer-Policy
  'referrer-policy-private': 5,
  'referrer-policy-not-implemented': 0,
  'referrer-policy-unsafe': -5,
  'referrer-policy-header-invalid': -5,
  // Strict-Transport-Security
  'strict-transport-security-implemented-max-age-at-least-six-months': 0,
  'strict-transport-security-implemented-max-age-less-than-six-months': -10,
  'strict-transport-security-not-implemented': -20,
  'strict-transport-security-header-invalid': -20,
  // X-Content-Type-Options
  'x-content-type-options-nosniff': 0,
  'x-content-type-options-not-implemented': -5,
  'x-content-type-options-header-invalid': -5,
  // X-Frame-Options
  'x-frame-options-implemented-via-csp': 5,
  'x-frame-options-sameorigin-or-deny': 0,
  'x-frame-options-allow-from-origin': 0,
  'x-frame-options-not-implemented': -20,
  'x-frame-options-header-invalid': -20,
  // Cross-Origin-Resource-Policy
  'cross-origin-resource-policy-implemented-with-same-origin': 10,
  'cross-origin-resource-policy-implemented-with-same-site': 10,
  'cross-origin-resource-policy-implemented-with-cross-origin': 0,
  'cross-origin-resource-policy-not-implemented': 0,
  'cross-origin-resource-policy-header-invalid': -5,
} as const;

export type Expectation = keyof typeof SCORE_TABLE;

export interface ScoreRow {
  test: string;
  /** The Observatory result name, or undefined when the row is not scored. */
  result?: Expectation;
  modifier: number;
  note?: string;
}

export interface GradeInput {
  headers: Headers;
  setCookies: string[];
  /** The target is served over https. */
  https: boolean;
  /** The profile requires HSTS even on http. */
  hstsRequired: boolean;
  /** The answer to http://host/, for https targets. */
  redirection?: Redirection;
}

export interface GradeResult {
  score: number;
  grade: Grade;
  rows: ScoreRow[];
}

/** Two rounds: penalties (floored at 0), then bonuses only at ≥ 90. */
export function scoreOf(modifiers: number[]): number {
  const penalties = modifiers.filter((m) => m < 0).reduce((a, b) => a + b, 0);
  const bonuses = modifiers.filter((m) => m > 0).reduce((a, b) => a + b, 0);
  const base = Math.max(0, 100 + penalties);
  return base >= BONUS_THRESHOLD ? base + bonuses : base;
}

export function gradeResponse(input: GradeInput): GradeResult {
  const h = input.headers;
  const hstsOk = hstsResult(h) === 'strict-transport-security-implemented-max-age-at-least-six-months';
  const rows: ScoreRow[] = [
    row('content-security-policy', cspResult(h, input.https)),
    row('cookies', cookiesResult(input.setCookies, hstsOk)),
    input.https ? row('redirection', redirectionResult(input.redirection)) : notScored('redirection', 'only for https targets'),
    row('referrer-policy', referrerResult(h)),
    input.https || input.hstsRequired
      ? row('strict-transport-security', hstsResult(h))
      : notScored('strict-transport-security', 'http target; set hsts.required to score it'),
    notScored('subresource-integrity', "needs the page's scripts"),
    row('x-content-type-options', xctoResult(h)),
    row('x-frame-options', xfoResult(h)),
    row('cross-origin-resource-policy', corpResult(h)),
    notScored('cross-origin-resource-sharing', 'judged by the security.cors.* checks'),
  ];
  const score = scoreOf(rows.map((r) => r.modifier));
  return { score, grade: gradeOf(score), rows };
}

function row(test: string, result: Expectation | undefined): ScoreRow {
  return result ? { test, result, modifier: SCORE_TABLE[result] } : notScored(test, 'not decidable');
}

function notScored(test: string, note: string): ScoreRow {
  return { test, modifier: 0, note: `not scored: ${note}` };
}

/** "−20 x-frame-options-not-implemented, +5 referrer-policy-private" — the non-zero rows. */
export function describeRows(rows: ScoreRow[]): string {
  return rows
    .filter((r) => r.modifier !== 0)
    .sort((a, b) => a.modifier - b.modifier)
    .map((r) => `${r.modifier > 0 ? '+' : '−'}${Math.abs(r.modifier)} ${r.result}`)
    .join(', ');
}

// ---------------------------------------------------------------- the rows (src/analyzer/tests/*.js)

const DANGEROUSLY_BROAD = new Set(['ftp:', 'http:', 'https:', '*', 'http://*', 'http://*.*', 'https://*', 'https://*.*']);
const UNSAFE_INLINE = new Set(["'unsafe-inline'", 'data:']);
const ORDER: Expectation[] = [
  'csp-implemented-with-unsafe-inline',
  'csp-implemented-with-insecure-scheme',
  'csp-implemented-with-unsafe-eval',
  'csp-implemented-with-insecure-scheme-in-passive-content-only',
  'csp-implemented-with-unsafe-inline-in-style-src-only',
];

/** The Observatory's CSP test for one policy (content-security-policy.js). */
export function observatoryCsp(policy: CspPolicy, https: boolean): Expectation {
  const get = (d: string) => policy.directives.get(d);
  const scriptSrc = new Set(get('script-src') ?? get('default-src') ?? ['*']);
  const objectSrc = new Set(get('object-src') ?? get('default-src') ?? ['*']);
  const styleSrc = new Set(get('style-src') ?? get('default-src') ?? ['*']);
  for (const list of [scriptSrc, styleSrc]) if ([...list].some((s) => isNonce(s) || isHash(s))) list.delete("'unsafe-inline'");
  if (scriptSrc.has("'strict-dynamic'")) {
    if (![...scriptSrc].some((s) => isNonce(s) || isHash(s))) return 'csp-header-invalid';
    for (const s of [...scriptSrc])
      if ([...DANGEROUSLY_BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") scriptSrc.delete(s);
  }
  const active = [...policy.directives]
    .filter(([d]) => d !== 'img-src' && d !== 'media-src' && d !== 'script-src')
    .flatMap(([, v]) => v)
    .concat([...scriptSrc]);
  const passive = ['img-src', 'media-src'].flatMap((d) => get(d) ?? get('default-src') ?? []);
  const insecure = (s: string) => s.startsWith('http:') || s.startsWith('ftp:');
  const hits = new Set<Expectation>();
  if (
    [...scriptSrc].some((s) => DANGEROUSLY_BROAD.has(s) || UNSAFE_INLINE.has(s)) ||
    [...objectSrc].some((s) => DANGEROUSLY_BROAD.has(s))
  )
    hits.add('csp-implemented-with-unsafe-inline');
  if (https && active.some(insecure)) hits.add('csp-implemented-with-insecure-scheme');
  if (scriptSrc.has("'unsafe-eval'") || styleSrc.has("'unsafe-eval'")) hits.add('csp-implemented-with-unsafe-eval');
  if (https && passive.some(insecure)) hits.add('csp-implemented-with-insecure-scheme-in-passive-content-only');
  if ([...styleSrc].some((s) => DANGEROUSLY_BROAD.has(s) || UNSAFE_INLINE.has(s)))
    hits.add('csp-implemented-with-unsafe-inline-in-style-src-only');
  const first = ORDER.find((e) => hits.has(e));
  if (first) return first;
  const def = get('default-src');
  return def && def.length === 1 && def[0] === "'none'"
    ? 'csp-implemented-with-no-unsafe-default-src-none'
    : 'csp-implemented-with-no-unsafe';
}

function cspResult(h: Headers, https: boolean): Expectation {
  const raw = h['content-security-policy'];
  if (raw === undefined) return 'csp-not-implemented';
  const policies = parseCspHeader(raw);
  if (policies.length === 0) return 'csp-header-invalid';
  // Every policy is enforced, so the strictest one decides.
  return policies.map((p) => observatoryCsp(p, https)).reduce((best, e) => (SCORE_TABLE[e] > SCORE_TABLE[best] ? e : best));
}

const COOKIE_GOODNESS: Expectation[] = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
];

/** The Observatory's cookie test (cookies.js): session = name contains "login" or "sess"; anti-CSRF = "csrf". */
export function cookiesResult(setCookies: string[], hsts: boolean): Expectation {
  const cookies = parseSetCookies(setCookies).filter((c) => c.name);
  if (cookies.length === 0) return 'cookies-not-found';
  let worst: Expectation | undefined;
  const worse = (e: Expectation) => {
    if (!worst || COOKIE_GOODNESS.indexOf(e) > COOKIE_GOODNESS.indexOf(worst)) worst = e;
  };
  let missingSameSite = false;
  for (const c of cookies) {
    const name = c.name.toLowerCase();
    const session = name.includes('login') || name.includes('sess');
    if (!c.secure && c.sameSite === 'None') worse('cookies-samesite-flag-invalid');
    if (!c.secure) worse(hsts ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag');
    if (name.includes('csrf') && !c.sameSite) worse('cookies-anticsrf-without-samesite-flag');
    if (session && !c.secure)
      worse(hsts ? 'cookies-session-without-secure-flag-but-protected-by-hsts' : 'cookies-session-without-secure-flag');
    if (session && !c.httpOnly) worse('cookies-session-without-httponly-flag');
    if (!c.sameSite) missingSameSite = true;
  }
  return (
    worst ?? (missingSameSite ? 'cookies-secure-with-httponly-sessions' : 'cookies-secure-with-httponly-sessions-and-samesite')
  );
}

function redirectionResult(r: Redirection | undefined): Expectation | undefined {
  switch (r?.kind) {
    case undefined:
      return undefined;
    case 'to-https':
      return 'redirection-to-https';
    case 'no-http':
      return 'redirection-not-needed-no-http';
    case 'off-host':
      return 'redirection-off-host-from-http';
    case 'not-to-https':
      return 'redirection-not-to-https';
    case 'missing':
      return 'redirection-missing';
  }
}

function referrerResult(h: Headers): Expectation {
  const rp = referrerPolicy(h['referrer-policy']);
  return rp.cls === 'private'
    ? 'referrer-policy-private'
    : rp.cls === 'unsafe'
      ? 'referrer-policy-unsafe'
      : rp.cls === 'invalid'
        ? 'referrer-policy-header-invalid'
        : 'referrer-policy-not-implemented';
}

function hstsResult(h: Headers): Expectation {
  const hsts = parseHsts(h['strict-transport-security']);
  if (!hsts) return 'strict-transport-security-not-implemented';
  if (!hsts.ok) return 'strict-transport-security-header-invalid';
  return hsts.maxAge >= 15_768_000
    ? 'strict-transport-security-implemented-max-age-at-least-six-months'
    : 'strict-transport-security-implemented-max-age-less-than-six-months';
}

function xctoResult(h: Headers): Expectation {
  const v = h['x-content-type-options'];
  if (v === undefined) return 'x-content-type-options-not-implemented';
  return v.split(',')[0].trim().toLowerCase() === 'nosniff'
    ? 'x-content-type-options-nosniff'
    : 'x-content-type-options-header-invalid';
}

function xfoResult(h: Headers): Expectation {
  const fp = frameProtection(h);
  switch (fp.via) {
    case 'csp':
      return 'x-frame-options-implemented-via-csp';
    case 'xfo':
      return 'x-frame-options-sameorigin-or-deny';
    case 'allow-from':
      return 'x-frame-options-allow-from-origin';
    case 'invalid':
      return 'x-frame-options-header-invalid';
    case 'none':
      return 'x-frame-options-not-implemented';
  }
}

function corpResult(h: Headers): Expectation {
  const corp = corpValue(h);
  if (corp.cls === 'missing') return 'cross-origin-resource-policy-not-implemented';
  if (corp.cls === 'invalid') return 'cross-origin-resource-policy-header-invalid';
  if (corp.cls === 'cross-origin') return 'cross-origin-resource-policy-implemented-with-cross-origin';
  return corp.value === 'same-site'
    ? 'cross-origin-resource-policy-implemented-with-same-site'
    : 'cross-origin-resource-policy-implemented-with-same-origin';
}
