// The CSP parser and evaluator, table-driven over policies, including the tricky ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateCsp, parseCspHeader, parsePolicy } from '../../checks/security/csp.js';
import { judgeCsp } from '../../checks/security/headers.js';

test('parser: directives lower-cased, first occurrence wins, keywords normalized, nonces kept as written', () => {
  const p = parsePolicy("Script-Src 'SELF' 'nonce-AbC123xyz'; script-src *;  ; OBJECT-SRC 'none'");
  assert.deepEqual([...p.directives.keys()], ['script-src', 'object-src']);
  assert.deepEqual(p.directives.get('script-src'), ["'self'", "'nonce-AbC123xyz'"]);
  assert.deepEqual(p.duplicates, ['script-src']);
});

test('parser: a comma separates policies; empty ones are dropped', () => {
  assert.equal(parseCspHeader("default-src 'self', script-src 'none'").length, 2);
  assert.equal(parseCspHeader(' ; , ').length, 0);
  assert.equal(parseCspHeader(undefined).length, 0);
});

/** expected: the status the csp check gives, and the finding types at high severity (sorted). */
const cases: { name: string; csp: string; status: 'pass' | 'warn' | 'fail'; high?: string[]; has?: string[] }[] = [
  {
    name: 'strict same-origin policy (the demo)',
    csp: "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    status: 'pass',
  },
  {
    name: "'unsafe-inline' in script-src",
    csp: "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'",
    status: 'fail',
    high: ['script-unsafe-inline'],
  },
  {
    name: "'unsafe-inline' only through default-src",
    csp: "default-src 'self' 'unsafe-inline'; object-src 'none'",
    status: 'fail',
    high: ['script-unsafe-inline'],
  },
  {
    name: "nonce plus 'unsafe-inline' fallback for old browsers is fine",
    csp: "script-src 'nonce-r4nd0mV4lue' 'unsafe-inline'; object-src 'none'; base-uri 'none'",
    status: 'pass',
  },
  {
    name: "hash plus 'unsafe-inline' fallback is fine",
    csp: "script-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' 'unsafe-inline'; object-src 'none'",
    status: 'pass',
  },
  {
    name: "strict-dynamic ignores the https: and 'unsafe-inline' fallbacks",
    csp: "script-src 'nonce-r4nd0mV4lue' 'strict-dynamic' 'unsafe-inline' https: http:; object-src 'none'; base-uri 'none'",
    status: 'pass',
  },
  {
    name: 'nonce policy without base-uri',
    csp: "script-src 'nonce-r4nd0mV4lue' 'strict-dynamic'; object-src 'none'",
    status: 'fail',
    high: ['missing-base-uri'],
  },
  {
    name: 'allowlist policy without base-uri is only informational',
    csp: "script-src 'self'; object-src 'none'",
    status: 'pass',
    has: ['missing-base-uri'],
  },
  {
    name: "'unsafe-eval' is medium",
    csp: "default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'",
    status: 'warn',
    has: ['script-unsafe-eval'],
  },
  { name: 'wildcard in script-src', csp: "script-src *; object-src 'none'", status: 'fail', high: ['wildcard'] },
  { name: 'https://* counts as a wildcard', csp: "script-src https://*; object-src 'none'", status: 'fail', high: ['wildcard'] },
  {
    name: 'bare https: in script-src',
    csp: "script-src 'self' https:; object-src 'none'",
    status: 'fail',
    high: ['plain-url-scheme'],
  },
  { name: 'data: in script-src', csp: "script-src 'self' data:; object-src 'none'", status: 'fail', high: ['plain-url-scheme'] },
  { name: 'wildcard object-src', csp: "script-src 'self'; object-src *", status: 'fail', high: ['wildcard'] },
  { name: 'missing object-src and default-src', csp: "script-src 'self'", status: 'fail', high: ['missing-object-src'] },
  {
    name: 'missing script-src and default-src',
    csp: "object-src 'none'; img-src 'self'",
    status: 'fail',
    high: ['missing-script-src'],
  },
  {
    name: 'frame-ancestors only',
    csp: "frame-ancestors 'none'",
    status: 'fail',
    high: ['missing-object-src', 'missing-script-src'],
  },
  {
    name: 'script-src-elem falls back to script-src, not to a broad default-src',
    csp: "default-src *; script-src 'self'; object-src 'none'",
    status: 'pass',
  },
  {
    name: 'a broad script-src-elem is still caught',
    csp: "script-src 'self'; script-src-elem *; object-src 'none'",
    status: 'fail',
    high: ['wildcard'],
  },
  { name: 'data: in img-src is harmless', csp: "default-src 'self'; img-src 'self' data:; object-src 'none'", status: 'pass' },
  {
    name: 'keyword without quotes is a syntax warning',
    csp: "default-src self; object-src 'none'",
    status: 'warn',
    has: ['invalid-keyword'],
  },
  {
    name: 'unknown keyword',
    csp: "default-src 'self' 'unsafe-everything'; object-src 'none'",
    status: 'warn',
    has: ['invalid-keyword'],
  },
  { name: 'missing semicolon', csp: "default-src 'self' object-src 'none'", status: 'warn', has: ['missing-semicolon'] },
  {
    name: 'unknown directive',
    csp: "default-src 'self'; object-src 'none'; scirpt-src 'none'",
    status: 'warn',
    has: ['unknown-directive'],
  },
  {
    name: 'short nonce',
    csp: "script-src 'nonce-abc'; object-src 'none'; base-uri 'none'",
    status: 'warn',
    has: ['nonce-length'],
  },
  {
    name: 'http:// source',
    csp: "default-src 'self' http://cdn.example.com; object-src 'none'",
    status: 'warn',
    has: ['src-http'],
  },
  {
    name: "a second, strict policy neutralizes the first one's unsafe-inline",
    csp: "script-src 'unsafe-inline'; object-src 'none', script-src 'self'; object-src 'none'",
    status: 'pass',
  },
  {
    name: "JSONP and AngularJS hosts in script-src are bypasses (Google's lists)",
    csp: "script-src 'self' cdnjs.cloudflare.com; object-src 'none'",
    status: 'fail',
    high: ['script-allowlist-bypass'],
  },
  {
    name: 'a wildcard host that covers a JSONP host',
    csp: "default-src 'self'; script-src 'self' *.googleapis.com; object-src 'none'",
    status: 'fail',
    high: ['script-allowlist-bypass'],
  },
  {
    name: 'www.google.com in script-src',
    csp: "script-src https://www.google.com 'self'; object-src 'none'",
    status: 'fail',
    high: ['script-allowlist-bypass'],
  },
  {
    name: 'a host on no bypass list is only informational',
    csp: "script-src 'self' static.example.org; object-src 'none'",
    status: 'pass',
    has: ['script-allowlist'],
  },
  {
    name: 'strict-dynamic drops the host allowlist, bypass hosts included',
    csp: "script-src 'nonce-r4nd0mV4lue' 'strict-dynamic' cdnjs.cloudflare.com; object-src 'none'; base-uri 'none'",
    status: 'pass',
  },
  {
    name: 'both policies weak: still a finding',
    csp: "script-src 'unsafe-inline'; object-src 'none', default-src * 'unsafe-inline'",
    status: 'fail',
    high: ['script-unsafe-inline'],
  },
];

for (const c of cases) {
  test(`csp: ${c.name}`, () => {
    const v = judgeCsp({ 'content-security-policy': c.csp });
    assert.equal(v.status, c.status, `${v.status}: ${v.detail}`);
    const high = [...new Set(v.findings.filter((f) => f.severity === 'high').map((f) => f.type))].sort();
    assert.deepEqual(high, (c.high ?? []).sort(), v.detail);
    for (const t of c.has ?? [])
      assert.ok(
        v.findings.some((f) => f.type === t),
        `expected a ${t} finding in ${JSON.stringify(v.findings.map((f) => f.type))}`,
      );
  });
}

test('csp: no header, report-only and an empty header are failures with distinct reasons', () => {
  assert.match(judgeCsp({}).detail, /header missing/);
  assert.match(
    judgeCsp({ 'content-security-policy-report-only': "default-src 'self'" }).detail,
    /Report-Only is sent, so nothing is enforced/,
  );
  assert.match(judgeCsp({ 'content-security-policy': ' ; ' }).detail, /has no directives/);
});

test('csp: evaluateCsp of no policies is empty', () => {
  assert.deepEqual(evaluateCsp([]), []);
});
